"""The rule table and the impact-weighted scores."""

from __future__ import annotations

import re

import pytest
from wcag_helpers import page

from checks.wcag import RULES, RULES_BY_ID, Rule, audit_html
from checks.wcag.score import IMPACT_WEIGHTS, IMPACTS, page_score, severity, site_score


def test_every_rule_names_its_success_criteria_impact_and_wording():
    for rule in RULES:
        assert rule.wcag and all(re.fullmatch(r"[1-4]\.\d\.\d{1,2}", sc) for sc in rule.wcag), rule.id
        assert rule.impact in IMPACTS
        assert rule.what_id and rule.what_en and rule.what_id != rule.what_en
        assert all(re.fullmatch(r"[a-z0-9-]+", axe_id) for axe_id in rule.axe)


def test_the_issue_s_criteria_are_all_covered():
    covered = {sc for rule in RULES for sc in rule.wcag}
    assert {"3.1.1", "2.4.2", "1.1.1", "1.3.1", "4.1.2", "2.4.4", "4.1.1", "1.4.4", "1.4.2", "1.4.3"} <= covered


def test_a_rule_with_an_unknown_impact_or_scope_is_refused():
    with pytest.raises(ValueError, match="unknown impact 'fatal'"):
        Rule("x", lambda doc: [], ("1.1.1",), "fatal", "page", "a", "b")
    with pytest.raises(ValueError, match="unknown scope 'site'"):
        Rule("x", lambda doc: [], ("1.1.1",), "minor", "site", "a", "b")


def test_weights_follow_impact():
    assert IMPACT_WEIGHTS["critical"] > IMPACT_WEIGHTS["serious"] > IMPACT_WEIGHTS["moderate"] > \
        IMPACT_WEIGHTS["minor"] > 0


def test_a_page_scores_the_weighted_share_of_applicable_rules_it_passes():
    applied = {"image-alt": "critical", "html-has-lang": "serious", "heading-order": "moderate",
               "duplicate-id": "minor"}
    assert page_score(applied, []) == 100.0
    assert page_score(applied, ["image-alt"]) == round(100 * 11 / 21, 1) == 52.4
    assert page_score(applied, ["duplicate-id", "heading-order"]) == round(100 * 17 / 21, 1)
    assert page_score(applied, list(applied)) == 0.0
    assert page_score({}, []) == 100.0


def test_a_site_scores_the_mean_of_its_pages():
    assert site_score([100.0, 50.0, 75.5]) == 75.2
    assert site_score([]) is None


@pytest.mark.parametrize("impact, failing, checked, expected", [
    ("critical", 30, 30, "high"), ("critical", 15, 30, "high"), ("critical", 14, 30, "medium"),
    ("serious", 10, 10, "medium"), ("serious", 1, 10, "low"), ("moderate", 5, 5, "low"), ("minor", 1, 9, "low"),
])
def test_finding_severity_follows_impact_one_step_lower_on_few_pages(impact, failing, checked, expected):
    assert severity(impact, failing, checked) == expected


def test_an_accessible_page_scores_100_and_a_careless_one_less():
    good = page('<h1>Berita</h1><img src="/a.jpg" alt="Rapat koordinasi"><a href="/b">Baca</a>')
    bad = page('<h2>Berita</h2><h4>Terbaru</h4><img src="/a.jpg"><a href="/b"><i class="fa fa-eye"></i></a>',
               lang=None)
    assert audit_html(good).score == 100.0
    audit = audit_html(bad)
    assert audit.failed == ["html-has-lang", "image-alt", "link-name", "page-has-heading-one", "heading-order"]
    applied = {rule_id: RULES_BY_ID[rule_id].impact for rule_id in audit.results}
    assert audit.score == page_score(applied, audit.failed) < 50
