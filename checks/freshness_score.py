"""The freshness score: one number, 0-100, per site (and, averaged, per OPD and per pemda).

It combines two things the Sekda asks about a site: how old its newest content is, and how
much of what it must publish is missing or stale. With the settings of
``checks/rules/freshness.yaml``:

- age points: linear between the ``age_points`` pairs (100 up to 30 days, 75 at 90, 50 at
  180, 20 at a year, 0 at two years by default); a site without any credible date gets 0;
- item points: 100 x (1 - missing share - ``stale_weight`` x stale share) over the items the
  site must publish: the required documents of its role that are due, and for a PPID site
  the PPID items;
- score: the weighted mean of the two (``weights``); a site with nothing required is scored
  on age alone.

``freshness.score`` stores it (detail ``score``) as an informational finding: the
penalties of the freshness dimension already come from the other freshness checks, so the
score adds none of its own.
"""

from __future__ import annotations

from checks import ppid
from checks.base import Finding, SiteEvidence
from checks.documents import missing_documents
from checks.freshness import age_days, format_date_id, has_content, last_updated
from checks.freshness_config import ScoreRules, rules


def age_points(days: int | None, score_rules: ScoreRules | None = None) -> float:
    """Points (0-100) for content this many days old; None (no credible date) gets 0."""
    points = (score_rules or rules().freshness.score).age_points
    if days is None:
        return 0.0
    if days <= points[0][0]:
        return points[0][1]
    for (d0, p0), (d1, p1) in zip(points, points[1:]):
        if days <= d1:
            return round(p0 + (p1 - p0) * (days - d0) / (d1 - d0), 1)
    return points[-1][1]


def item_points(total: int, missing: int, stale: int, score_rules: ScoreRules | None = None) -> float | None:
    """Points (0-100) for the share of required items missing or stale; None when nothing is required."""
    if total <= 0:
        return None
    stale_weight = (score_rules or rules().freshness.score).stale_weight
    return round(max(0.0, 100.0 * (1 - missing / total - stale_weight * stale / total)), 1)


def combine(age: float, items: float | None, score_rules: ScoreRules | None = None) -> float:
    """The weighted mean of age and item points; age alone when there are no items."""
    weights = (score_rules or rules().freshness.score).weights
    if items is None or weights["items"] == 0:
        return round(age, 1)
    return round((weights["age"] * age + weights["items"] * items) / (weights["age"] + weights["items"]), 1)


def score_site(evidence: SiteEvidence) -> dict:
    """Every part of a site's freshness score, for the finding's detail and for reports."""
    newest = last_updated(evidence)
    days = age_days(evidence, newest) if newest else None
    missing, due = missing_documents(evidence)
    total, absent, stale = len(due), len(missing), 0
    if ppid.applies_to(evidence):
        states = ppid.item_states(evidence)
        total += len(states)
        absent += sum(1 for s in states if s.state == "missing")
        stale += sum(1 for s in states if s.state == "stale")
    age = age_points(days)
    items = item_points(total, absent, stale)
    return {"score": combine(age, items), "age_days": days, "newest": newest.date.isoformat() if newest else None,
            "newest_source": newest.source if newest else None, "age_points": age, "items_points": items,
            "items": {"required": total, "missing": absent, "stale": stale}}


def _number_id(value: float) -> str:
    return (f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}").replace(".", ",")


def freshness_score(evidence: SiteEvidence) -> list[Finding]:
    """The site's freshness score 0-100 (passes at ``pass_at``); informational, without a penalty."""
    home = evidence.home
    url = home.url if home else evidence.site.get("url")
    if not has_content(evidence):
        return [Finding("freshness.score", "freshness", False, "info", "Skor kebaruan 0: situs tidak dapat dibaca",
                        "freshness score 0: nothing to read", url,
                        {"score": 0.0, "no_evidence": True})]
    parts = score_site(evidence)
    score = parts["score"]
    counts = parts["items"]
    if parts["age_days"] is None:
        age_text = "tanpa tanggal konten yang dapat dipercaya"
    else:
        age_text = f"konten terbaru {format_date_id(last_updated(evidence).date)}, {parts['age_days']} hari lalu"
    items_text = (f"; {counts['missing']} dari {counts['required']} dokumen/unsur wajib belum ada"
                  + (f", {counts['stale']} usang" if counts["stale"] else "")) if counts["required"] else ""
    passed = score >= rules().freshness.score.pass_at
    return [Finding("freshness.score", "freshness", passed, "info",
                    f"Skor kebaruan {_number_id(score)} dari 100 ({age_text}{items_text})",
                    f"freshness score {score} (age {parts['age_days']} days, "
                    f"{counts['missing']}/{counts['required']} required items missing, {counts['stale']} stale)",
                    url, parts)]
