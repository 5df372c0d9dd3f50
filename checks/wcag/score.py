"""Accessibility scores, 0-100, per page and per site, weighted by impact.

The only place the weights live. A page scores the weighted share of the rules that
applied to it and that it passed (an image rule applies to a page with images); the
weights follow the impact levels axe-core assigns, as Lighthouse's accessibility score
does. A site scores the mean of its pages, so a defect on every page costs the site as
much as it costs each page, and a defect on one page in thirty costs it a thirtieth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_WEIGHTS = {"critical": 10, "serious": 7, "moderate": 3, "minor": 1}
# The severity of a site-level finding for a rule that fails on at least half of the pages
# checked; on fewer pages it drops one step (never below low).
IMPACT_SEVERITY = {"critical": "high", "serious": "medium", "moderate": "low", "minor": "low"}
_ONE_STEP_DOWN = {"high": "medium", "medium": "low", "low": "low"}


def page_score(impacts_applied: Mapping[str, str], failed: Iterable[str]) -> float:
    """Score of one page: ``impacts_applied`` maps each applicable rule id to its impact."""
    failed = set(failed)
    total = sum(IMPACT_WEIGHTS[impact] for impact in impacts_applied.values())
    if not total:
        return 100.0
    kept = sum(IMPACT_WEIGHTS[impact] for rule, impact in impacts_applied.items() if rule not in failed)
    return round(100 * kept / total, 1)


def site_score(page_scores: Iterable[float]) -> float | None:
    """Mean of the page scores, one decimal; None without pages."""
    scores = list(page_scores)
    if not scores:
        return None
    return round(sum(scores) / len(scores), 1)


def severity(impact: str, pages_failing: int, pages_checked: int) -> str:
    """The finding severity of a rule with ``impact`` that fails on some of a site's pages."""
    base = IMPACT_SEVERITY[impact]
    if pages_checked and pages_failing * 2 < pages_checked:
        return _ONE_STEP_DOWN[base]
    return base
