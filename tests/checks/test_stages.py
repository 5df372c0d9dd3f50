"""The Inpres 3/2003 stage rules, the interaction score, and the interaction.stage finding."""

from __future__ import annotations

import pytest

from checks import CHECKS
from checks.features import DETECTORS
from checks.features.base import Clue, FeatureResult
from checks.stages import INTERACTION_MEDIA, INTERACTION_WEIGHTS, STAGES, classify, interaction_score, stage


def features(*found: str, services: tuple[str, ...] = ()) -> dict[str, FeatureResult]:
    """Detector results with exactly ``found`` present (and these e-service kinds)."""
    out = {key: FeatureResult(key, key in found) for key in DETECTORS}
    if services:
        out["e_services"] = FeatureResult("e_services", True, [Clue("https://x.go.id/", s, s) for s in services])
    return out


def test_the_rule_table_is_the_primers_four_stages_in_order():
    assert [(s.number, s.key) for s in STAGES] == [(1, "persiapan"), (2, "pematangan"), (3, "pemantapan"),
                                                   (4, "pemanfaatan")]
    assert STAGES[0].requires == ()
    assert [r.key for r in STAGES[1].requires] == ["interaction_medium", "institution_links"]
    assert STAGES[1].requires[0].any_of == INTERACTION_MEDIA
    assert {"email", "telephone", "feedback_form", "polling", "forum", "sms", "live_chat"} <= set(INTERACTION_MEDIA)


def test_the_weights_add_up_to_100_and_each_names_a_detector():
    assert sum(INTERACTION_WEIGHTS.values()) == 100
    assert set(INTERACTION_WEIGHTS) <= set(DETECTORS)


@pytest.mark.parametrize("found, services, stage_number, missing", [
    ((), (), 1, ["interaction_medium", "institution_links"]),
    (("email",), (), 1, ["institution_links"]),  # a contact alone, linking nobody
    (("gov_links",), (), 1, ["interaction_medium"]),
    (("gov_links",), ("lpse",), 1, ["interaction_medium"]),  # stages are cumulative
    (("telephone", "gov_links"), (), 2, ["e_service"]),
    (("social_media", "gov_links"), (), 2, ["e_service"]),
    (("complaint", "gov_links"), ("perizinan",), 3, ["all_audiences", "integrated"]),
    (("email", "gov_links", "integration"), ("lpse", "siak"), 3, ["all_audiences"]),
    (("email", "gov_links"), ("lpse", "siak", "e_budgeting"), 3, ["integrated"]),
    (("email", "gov_links", "integration"), ("lpse", "siak", "e_budgeting"), 4, []),
])
def test_a_stage_needs_its_rules_and_every_rule_below(found, services, stage_number, missing):
    verdict = classify(features(*found, services=services))
    assert verdict.number == stage_number
    assert [r.key for r in verdict.missing()] == missing


def test_an_unreadable_site_has_no_stage():
    verdict = classify(features("email", "gov_links"), readable=False)
    assert (verdict.stage, verdict.score) == (None, 0)


def test_the_score_is_the_sum_of_the_weights_of_what_was_found():
    assert interaction_score(features()) == 0
    assert interaction_score(features("email", "telephone", "gov_links")) == 26
    assert interaction_score(features(*INTERACTION_WEIGHTS)) == 100


PEMATANGAN = """
<header><nav><a href="/">Beranda</a><a href="/kontak">Kontak</a></nav></header>
<main><h1>Selamat datang</h1><p>Berita terkini Dinas Komunikasi dan Informatika.</p></main>
<aside><a href="https://jambiprov.go.id/">Portal Provinsi Jambi</a>
<a href="https://www.lapor.go.id/">SP4N-LAPOR!</a></aside>
<footer><p>Telp. (0741) 7552333</p><p>Email: diskominfo [at] jambiprov.go.id</p></footer>"""


def test_the_finding_carries_stage_score_rules_and_evidence(build):
    [finding] = stage(build.evidence(build.home(build.html(PEMATANGAN))))
    assert (finding.check_id, finding.dimension, finding.passed, finding.severity) == (
        "interaction.stage", "interaction", True, "info")
    assert finding.message_id == (
        "Tahap 2 Pematangan (Inpres 3/2003), skor interaksi 38/100; sarana interaksi: alamat email, nomor telepon, "
        "kanal pengaduan (SP4N-LAPOR!); untuk tahap Pemantapan belum ada layanan publik elektronik (LPSE, perizinan "
        "daring, SIAK, e-planning, e-budgeting, JDIH, Satu Data, atau aplikasi layanan daring)")
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/"
    detail = finding.detail
    assert (detail["stage"], detail["stage_key"], detail["score"]) == (2, "pematangan", 38)
    assert detail["requirements"]["interaction_medium"] == {"met": True, "by": ["email", "telephone", "complaint"]}
    assert detail["next"] == {"stage": 3, "stage_name": "Pemantapan", "missing": ["e_service"]}
    assert detail["features"]["gov_links"]["evidence"][0]["value"] == "jambiprov.go.id"
    assert detail["features"]["email"]["evidence"][0]["value"] == "diskominfo@jambiprov.go.id"
    assert set(detail["features"]) == set(DETECTORS)


def test_a_persiapan_site_fails_without_penalty_and_says_what_it_lacks(build):
    [finding] = stage(build.evidence(build.home(build.html("<p>Selamat datang di situs kami.</p>"))))
    assert (finding.passed, finding.severity, finding.detail["stage"]) == (False, "info", 1)
    assert finding.message_id.endswith("untuk tahap Pematangan belum ada sarana interaksi (email, telepon, SMS, "
                                       "WhatsApp, formulir, polling, forum, obrolan, kanal pengaduan atau media "
                                       "sosial); tautan ke instansi pemerintah lain")


def test_a_site_without_readable_pages_is_not_assessed(build):
    [finding] = stage(build.evidence(build.home(None, status=None, error_class="connect_refused")))
    assert (finding.passed, finding.detail) == (False, {"no_evidence": True, "stage": None, "score": None})


def test_the_stage_is_a_registered_interaction_check():
    assert CHECKS["interaction.stage"].func is stage
    assert CHECKS["interaction.stage"].dimension == "interaction"
