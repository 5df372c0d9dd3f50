"""availability.home, availability.tls, availability.latency."""

from __future__ import annotations

import datetime as dt

import pytest

from checks import availability
from crawler.errors import Outcome

GOOD_TLS = {"issuer": "CN=R11,O=Let's Encrypt,C=US", "subject": "CN=diskominfo.jambiprov.go.id",
            "self_signed": False, "hostname_match": True, "chain_valid": True}


def tls_facts(now: dt.datetime, days: int, **overrides) -> dict:
    not_after = now + dt.timedelta(days=days)
    return {**GOOD_TLS, "not_after": not_after.isoformat(), "days_left": days, **overrides}


# --- availability.home ---------------------------------------------------------------------

def test_reachable_home_passes_with_its_status(build):
    [finding] = availability.home(build.evidence(build.home(status=200)))
    assert (finding.passed, finding.severity, finding.message_id) == (True, "info", "Halaman utama dapat dibuka (HTTP 200)")
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/"


@pytest.mark.parametrize("error_class, status, message_id", [
    ("connect_refused", None, "Situs tidak dapat dihubungi (koneksi ditolak)"),
    ("dns_nxdomain", None, "Situs tidak dapat dihubungi (nama domain tidak terdaftar)"),
    ("read_timeout", None, "Situs tidak merespons (halaman tidak selesai dimuat dalam batas waktu)"),
    ("redirect_loop", 302, "Situs berputar-putar dalam pengalihan alamat (redirect loop)"),
    ("http_5xx", 503, "Server situs mengalami kesalahan (HTTP 503)"),
    ("tls_expired", None, "Situs tidak dapat dibuka dengan aman (sertifikat HTTPS kedaluwarsa)"),
    ("parked_or_defaced", 200, "Situs terparkir atau diretas (deface)"),
])
def test_unreachable_home_is_critical_with_its_outcome(build, error_class, status, message_id):
    home = build.home(None, status=status, error_class=error_class, error_detail="detail from the crawler")
    [finding] = availability.home(build.evidence(home))
    assert (finding.passed, finding.severity, finding.message_id) == (False, "critical", message_id)
    assert finding.detail["error_class"] == error_class
    assert finding.detail["error_detail"] == "detail from the crawler"


def test_error_status_with_ok_outcome_is_classified_by_status(build):
    [finding] = availability.home(build.evidence(build.home(status=404)))
    assert finding.severity == "critical"
    assert finding.detail["error_class"] == "http_4xx"
    assert finding.message_id == "Halaman utama tidak ditemukan atau ditolak (HTTP 404)"


def test_every_outcome_has_a_plain_message():
    failures = [o.value for o in Outcome if o is not Outcome.OK]
    assert sorted(availability.OUTCOME_MESSAGES) == sorted(failures)
    for message_id, message_en in availability.OUTCOME_MESSAGES.values():
        assert message_id.format(status=500) and "{" not in message_id.format(status=500)


def test_oversized_home_is_not_a_down_site(build):
    [finding] = availability.home(build.evidence(build.home(error_class="oversized")))
    assert (finding.passed, finding.severity) == (False, "low")


def test_missing_home_row_counts_as_unreachable(build):
    [finding] = availability.home(build.evidence(build.page("/berita")))
    assert (finding.severity, finding.detail["error_class"]) == ("critical", "network_error")
    assert finding.evidence_url == build.SITE["url"]


# --- availability.tls ----------------------------------------------------------------------

def test_valid_certificate_passes(build):
    [finding] = availability.tls(build.evidence(build.home(tls=tls_facts(build.NOW, 60))))
    assert (finding.passed, finding.message_id, finding.detail["days_left"]) == (True, "Sertifikat HTTPS sah", 60)


def test_expired_certificate_is_judged_from_the_facts_even_when_content_was_fetched(build):
    facts = tls_facts(build.NOW, -53, chain_valid=None)
    [finding] = availability.tls(build.evidence(build.home(tls=facts)))
    assert (finding.passed, finding.severity) == (False, "high")
    assert finding.message_id == "Situs tidak aman: sertifikat HTTPS kedaluwarsa sejak 2026-10-01"
    assert finding.detail["problems"] == ["expired"]


def test_self_signed_certificate_for_another_host(build):
    facts = tls_facts(build.NOW, 300, self_signed=True, chain_valid=False, hostname_match=False)
    [finding] = availability.tls(build.evidence(build.home(tls=facts)))
    assert finding.detail["problems"] == ["self_signed", "hostname_mismatch"]
    assert finding.message_id == ("Situs tidak aman: sertifikat HTTPS ditandatangani sendiri (tidak dipercaya "
                                  "peramban); sertifikat HTTPS diterbitkan untuk nama domain lain")


