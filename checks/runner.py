"""Run every registered check over one site's evidence.

Each check runs inside ``run_check``: it is timed, counted, and an exception becomes an
error finding for that site instead of aborting the whole scoring run.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from checks import CHECKS, Check
from checks.base import Finding, SiteEvidence

logger = logging.getLogger(__name__)


def run_check(check: Check, evidence: SiteEvidence, stats: Counter | None = None) -> list[Finding]:
    """One check, timed; its exception turned into a medium-severity error finding."""
    started = time.perf_counter()
    try:
        findings = list(check.func(evidence))
        outcome = "ok"
    except Exception as exc:  # noqa: BLE001 - one broken check must not stop the others
        logger.exception("check %s failed on site %s", check.id, evidence.site.get("id"))
        home = evidence.home
        findings = [Finding(
            check.id, check.dimension, False, "medium",
            f"Pemeriksaan {check.id} gagal dijalankan", f"check failed: {type(exc).__name__}: {exc}",
            home.url if home else evidence.site.get("url"),
            {"error": f"{type(exc).__name__}: {exc}", "check_error": True},
        )]
        outcome = "error"
    if stats is not None:
        stats[f"checks/{check.id}/{outcome}"] += 1
        stats[f"checks/{check.id}/seconds"] += time.perf_counter() - started
    return findings


def run_checks(evidence: SiteEvidence, checks: dict[str, Check] = CHECKS,
               stats: Counter | None = None) -> list[Finding]:
    """The findings of every check in ``checks``, in registry order."""
    findings: list[Finding] = []
    for check in checks.values():
        findings += run_check(check, evidence, stats)
    return findings
