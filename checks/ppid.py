"""PPID completeness: does the PPID site publish what UU 14/2008 and Perki 1/2021 require?

Each item of ``checks/rules/ppid.yaml`` (the periodic items A-K, the three classes of
information, the exempt list, the DIP, the request and objection forms, the service
announcement, the SOP, the yearly service report) is looked for in what the crawl saw:
page titles and headings, link texts, and documents (title, file name, PDF title). An
item is present, missing, or stale (a periodic item whose newest date is older than
``stale_periodic_days``, six months by default).

The score is the weighted share of items present (a stale item counts half) and the
category is the KIP monitoring band of that score. Both are pantau's estimate from the
website alone, never the Komisi Informasi's assessment, and every message says so.

Checks: ``freshness.ppid`` (score and category, the severity of its band) and
``freshness.ppid_item`` (one itemised finding per missing or stale item, without a penalty).
Only sites whose role ``ppid.yaml`` names are judged, and only when the crawl saw enough of
them (``min_pages_to_judge`` of documents.yaml); other sites get one passing "not
applicable" finding from each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from checks import dates
from checks.base import Finding, SiteEvidence
from checks.documents import file_name, judgeable, normalise, soft_404
from checks.freshness import document_dates, format_date_id, has_content, pdf_metadata_of, site_dates
from checks.freshness_config import PpidItem, PpidRules, rules

ESTIMATE_NOTE_ID = "perkiraan pantau dari situs web saja, bukan penilaian resmi Komisi Informasi"
ESTIMATE_NOTE_EN = "pantau's estimate from the website alone, not the Information Commission's assessment"
MAX_NAMED = 6
STATE_VALUES = {"present": 1.0, "undated": 1.0, "missing": 0.0}


@dataclass(frozen=True)
class Published:
    """One thing the site shows that may be a PPID item: a page, a link or a document."""

    text: str  # normalised
    url: str
    kind: str  # page | link | document
    newest: dt.date | None


@dataclass(frozen=True)
class ItemState:
    item: PpidItem
    state: str  # present | undated | stale | missing
    newest: dt.date | None
    evidence_url: str | None
    matched: str | None

    def as_dict(self) -> dict:
        return {"id": self.item.id, "label": self.item.label, "group": self.item.group,
                "periodic": self.item.periodic, "weight": self.item.weight, "state": self.state,
                "newest": self.newest.isoformat() if self.newest else None,
                "evidence_url": self.evidence_url, "matched": self.matched}


def _url_dates(evidence: SiteEvidence) -> dict[str, dt.date]:
    """The newest credible date known for each URL: its own dates and the sitemap's for it."""
    newest: dict[str, dt.date] = {}
    for item in site_dates(evidence)[0]:
        for url in {item.subject or item.url, item.url} if item.source != "sitemap" else {item.subject}:
            if url and (url not in newest or item.date > newest[url]):
                newest[url] = item.date
    return newest


def published_things(evidence: SiteEvidence) -> list[Published]:
    """Pages (title, headings, path), links (text) and documents (title, file, PDF title) of a site.

    Computed once per evidence: both PPID checks read it.
    """
    cached = evidence.__dict__.get("_ppid_published")
    if cached is None:
        cached = _published_things(evidence)
        evidence.__dict__["_ppid_published"] = cached
    return cached


