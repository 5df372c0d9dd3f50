"""The check registry, the runner's error wrapper, and scoring."""

from __future__ import annotations

from collections import Counter

import pytest

from checks import CHECKS, Check, register
from checks.base import DIMENSIONS, Finding
from checks.runner import run_checks
from checks.scoring import DIMENSION_WEIGHTS, composite_score, dimension_scores, site_is_down, site_scores

HEALTHY = """
<main><article class="post"><h1>Sosialisasi SPBE</h1><span class="posted-on">Jumat, 20 November 2026</span>
<img src="/foto.jpg" alt="Peserta sosialisasi"></article></main>
<footer>Telp. (0741) 7552333 &middot; humas@jambiprov.go.id &middot;
<a href="https://ppid.jambiprov.go.id/">PPID Provinsi Jambi</a></footer>
"""


def finding(dimension: str, severity: str, passed: bool = False, check_id: str = "x.y") -> Finding:
    return Finding(check_id, dimension, passed, severity, "pesan", "message", None)


# --- registry ------------------------------------------------------------------------------

def test_builtin_checks_cover_every_dimension_and_are_documented():
    assert {c.dimension for c in CHECKS.values()} == set(DIMENSIONS)
    for check_id, check in CHECKS.items():
        assert check.id == check_id and check.id.split(".")[0] == check.dimension
        assert check.description_en and check.description_id and check.func.__doc__


def test_every_builtin_check_reports_under_its_own_id_and_dimension(build):
    evidence = build.evidence(build.home(build.html(HEALTHY), elapsed_ms=300))
    findings = run_checks(evidence)
    assert {f.check_id for f in findings} == set(CHECKS) - {"availability.tls"}  # no tls facts given
    for f in findings:
        assert f.dimension == CHECKS[f.check_id].dimension
        assert f.passed, f


def test_register_refuses_duplicates_and_unknown_dimensions():
    registry: dict[str, Check] = {}
    register(Check("interaction.form", "interaction", lambda e: [], "Feedback form.", "Formulir."), registry)
    with pytest.raises(ValueError, match="already registered"):
        register(Check("interaction.form", "interaction", lambda e: [], "", ""), registry)
    with pytest.raises(ValueError, match="unknown dimension 'speed'"):
        register(Check("speed.x", "speed", lambda e: [], "", ""), registry)


# --- runner --------------------------------------------------------------------------------

def test_a_failing_check_becomes_an_error_finding_and_the_others_still_run(build):
    def broken(evidence):
        return [1 / 0]

    checks = {"freshness.broken": Check("freshness.broken", "freshness", broken, "", ""),
              "availability.home": CHECKS["availability.home"]}
    stats = Counter()
    findings = run_checks(build.evidence(build.home()), checks, stats)
    error, home = findings
    assert (error.check_id, error.dimension, error.passed, error.severity) == ("freshness.broken", "freshness", False, "medium")
    assert error.message_en == "check failed: ZeroDivisionError: division by zero"
    assert error.evidence_url == "https://diskominfo.jambiprov.go.id/"
    assert home.check_id == "availability.home" and home.passed
    assert stats["checks/freshness.broken/error"] == 1 and stats["checks/availability.home/ok"] == 1
    assert stats["checks/availability.home/seconds"] > 0


# --- scoring -------------------------------------------------------------------------------

def test_penalties_by_severity_floor_at_zero():
    findings = [finding("availability", "info", passed=True), finding("availability", "medium"),
                finding("accessibility", "high"), finding("accessibility", "high"), finding("accessibility", "high"),
                finding("interaction", "low"), finding("freshness", "info", passed=True)]
    assert dimension_scores(findings) == {"availability": 85.0, "accessibility": 0.0,
                                          "interaction": 95.0, "freshness": 100.0}


def test_a_dimension_without_findings_gets_no_credit():
    assert dimension_scores([finding("availability", "info", passed=True)])["freshness"] == 0.0


def test_composite_is_the_weighted_mean():
    scores = {"availability": 100.0, "accessibility": 50.0, "interaction": 0.0, "freshness": 80.0}
    expected = sum(scores[d] * w for d, w in DIMENSION_WEIGHTS.items()) / sum(DIMENSION_WEIGHTS.values())
    assert composite_score(scores) == round(expected, 1) == 69.0


def test_a_down_site_scores_zero_everywhere_whatever_else_passed(build):
    evidence = build.evidence(build.home(None, status=None, error_class="connect_refused"))
    findings = run_checks(evidence) + [finding("interaction", "info", passed=True)]
    assert site_is_down(findings)
    assert site_scores(findings) == {"availability": 0.0, "accessibility": 0.0, "interaction": 0.0,
                                     "freshness": 0.0, "composite": 0.0}


def test_a_healthy_site_scores_full_marks_but_a_slow_http_one_does_not(build):
    healthy = site_scores(run_checks(build.evidence(build.home(build.html(HEALTHY), elapsed_ms=300))))
    assert healthy == {"availability": 100.0, "accessibility": 100.0, "interaction": 100.0, "freshness": 100.0,
                       "composite": 100.0}
    slow = build.home(build.html(HEALTHY), elapsed_ms=2600)
    slow.url = "http://diskominfo.jambiprov.go.id/"
    scores = site_scores(run_checks(build.evidence(slow)))
    assert scores["availability"] == 70.0  # medium latency + medium no-HTTPS