def test_untrusted_chain(build):
    [finding] = availability.tls(build.evidence(build.home(tls=tls_facts(build.NOW, 300, chain_valid=False))))
    assert finding.detail["problems"] == ["chain_invalid"]


def test_certificate_expiring_within_two_weeks_is_a_warning(build):
    # days_left is recomputed from not_after at the scoring clock, not trusted from the crawl.
    facts = {**tls_facts(build.NOW, 10), "days_left": 40}
    [finding] = availability.tls(build.evidence(build.home(tls=facts)))
    assert (finding.passed, finding.severity) == (False, "medium")
    assert finding.message_id == "Sertifikat HTTPS akan kedaluwarsa dalam 10 hari"


def test_plain_http_site_is_a_finding(build):
    home = build.home()
    home.url = "http://disdik.jambiprov.go.id/"
    [finding] = availability.tls(build.evidence(home))
    assert (finding.passed, finding.severity, finding.message_id) == (False, "medium", "Situs tidak menggunakan HTTPS")


def test_http_site_redirected_to_https_is_judged_on_its_certificate(build):
    home = build.home(tls=tls_facts(build.NOW, 80), final_url="https://disdik.jambiprov.go.id/")
    home.url = "http://disdik.jambiprov.go.id/"
    [finding] = availability.tls(build.evidence(home))
    assert finding.passed


def test_unreachable_http_site_gets_no_https_verdict(build):
    home = build.home(None, status=None, error_class="connect_refused")
    home.url = "http://disdik.jambiprov.go.id/"
    assert availability.tls(build.evidence(home)) == []


def test_tls_failure_class_without_facts(build):
    home = build.home(None, status=None, error_class="tls_hostname_mismatch")
    [finding] = availability.tls(build.evidence(home))
    assert (finding.severity, finding.detail["problems"]) == ("high", ["tls_hostname_mismatch"])


# --- availability.latency ------------------------------------------------------------------

@pytest.mark.parametrize("elapsed_ms, passed, severity, message_id", [
    (420, True, "info", "Halaman utama dimuat dalam 420 milidetik"),
    (1500, False, "low", "Halaman utama lambat dimuat (1,5 detik)"),
    (2600, False, "medium", "Halaman utama lambat dimuat (2,6 detik)"),
    (7200, False, "high", "Halaman utama lambat dimuat (7,2 detik)"),
])
def test_latency_thresholds(build, elapsed_ms, passed, severity, message_id):
    [finding] = availability.latency(build.evidence(build.home(elapsed_ms=elapsed_ms)))
    assert (finding.passed, finding.severity, finding.message_id) == (passed, severity, message_id)


def test_latency_of_a_down_home_is_not_measured(build):
    home = build.home(None, status=None, error_class="read_timeout", elapsed_ms=30000)
    assert availability.latency(build.evidence(home)) == []


# --- parked, defaced, hijacked -------------------------------------------------------------

PARKED = ('<div class="parking"><h1>disdik.tanjabbarkab.go.id</h1><p>This domain may be for sale. '
          "Domain ini sedang tidak aktif.</p><p>Related searches: Pinjaman Online, Hosting Murah</p></div>")


@pytest.mark.parametrize("body, title, signal", [
    (PARKED, "disdik.tanjabbarkab.go.id", "domain may be for sale"),
    ("<center><h1>Hacked by xXx_Crew</h1><p>Security is an illusion</p></center>", "h4ck3d", "hacked by"),
    ("<h1>Dinas Pendidikan</h1><p>Selamat datang</p>", "SLOT GACOR Hari Ini Maxwin", "slot gacor"),
])
def test_parked_defaced_or_hijacked_home_is_down(build, body, title, signal):
    [finding] = availability.home(build.evidence(build.home(build.html(body, title=title))))
    assert (finding.passed, finding.severity, finding.message_id) == (
        False, "critical", "Situs terparkir atau diretas (deface)")
    assert finding.detail["error_class"] == "parked_or_defaced"
    assert finding.detail["error_detail"] == f"home page says {signal!r}"


def test_a_news_headline_about_a_hack_does_not_make_a_real_home_page_defaced(build):
    news = "".join(f"<li class='berita'><h3>Berita {i}</h3><p>{'Kegiatan rutin dinas. ' * 10}</p></li>" for i in range(12))
    body = f"<h1>Dinas Pendidikan</h1><ul>{news}<li>Situs KPU diretas oleh orang tak dikenal</li></ul>"
    [finding] = availability.home(build.evidence(build.home(build.html(body))))
    assert finding.passed
