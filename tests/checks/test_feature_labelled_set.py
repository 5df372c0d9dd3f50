"""The detectors on a labelled set of generated testbed pages (bench/feature_accuracy.py, smaller).

Labels come from the world's options (testbed.features.page_truth), never from the HTML;
decoys and page-builder markup are in the mix. Every detector must keep its precision and
recall, and must beat a keyword search where decoys make one go wrong.
"""

from __future__ import annotations

import pytest

from bench.feature_accuracy import evaluate
from checks.features import DETECTORS


@pytest.fixture(scope="module")
def result():
    return evaluate(regions=3, seed=4)


def test_the_set_has_at_least_60_pages_with_positives_and_negatives_for_most_detectors(result):
    assert result["pages"] >= 60
    tally = result["page"]
    both = [f for f in DETECTORS if tally.get(f, "tp") + tally.get(f, "fn") and tally.get(f, "tn") + tally.get(f, "fp")]
    assert len(both) >= len(DETECTORS) - 1, both


@pytest.mark.parametrize("feature", sorted(DETECTORS))
def test_precision_and_recall_per_detector(result, feature):
    tally = result["page"]
    assert tally.precision(feature) >= 0.95, [m for m in result["misses"] if m[2] == feature][:5]
    assert tally.recall(feature) >= 0.95, [m for m in result["misses"] if m[2] == feature][:5]
    assert result["site"].precision(feature) >= 0.95 and result["site"].recall(feature) >= 0.95


def test_decoys_fool_a_keyword_search_but_not_the_detectors(result):
    baseline, pantau = result["baseline"], result["page"]
    fooled = [f for f in ("social_media", "whatsapp", "sms", "live_chat", "polling", "forum")
              if baseline.precision(f) < 0.9]
    assert len(fooled) >= 4, fooled
    assert all(pantau.precision(f) >= 0.95 for f in fooled)
