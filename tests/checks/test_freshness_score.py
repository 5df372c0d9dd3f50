"""checks.freshness_score: 0-100 from the age of the newest content and the share of missing items.

Defaults (checks/rules/freshness.yaml): age points 100 up to 30 days, 75 at 90, 50 at 180,
20 at 365, 0 from 730; items 100 x (1 - missing share - 0.5 x stale share); score 0.6 x age
+ 0.4 x items.
"""

from __future__ import annotations

import pytest

from checks import freshness_score

from test_documents import FRESH_OPD_DOCS


@pytest.mark.parametrize("days, points", [
    (None, 0.0), (0, 100.0), (30, 100.0), (60, 87.5), (90, 75.0), (135, 62.5), (180, 50.0), (365, 20.0),
    (547, 10.0), (730, 0.0), (5000, 0.0),
])
def test_age_points(days, points):
    assert freshness_score.age_points(days) == points


@pytest.mark.parametrize("total, missing, stale, points", [
    (0, 0, 0, None), (6, 0, 0, 100.0), (6, 3, 0, 50.0), (6, 6, 0, 0.0), (4, 0, 2, 75.0), (4, 3, 2, 0.0),
])
def test_item_points(total, missing, stale, points):
    assert freshness_score.item_points(total, missing, stale) == points


@pytest.mark.parametrize("age, items, score", [(100.0, None, 100.0), (100.0, 50.0, 80.0), (20.0, 0.0, 12.0)])
def test_combination(age, items, score):
    assert freshness_score.combine(age, items) == score


def test_a_fresh_opd_missing_two_of_six_required_documents(build):
    home = build.home(build.html("<article><p>Diposting 20 November 2026</p></article>"))
    rows = [d for d in FRESH_OPD_DOCS if "RKA" not in d["url"] and "LKjIP" not in d["url"]]
    [finding] = freshness_score.freshness_score(build.evidence(home, documents=rows))
    # age 3 days: 100 points; items 4 of 6: 66.7 points; 0.6 x 100 + 0.4 x 66.7 = 86.7
    assert finding.detail["score"] == 86.7
    assert (finding.check_id, finding.passed, finding.severity) == ("freshness.score", True, "info")
    assert finding.message_id == ("Skor kebaruan 86,7 dari 100 (konten terbaru 20 November 2026, 3 hari lalu; "
                                  "2 dari 6 dokumen/unsur wajib belum ada)")
    assert finding.detail["items"] == {"required": 6, "missing": 2, "stale": 0}


def test_a_stale_site_without_documents_fails(build):
    home = build.home(build.html("<article><p>Diposting 3 Juni 2024</p></article>"))
    pages = [home, *(build.page(f"/p{n}", build.html("<p>Profil</p>")) for n in range(4))]
    [finding] = freshness_score.freshness_score(build.evidence(*pages))
    assert (finding.detail["age_points"], finding.detail["items_points"], finding.detail["score"]) == (0.0, 0.0, 0.0)
    assert not finding.passed


def test_a_site_that_could_not_be_read_scores_zero(build):
    [finding] = freshness_score.freshness_score(
        build.evidence(build.home(None, status=None, error_class="connect_refused")))
    assert (finding.detail["score"], finding.detail["no_evidence"], finding.passed) == (0.0, True, False)
