"""From findings to scores: 0-100 per dimension, and one composite.

A dimension starts at 100 and loses ``SEVERITY_PENALTY`` points for every failed
finding, down to 0. The composite is the mean of the dimensions weighted by
``DIMENSION_WEIGHTS``. A site whose home page could not be opened scores 0 in every
dimension: without evidence there is no credit, so down sites sink to the bottom.
"""

from __future__ import annotations

from collections.abc import Iterable

from checks.base import DIMENSIONS, SEVERITIES, Finding

SEVERITY_PENALTY = {"info": 0, "low": 5, "medium": 15, "high": 35, "critical": 100}
DIMENSION_WEIGHTS = {"availability": 0.35, "accessibility": 0.2, "interaction": 0.15, "freshness": 0.3}
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
DOWN_CHECK = "availability.home"


def site_is_down(findings: Iterable[Finding]) -> bool:
    """True when the home-page check failed critically: the site could not be opened."""
    return any(f.check_id == DOWN_CHECK and not f.passed and f.severity == "critical" for f in findings)


def dimension_scores(findings: Iterable[Finding]) -> dict[str, float]:
    """Score 0-100 of each dimension; a dimension no check reported on scores 0."""
    findings = list(findings)
    if site_is_down(findings):
        return {dimension: 0.0 for dimension in DIMENSIONS}
    scores = {}
    for dimension in DIMENSIONS:
        mine = [f for f in findings if f.dimension == dimension]
        # A check that scores its dimension itself (accessibility: impact-weighted, per page)
        # reports the score in detail["dimension_score"]; it replaces the penalty sum.
        reported = [f.detail["dimension_score"] for f in mine if f.detail.get("dimension_score") is not None]
        if reported:
            scores[dimension] = float(min(reported))
            continue
        penalty = sum(SEVERITY_PENALTY[f.severity] for f in mine if not f.passed)
        scores[dimension] = float(max(0, 100 - penalty)) if mine else 0.0
    return scores


def composite_score(scores: dict[str, float]) -> float:
    """Weighted mean of the dimension scores, rounded to one decimal."""
    total = sum(DIMENSION_WEIGHTS.values())
    return round(sum(scores[d] * w for d, w in DIMENSION_WEIGHTS.items()) / total, 1)


def site_scores(findings: Iterable[Finding]) -> dict[str, float]:
    """The four dimension scores plus ``composite``: the rows ``scores`` stores for one site."""
    scores = dimension_scores(findings)
    return {**scores, "composite": composite_score(scores)}