def _published_things(evidence: SiteEvidence) -> list[Published]:
    by_url = _url_dates(evidence)
    things: list[Published] = []
    for row in evidence.documents:
        url = row.get("url") or ""
        if row.get("error_class") not in (None, "ok") or (row.get("status") or 0) >= 400 or soft_404(row):
            continue
        meta = pdf_metadata_of(row)
        credible = [d.date for d in document_dates(row) if dates.credible(d.date, evidence.now) is None]
        text = " | ".join(t for t in (row.get("title"), file_name(url), meta.get("title")) if isinstance(t, str) and t)
        things.append(Published(normalise(text), url, "document", max(credible, default=None)))
        by_url.setdefault(url, max(credible, default=None))
    for page in evidence.html_pages:
        if page.kind not in ("home", "page"):
            continue
        soup = page.soup
        headings = [soup.title.get_text(" ", strip=True) if soup.title else ""]
        headings += [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2"], limit=20)]
        path = urlsplit(page.url).path.replace("/", " ")
        things.append(Published(normalise(" | ".join([*headings, path])), page.url, "page", by_url.get(page.url)))
        for anchor in soup.find_all("a", href=True, limit=2000):
            text = anchor.get_text(" ", strip=True)
            if not text:
                continue
            target = urldefrag(urljoin(page.url, anchor["href"]))[0]
            things.append(Published(normalise(text), target, "link", by_url.get(target)))
    return things


def item_states(evidence: SiteEvidence, ppid_rules: PpidRules | None = None,
                stale_days: int | None = None) -> list[ItemState]:
    """Each PPID item: present, undated, stale or missing, with its newest date and where it was seen."""
    ppid_rules = ppid_rules or rules().ppid
    stale_days = stale_days if stale_days is not None else rules().freshness.stale_periodic_days
    today = dates.local_date(evidence.now)
    things = published_things(evidence)
    states = []
    for item in ppid_rules.items:
        matches = [t for t in things if any(p.search(t.text) for p in item.patterns)]
        if not matches:
            states.append(ItemState(item, "missing", None, None, None))
            continue
        dated = [t for t in matches if t.newest is not None]
        best = max(dated, key=lambda t: t.newest) if dated else matches[0]
        if best.newest is None:
            state = "undated"
        elif item.periodic and (today - best.newest).days > stale_days:
            state = "stale"
        else:
            state = "present"
        states.append(ItemState(item, state, best.newest, best.url, best.text[:120]))
    return states


def score_of(states: list[ItemState], stale_weight: float | None = None) -> float:
    """Weighted share of items present, 0-100; a stale item counts ``1 - stale_weight``."""
    stale_weight = rules().freshness.score.stale_weight if stale_weight is None else stale_weight
    total = sum(s.item.weight for s in states)
    if not total:
        return 0.0
    got = sum(s.item.weight * STATE_VALUES.get(s.state, 1.0 - stale_weight) for s in states)
    return round(100.0 * got / total, 1)


def applies_to(evidence: SiteEvidence) -> bool:
    """True when the site is a PPID site (by role) and the crawl saw enough of it to judge."""
    return ((evidence.site.get("role") or "") in rules().ppid.roles and has_content(evidence)
            and judgeable(evidence)[0])


def _not_applicable(evidence: SiteEvidence, check_id: str) -> list[Finding]:
    home = evidence.home
    url = home.url if home else evidence.site.get("url")
    role = evidence.site.get("role") or ""
    if role in rules().ppid.roles:
        why = judgeable(evidence)[1]
        return [Finding(check_id, "freshness", True, "info", f"Kelengkapan PPID belum dapat dinilai: {why}",
                        "PPID completeness not judged: too little of the site was read", url,
                        {"applicable": True, "judged": False})]
    return [Finding(check_id, "freshness", True, "info",
                    "Kelengkapan informasi publik dinilai pada situs PPID, bukan pada situs ini",
                    f"PPID completeness is judged on PPID sites, not on a {role or 'unknown'} site", url,
                    {"applicable": False})]


def _names(states: list[ItemState]) -> str:
    names = [s.item.label for s in states[:MAX_NAMED]]
    if len(states) > MAX_NAMED:
        names.append(f"dan {len(states) - MAX_NAMED} lainnya")
    return ", ".join(names)


def completeness(evidence: SiteEvidence) -> list[Finding]:
    """The PPID score and its KIP-style category, marked as pantau's estimate."""
    if not has_content(evidence):
        return []
    if not applies_to(evidence):
        return _not_applicable(evidence, "freshness.ppid")
    ppid_rules = rules().ppid
    states = item_states(evidence, ppid_rules)
    score = score_of(states)
    band = ppid_rules.band(score)
    missing = [s for s in states if s.state == "missing"]
    stale = [s for s in states if s.state == "stale"]
    score_id = f"{score:.1f}".replace(".", ",")
    parts = [f"Skor PPID {score_id} dari 100, kategori {band.label} ({ESTIMATE_NOTE_ID})"]
    if missing:
        parts.append(f"belum ada: {_names(missing)}")
    if stale:
        parts.append(f"usang (lebih dari enam bulan): {_names(stale)}")
    detail = {"score": score, "category": band.id, "category_label": band.label, "estimate": True,
              "note_id": ESTIMATE_NOTE_ID, "note_en": ESTIMATE_NOTE_EN,
              "present": sum(1 for s in states if s.state in ("present", "undated")), "missing": len(missing),
              "stale": len(stale), "items": [s.as_dict() for s in states]}
    home = evidence.home
    url = home.url if home else evidence.site.get("url")
    passed = band.severity == "pass"
    return [Finding("freshness.ppid", "freshness", passed, "info" if passed else band.severity,
                    "; ".join(parts),
                    f"PPID score {score} ({band.id}; {ESTIMATE_NOTE_EN}): {len(missing)} items missing, "
                    f"{len(stale)} stale", url, detail)]


def items(evidence: SiteEvidence) -> list[Finding]:
    """One itemised finding per missing or stale PPID item (no penalty: the score carries it)."""
    if not has_content(evidence):
        return []
    if not applies_to(evidence):
        return _not_applicable(evidence, "freshness.ppid_item")
    home = evidence.home
    home_url = home.url if home else evidence.site.get("url")
    findings = []
    for state in item_states(evidence):
        if state.state == "missing":
            findings.append(Finding("freshness.ppid_item", "freshness", False, "info",
                                    f"Informasi publik belum tersedia: {state.item.label}",
                                    f"PPID item missing: {state.item.id}", home_url, state.as_dict()))
        elif state.state == "stale":
            findings.append(Finding(
                "freshness.ppid_item", "freshness", False, "info",
                f"Informasi berkala usang: {state.item.label} (terakhir {format_date_id(state.newest)})",
                f"PPID item stale: {state.item.id} ({state.newest.isoformat()})", state.evidence_url or home_url,
                state.as_dict()))
    if not findings:
        findings.append(Finding("freshness.ppid_item", "freshness", True, "info",
                                "Semua unsur informasi publik PPID tersedia dan mutakhir",
                                "every PPID item present and current", home_url, {"missing": 0, "stale": 0}))
    return findings
