"""Lag rules: pure functions from one site's week to a reason with its evidence, or nothing."""

from __future__ import annotations

import pytest

from crawler.lagconfig import load_config
from crawler.lagrules import (
    LAG_RULES,
    Availability,
    LagRule,
    Param,
    SiteWeek,
    downtime,
    evaluate,
    low_score,
    missing_documents,
    number_id,
    ppid_incomplete,
    register,
    score_drop,
    stale_content,
)

URL = "https://dlh.jambiprov.go.id/"
RULES = load_config().rules


def finding(check_id: str, severity: str = "medium", passed: bool = False, message: str = "pesan",
            url: str = URL, **detail) -> dict:
    return {"check_id": check_id, "dimension": "freshness", "severity": severity, "passed": passed,
            "message_id": message, "message_en": "message", "evidence_url": url, "detail": detail}


def site(**fields) -> SiteWeek:
    fields.setdefault("composite", 80.0)
    return SiteWeek(site_id=3, url=URL, run_id=9, **fields)


def test_downtime_counts_the_share_of_failed_samples_against_the_limit():
    params = {"max_down_percent": 20}
    assert downtime(site(availability=Availability("probe", 2016, 403)), params) is None  # 19.99 %
    reason = downtime(site(availability=Availability(
        "probe", 2016, 404, (("2026-11-20T02:05:00+00:00", "connect_timeout", None),))), params)
    assert reason.message_id == ("Situs tidak dapat dibuka pada 404 dari 2016 pemeriksaan ketersediaan minggu ini "
                                 "(20,0%; batas 20%)")
    assert [(e.url, e.text) for e in reason.evidence] == [
        (None, "Situs tidak dapat dihubungi (koneksi melewati batas waktu), 2026-11-20 02:05 UTC")]
    assert reason.values == {"source": "probe", "samples": 2016, "down": 404, "down_percent": 20.0,
                             "max_down_percent": 20}
    assert downtime(site(), params) is None  # no samples: nothing to say


def test_downtime_from_crawls_cites_the_failed_home_page_finding():
    home = finding("availability.home", "critical", message="Server situs mengalami kesalahan (HTTP 500)")
    reason = downtime(site(findings=(home,), availability=Availability(
        "crawl", 2, 1, (("2026-11-18T03:00:00+00:00", "http_5xx", URL),))), {"max_down_percent": 20})
    assert reason.message_id == "Situs tidak dapat dibuka pada 1 dari 2 perayapan minggu ini (50%; batas 20%)"
    assert [(e.url, e.text) for e in reason.evidence] == [(URL, "Server situs mengalami kesalahan (HTTP 500)")]


@pytest.mark.parametrize("detail,expected", [
    ({"age_days": 90, "newest": "2026-08-20"}, None),
    ({"age_days": 91, "newest": "2026-08-19"},
     "Konten tidak diperbarui sejak 19 Agustus 2026 (91 hari; batas 90 hari)"),
    ({"no_evidence": True}, None),
    ({"dates_found": 0}, "Tidak ditemukan tanggal konten yang dapat dipercaya; kebaruan situs tidak dapat dibuktikan"),
])
def test_stale_content_reads_the_age_the_freshness_check_measured(detail, expected):
    params = RULES["stale_content"]
    news = finding("freshness.newest_content", "high", url=URL + "berita/7", **detail)
    reason = stale_content(site(findings=(news,)), params)
    assert (reason.message_id if reason else None) == expected
    if reason:
        assert [(e.url, e.text) for e in reason.evidence] == [(URL + "berita/7", "pesan")]


def test_an_undated_site_can_be_left_alone_and_other_check_ids_are_ignored():
    undated = finding("freshness.newest_content", "high", dates_found=0)
    assert stale_content(site(findings=(undated,)), {**RULES["stale_content"], "undated_is_stale": False}) is None
    other = finding("freshness.something_else", age_days=400, newest="2025-10-01")
    assert stale_content(site(findings=(other,)), RULES["stale_content"]) is None


