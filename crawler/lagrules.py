"""Lag rules: when an agency (OPD) counts as lagging in a week, and why.

A lag rule is a pure function ``rule(site: SiteWeek, params: dict) -> Reason | None``: one
site's evidence for one week in, a reason with its evidence out, or None when the rule
does not fire. Rules are registered in ``LAG_RULES`` with the parameters they accept; the
configuration (``crawler.lagconfig``) validates its ``rules:`` section against that table,
so a rule, its parameters and their defaults are declared in one place.

Reasons speak plain Indonesian (``message_id``), because the Sekda reads them, and carry
the URLs that prove them; ``message_en`` is for operators and logs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checks.availability import OUTCOME_MESSAGES
from checks.base import SEVERITIES
from checks.freshness import format_date_id
from checks.scoring import SEVERITY_RANK

MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Availability:
    """How often a site could not be opened during the week.

    ``source`` is ``probe`` when the prober's history covers the week, else ``crawl`` (each
    crawl run's home page counts as one sample). ``examples`` are (when, outcome, url) of
    failed samples, newest first.
    """

    source: str = "crawl"
    samples: int = 0
    down: int = 0
    examples: tuple[tuple[str, str, str], ...] = ()

    @property
    def down_percent(self) -> float:
        return 100.0 * self.down / self.samples if self.samples else 0.0


@dataclass(frozen=True)
class SiteWeek:
    """Everything the rules may read about one site in one week.

    ``previous_composite`` is the unit's composite of the week before. ``findings`` are every
    finding (passed or not) of the week's newest scored crawl run of the site, as dicts with ``check_id``, ``dimension``, ``severity``, ``passed``,
    ``message_id``, ``message_en``, ``evidence_url`` and ``detail`` (a dict).
    """

    site_id: int
    url: str
    run_id: int | None = None
    composite: float | None = None
    previous_composite: float | None = None
    findings: tuple[dict[str, Any], ...] = ()
    availability: Availability = field(default_factory=Availability)

    def failed(self, *, prefixes: tuple[str, ...] = (), ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """Failed findings whose check id is in ``ids`` or starts with one of ``prefixes``."""
        return [f for f in self.findings if not f["passed"]
                and (f["check_id"] in ids or any(f["check_id"].startswith(p) for p in prefixes))]

    def worst_failures(self, limit: int = 3) -> list[dict[str, Any]]:
        """The most severe failed findings, skipping "no evidence" ones when better ones exist."""
        failed = [f for f in self.findings if not f["passed"]]
        telling = [f for f in failed if not f["detail"].get("no_evidence")]
        failed = telling or failed
        failed.sort(key=lambda f: (-SEVERITY_RANK[f["severity"]], f["check_id"]))
        return failed[:limit]


@dataclass(frozen=True)
class Evidence:
    url: str | None
    text: str


@dataclass(frozen=True)
class Reason:
    """One rule that fired for one site: what it means, in Indonesian, and the proof."""

    rule: str
    message_id: str
    message_en: str
    evidence: tuple[Evidence, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, site: SiteWeek) -> dict[str, Any]:
        return {"rule": self.rule, "site_id": site.site_id, "site_url": site.url,
                "message_id": self.message_id, "message_en": self.message_en, "values": self.values,
                "evidence": [{"url": e.url, "text": e.text} for e in self.evidence]}


def number_id(value: float, decimals: int = 1) -> str:
    """45.25 -> '45,3': Indonesian decimal comma; whole numbers lose their decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}".replace(".", ",")


def _findings_evidence(findings: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(f["evidence_url"], f["message_id"]) for f in findings[:MAX_EVIDENCE])


# --- the rules ------------------------------------------------------------------------------