def test_missing_documents_lists_each_missing_document_as_evidence():
    findings = (
        finding("freshness.missing_document", "info", message="Dokumen wajib belum dipublikasikan: RKA 2026"),
        finding("freshness.missing_document", "info", message="Dokumen wajib belum dipublikasikan: DPA 2025"),
        finding("freshness.missing_document", "info", passed=True, message="RKA 2025 ada"),
        finding("freshness.required_documents", "medium", message="ringkasan"),
    )
    reason = missing_documents(site(findings=findings), RULES["missing_documents"])
    assert reason.message_id == "2 dokumen wajib belum dipublikasikan"
    assert [e.text for e in reason.evidence] == ["Dokumen wajib belum dipublikasikan: RKA 2026",
                                                  "Dokumen wajib belum dipublikasikan: DPA 2025"]
    assert missing_documents(site(findings=findings[2:]), RULES["missing_documents"]) is None


def test_ppid_fires_on_a_severe_verdict_and_lists_the_missing_items():
    items = (finding("freshness.ppid_item", "info", message="Informasi publik belum tersedia: DIP",
                     id="dip", state="missing"),
             finding("freshness.ppid_item", "info", message="Informasi publik belum tersedia: SOP",
                     id="sop", state="missing"))
    summary = finding("freshness.ppid", "high", message="Skor PPID 40 (Kurang Informatif)", missing=2, stale=0)
    assert ppid_incomplete(site(findings=items), RULES["ppid_incomplete"]) is None  # only info items
    reason = ppid_incomplete(site(findings=(*items, summary)), RULES["ppid_incomplete"])
    assert reason.message_id == "Informasi publik (PPID) belum lengkap: 2 unsur bermasalah"
    assert [e.text for e in reason.evidence] == ["Skor PPID 40 (Kurang Informatif)",
                                                  "Informasi publik belum tersedia: DIP",
                                                  "Informasi publik belum tersedia: SOP"]
    mild = finding("freshness.ppid", "low", message="hampir lengkap")
    assert ppid_incomplete(site(findings=(*items, mild)), RULES["ppid_incomplete"]) is None


def test_low_score_and_score_drop_cite_the_worst_findings():
    findings = (finding("interaction.contact", "high", message="Tidak ada kontak"),
                finding("availability.tls", "medium", message="Tidak HTTPS"),
                finding("accessibility.wcag", "low", message="Gambar tanpa alt"),
                finding("freshness.newest_content", "high", message="Tidak ada konten", no_evidence=True),
                finding("availability.latency", "info", passed=True, message="cepat"))
    reason = low_score(site(composite=42.25, findings=findings), RULES["low_score"])
    assert reason.message_id == "Skor gabungan 42,2 di bawah batas 50"
    assert [e.text for e in reason.evidence] == ["Tidak ada kontak", "Tidak HTTPS", "Gambar tanpa alt"]
    assert low_score(site(composite=50.0), RULES["low_score"]) is None
    drop = score_drop(site(composite=60.0, previous_composite=75.5, findings=findings), RULES["score_drop"])
    assert drop.message_id == "Skor gabungan turun 15,5 poin dari 75,5 menjadi 60 (batas 15 poin)"
    assert score_drop(site(composite=60.0, previous_composite=75.0), RULES["score_drop"]) is None
    assert score_drop(site(composite=60.0), RULES["score_drop"]) is None  # no previous week


def test_evaluate_runs_the_enabled_rules_in_table_order_over_every_site():
    down = site(composite=0.0, availability=Availability("crawl", 1, 1, ()))
    other = SiteWeek(site_id=4, url="https://ppid.jambiprov.go.id/", composite=30.0)
    reasons = evaluate([down, other], RULES)
    assert [(r["rule"], r["site_id"]) for r in reasons] == [("downtime", 3), ("low_score", 3), ("low_score", 4)]
    assert reasons[2]["site_url"] == "https://ppid.jambiprov.go.id/"
    rules = {**RULES, "low_score": {**RULES["low_score"], "enabled": False}}
    assert [r["rule"] for r in evaluate([down, other], rules)] == ["downtime"]


def test_a_rule_registers_like_the_builtins_and_names_are_unique():
    registry = dict(LAG_RULES)
    rule = LagRule("no_https", lambda s, p: None, {"grace_days": Param("integer", 0, 0, 30)}, "tanpa HTTPS")
    register(rule, registry)
    assert list(registry)[-1] == "no_https"
    with pytest.raises(ValueError, match="lag rule 'no_https' is already registered"):
        register(rule, registry)


def test_numbers_are_written_the_indonesian_way():
    assert [number_id(v) for v in (45.25, 50.0, 0, 7.04)] == ["45,2", "50", "0", "7,0"]