def downtime(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """The site could not be opened in more than ``max_down_percent`` of the week's samples."""
    av = site.availability
    if not av.samples or av.down_percent <= params["max_down_percent"]:
        return None
    what = "pemeriksaan ketersediaan" if av.source == "probe" else "perayapan"
    evidence = []
    for when, outcome, url in av.examples[:MAX_EVIDENCE]:
        text = OUTCOME_MESSAGES.get(outcome, ("Situs tidak dapat dibuka", ""))[0].replace(" (HTTP {status})", "")
        evidence.append(Evidence(url, f"{text}, {when[:16].replace('T', ' ')} UTC"))
    home = site.failed(ids=("availability.home",))
    if home and av.source == "crawl":
        evidence = [Evidence(home[0]["evidence_url"], home[0]["message_id"])]
    return Reason(
        "downtime",
        f"Situs tidak dapat dibuka pada {av.down} dari {av.samples} {what} minggu ini "
        f"({number_id(av.down_percent)}%; batas {number_id(params['max_down_percent'])}%)",
        f"site down in {av.down} of {av.samples} {av.source} samples this week "
        f"({av.down_percent:.1f}% > {params['max_down_percent']}%)",
        tuple(evidence),
        {"source": av.source, "samples": av.samples, "down": av.down,
         "down_percent": round(av.down_percent, 1), "max_down_percent": params["max_down_percent"]},
    )


def stale_content(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """The newest credible content is older than ``max_age_days`` (or no content date at all)."""
    for finding in site.findings:
        if finding["check_id"] not in params["check_ids"]:
            continue
        detail = finding["detail"]
        if detail.get("no_evidence"):
            return None  # nothing could be read: the downtime rule speaks for that site
        age = detail.get("age_days")
        if age is None:
            if not params["undated_is_stale"]:
                return None
            return Reason("stale_content", "Tidak ditemukan tanggal konten yang dapat dipercaya; "
                          "kebaruan situs tidak dapat dibuktikan", "no credible content date",
                          (Evidence(finding["evidence_url"], finding["message_id"]),),
                          {"age_days": None, "max_age_days": params["max_age_days"]})
        if age <= params["max_age_days"]:
            return None
        newest = detail.get("newest")
        when = _date_id(newest) if newest else "-"
        return Reason(
            "stale_content",
            f"Konten tidak diperbarui sejak {when} ({age} hari; batas {params['max_age_days']} hari)",
            f"newest content {newest} is {age} days old (limit {params['max_age_days']})",
            (Evidence(finding["evidence_url"], finding["message_id"]),),
            {"age_days": age, "newest": newest, "max_age_days": params["max_age_days"]},
        )
    return None


def missing_documents(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """A mandatory document is missing (findings of the document checks, by check id prefix)."""
    missing = site.failed(prefixes=tuple(params["check_prefixes"]))
    if not missing:
        return None
    return Reason("missing_documents", f"{len(missing)} dokumen wajib belum dipublikasikan",
                  f"{len(missing)} mandatory documents missing", _findings_evidence(missing),
                  {"missing": len(missing), "check_ids": sorted({f["check_id"] for f in missing})})


def ppid_incomplete(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """PPID items are missing or stale (findings by check id prefix, at least ``min_severity``)."""
    floor = SEVERITY_RANK[params["min_severity"]]
    failed = site.failed(prefixes=tuple(params["check_prefixes"]))
    if not any(SEVERITY_RANK[f["severity"]] >= floor for f in failed):
        return None
    # The verdict may be one summary finding; the evidence lists every missing item, worst first.
    failed.sort(key=lambda f: -SEVERITY_RANK[f["severity"]])
    # Itemised findings carry the item they are about; the summary finding does not.
    items = [f for f in failed if f["detail"].get("state") in ("missing", "stale")] or failed
    return Reason("ppid_incomplete", f"Informasi publik (PPID) belum lengkap: {len(items)} unsur bermasalah",
                  f"PPID incomplete: {len(items)} items missing or stale", _findings_evidence(failed),
                  {"items": len(items), "check_ids": sorted({f["check_id"] for f in failed})})


def low_score(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """The composite score is below ``min_composite``."""
    if site.composite is None or site.composite >= params["min_composite"]:
        return None
    return Reason("low_score",
                  f"Skor gabungan {number_id(site.composite)} di bawah batas {number_id(params['min_composite'])}",
                  f"composite score {site.composite} below {params['min_composite']}",
                  _findings_evidence(site.worst_failures()),
                  {"composite": site.composite, "min_composite": params["min_composite"]})


def score_drop(site: SiteWeek, params: dict[str, Any]) -> Reason | None:
    """The composite score fell by more than ``max_drop_points`` since the previous week."""
    if site.composite is None or site.previous_composite is None:
        return None
    drop = round(site.previous_composite - site.composite, 1)
    if drop <= params["max_drop_points"]:
        return None
    return Reason("score_drop",
                  f"Skor gabungan turun {number_id(drop)} poin dari {number_id(site.previous_composite)} menjadi "
                  f"{number_id(site.composite)} (batas {number_id(params['max_drop_points'])} poin)",
                  f"composite fell {drop} points ({site.previous_composite} -> {site.composite})",
                  _findings_evidence(site.worst_failures()),
                  {"drop": drop, "previous": site.previous_composite, "composite": site.composite,
                   "max_drop_points": params["max_drop_points"]})


def _date_id(iso: str) -> str:
    return format_date_id(dt.date.fromisoformat(iso[:10]))


# --- the table ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """A rule parameter: its kind (number, integer, boolean, strings, severity), bounds and default."""

    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class LagRule:
    name: str
    func: Callable[[SiteWeek, dict[str, Any]], Reason | None]
    params: dict[str, Param]
    description_id: str  # the criterion in plain Indonesian; {param} placeholders are filled in


LAG_RULES: dict[str, LagRule] = {}


def register(rule: LagRule, registry: dict[str, LagRule] = LAG_RULES) -> LagRule:
    if rule.name in registry:
        raise ValueError(f"lag rule {rule.name!r} is already registered")
    if "enabled" in rule.params:
        raise ValueError(f"lag rule {rule.name!r}: 'enabled' is reserved")
    registry[rule.name] = rule
    return rule


BUILTIN = (
    LagRule("downtime", downtime, {"max_down_percent": Param("number", 20, 0, 100)},
            "situs tidak dapat dibuka lebih dari {max_down_percent}% waktu pemantauan dalam seminggu"),
    LagRule("stale_content", stale_content,
            {"max_age_days": Param("integer", 90, 1, 3650),
             "check_ids": Param("strings", ["freshness.newest_content"]),
             "undated_is_stale": Param("boolean", True)},
            "konten terbaru lebih tua dari {max_age_days} hari"),
    LagRule("missing_documents", missing_documents,
            {"check_prefixes": Param("strings", ["freshness.missing_document"])},
            "ada dokumen wajib tahun anggaran berjalan atau sebelumnya yang belum dipublikasikan"),
    LagRule("ppid_incomplete", ppid_incomplete,
            {"check_prefixes": Param("strings", ["freshness.ppid"]), "min_severity": Param("severity", "medium")},
            "informasi publik yang wajib disediakan PPID belum lengkap"),
    LagRule("low_score", low_score, {"min_composite": Param("number", 50, 0, 100)},
            "skor gabungan di bawah {min_composite}"),
    LagRule("score_drop", score_drop, {"max_drop_points": Param("number", 15, 0, 100)},
            "skor gabungan turun lebih dari {max_drop_points} poin dari minggu sebelumnya"),
)

for _rule in BUILTIN:
    register(_rule)


def evaluate(sites: list[SiteWeek], rules: dict[str, dict[str, Any]],
             registry: dict[str, LagRule] = LAG_RULES) -> list[dict[str, Any]]:
    """Every reason that fires for the given sites, in rule-table order, as stored dicts.

    ``rules`` maps a rule name to its parameters (with ``enabled``), as the configuration
    gives them; rules missing there or disabled do not run.
    """
    reasons = []
    for name, rule in registry.items():
        params = rules.get(name)
        if not params or not params.get("enabled", True):
            continue
        for site in sites:
            reason = rule.func(site, params)
            if reason is not None:
                reasons.append(reason.as_dict(site))
    return reasons


__all__ = ["Availability", "SiteWeek", "Evidence", "Reason", "LagRule", "Param", "LAG_RULES", "register",
           "evaluate", "number_id", "SEVERITIES"]
