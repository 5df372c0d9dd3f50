"""Availability: can a citizen open the site, safely and without waiting?"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from crawler import parked
from checks.base import Finding, Page, SiteEvidence
from crawler.errors import TLS_OUTCOMES, Outcome

DIMENSION = "availability"

# Plain Indonesian (and English) for every fetch outcome; "{status}" is the HTTP status.
OUTCOME_MESSAGES: dict[str, tuple[str, str]] = {
    Outcome.DNS_NXDOMAIN.value: ("Situs tidak dapat dihubungi (nama domain tidak terdaftar)",
                                 "site unreachable: domain name does not exist"),
    Outcome.DNS_ERROR.value: ("Situs tidak dapat dihubungi (gangguan DNS)",
                              "site unreachable: DNS lookup failed"),
    Outcome.CONNECT_REFUSED.value: ("Situs tidak dapat dihubungi (koneksi ditolak)",
                                    "site unreachable: connection refused"),
    Outcome.CONNECT_TIMEOUT.value: ("Situs tidak dapat dihubungi (koneksi melewati batas waktu)",
                                    "site unreachable: connection timed out"),
    Outcome.READ_TIMEOUT.value: ("Situs tidak merespons (halaman tidak selesai dimuat dalam batas waktu)",
                                 "site unresponsive: read timed out"),
    Outcome.TLS_EXPIRED.value: ("Situs tidak dapat dibuka dengan aman (sertifikat HTTPS kedaluwarsa)",
                                "TLS handshake failed: certificate expired"),
    Outcome.TLS_SELF_SIGNED.value: ("Situs tidak dapat dibuka dengan aman (sertifikat HTTPS tidak sah)",
                                    "TLS handshake failed: self-signed certificate"),
    Outcome.TLS_HOSTNAME_MISMATCH.value: (
        "Situs tidak dapat dibuka dengan aman (sertifikat HTTPS untuk nama domain lain)",
        "TLS handshake failed: certificate is for another host name"),
    Outcome.TLS_OTHER.value: ("Situs tidak dapat dibuka dengan aman (kesalahan HTTPS)",
                              "TLS handshake failed"),
    Outcome.HTTP_4XX.value: ("Halaman utama tidak ditemukan atau ditolak (HTTP {status})",
                             "home page answered HTTP {status}"),
    Outcome.HTTP_5XX.value: ("Server situs mengalami kesalahan (HTTP {status})",
                             "home page answered HTTP {status} (server error)"),
    Outcome.REDIRECT_LOOP.value: ("Situs berputar-putar dalam pengalihan alamat (redirect loop)",
                                  "home page redirects in a loop"),
    Outcome.TOO_MANY_REDIRECTS.value: ("Situs mengalihkan alamat terlalu banyak kali",
                                       "home page exceeds the redirect limit"),
    Outcome.EMPTY_BODY.value: ("Halaman utama kosong", "home page is empty"),
    Outcome.PARKED_OR_DEFACED.value: ("Situs terparkir atau diretas (deface)",
                                      "site is parked or defaced"),
    Outcome.OVERSIZED.value: ("Halaman utama terlalu besar untuk diunduh utuh",
                              "home page exceeds the download size limit"),
    Outcome.BLOCKED.value: ("Situs tidak diperiksa: alamatnya diblokir pantau (alamat privat atau di luar daftar)",
                            "not audited: address blocked by pantau (private or outside the registry)"),
    Outcome.NETWORK_ERROR.value: ("Situs tidak dapat dihubungi (gangguan jaringan)",
                                  "site unreachable: network error"),
}

# Home page response time (ms) above which a finding of that severity is raised; checked in order.
LATENCY_MS = (("high", 5000), ("medium", 2000), ("low", 1000))

# Parked, defaced and hijacked pages are recognised in crawler.parked, shared with the prober.

TLS_WARN_DAYS = 14
TLS_OUTCOME_VALUES = {outcome.value for outcome in TLS_OUTCOMES}


def _finding(check_id: str, passed: bool, severity: str, message_id: str, message_en: str,
             url: str | None, **detail) -> Finding:
    return Finding(check_id, DIMENSION, passed, severity, message_id, message_en, url, detail)


def home_outcome(home: Page | None) -> str:
    """The outcome of the home fetch, with an HTTP error status folded into its class."""
    if home is None:
        return Outcome.NETWORK_ERROR.value
    if home.error_class not in (None, Outcome.OK.value):
        return home.error_class
    if home.status is None:
        return Outcome.NETWORK_ERROR.value
    if home.status >= 500:
        return Outcome.HTTP_5XX.value
    if home.status >= 400:
        return Outcome.HTTP_4XX.value
    return Outcome.OK.value


def parked_or_defaced_signal(page: Page) -> str | None:
    """The phrase showing that a home page is parked, defaced or hijacked, if any
    (see ``crawler.parked``)."""
    if not page.is_html:
        return None
    return parked.parked_or_defaced_signal(page.text)


def home(evidence: SiteEvidence) -> list[Finding]:
    """The home page answered with a status below 400 and is not parked, defaced or hijacked."""
    page = evidence.home
    url = page.url if page else evidence.site.get("url")
    outcome = home_outcome(page)
    status = page.status if page else None
    detail = {"error_class": outcome, "status": status,
              "error_detail": page.error_detail if page else "no home page fetched in this run"}
    if outcome == Outcome.OK.value:
        signal = parked_or_defaced_signal(page)
        if signal:
            outcome = detail["error_class"] = Outcome.PARKED_OR_DEFACED.value
            detail["error_detail"] = f"home page says {signal!r}"
    if outcome == Outcome.OK.value:
        return [_finding("availability.home", True, "info", f"Halaman utama dapat dibuka (HTTP {status})",
                         f"home page reachable (HTTP {status})", url, **detail)]
    message_id, message_en = OUTCOME_MESSAGES.get(
        outcome, (f"Situs tidak dapat dihubungi ({outcome})", f"site unreachable: {outcome}"))
    message_id, message_en = message_id.format(status=status), message_en.format(status=status)
    if outcome == Outcome.OVERSIZED.value:
        # The server answered; only pantau's size cap stopped reading, so the site is not down.
        return [_finding("availability.home", False, "low", message_id, message_en, url, **detail)]
    return [_finding("availability.home", False, "critical", message_id, message_en, url, **detail)]


def _parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def tls(evidence: SiteEvidence) -> list[Finding]:
    """HTTPS is used and its certificate is valid, for this host, and not about to expire."""
    page = evidence.home
    if page is None:
        return []
    url = page.final_url or page.url
    if urlsplit(url).scheme == "http":
        if not page.ok:
            return []  # an unreachable http site may still redirect to https; nothing to judge
        return [_finding("availability.tls", False, "medium", "Situs tidak menggunakan HTTPS",
                         "site is served over plain HTTP", url, scheme="http")]
    facts = page.tls
    if not facts:
        if page.error_class in TLS_OUTCOME_VALUES:
            message_id, message_en = OUTCOME_MESSAGES[page.error_class]
            return [_finding("availability.tls", False, "high", message_id, message_en, url,
                             problems=[page.error_class])]
        return []
    problems_id, problems_en, problems = [], [], []
    not_after = _parse_iso(facts.get("not_after"))
    days_left = (not_after - evidence.now).days if not_after else facts.get("days_left")
    expired = (not_after < evidence.now) if not_after else bool(facts.get("expired"))
    if expired:
        since = not_after.date().isoformat() if not_after else "?"
        problems.append("expired")
        problems_id.append(f"sertifikat HTTPS kedaluwarsa sejak {since}")
        problems_en.append(f"certificate expired on {since}")
    if facts.get("self_signed") and facts.get("chain_valid") is not True:
        problems.append("self_signed")
        problems_id.append("sertifikat HTTPS ditandatangani sendiri (tidak dipercaya peramban)")
        problems_en.append("self-signed certificate")
    if facts.get("hostname_match") is False:
        problems.append("hostname_mismatch")
        problems_id.append("sertifikat HTTPS diterbitkan untuk nama domain lain")
        problems_en.append("certificate does not match the host name")
    if facts.get("chain_valid") is False and "self_signed" not in problems:
        problems.append("chain_invalid")
        problems_id.append("rantai sertifikat HTTPS tidak sah")
        problems_en.append("certificate chain is not trusted")
    detail = {"problems": problems, "not_after": facts.get("not_after"), "days_left": days_left,
              "issuer": facts.get("issuer")}
    if problems:
        return [_finding("availability.tls", False, "high", "Situs tidak aman: " + "; ".join(problems_id),
                         "TLS problem: " + "; ".join(problems_en), url, **detail)]
    if days_left is not None and days_left < TLS_WARN_DAYS:
        detail["problems"] = ["expires_soon"]
        return [_finding("availability.tls", False, "medium",
                         f"Sertifikat HTTPS akan kedaluwarsa dalam {days_left} hari",
                         f"certificate expires in {days_left} days", url, **detail)]
    return [_finding("availability.tls", True, "info", "Sertifikat HTTPS sah",
                     "certificate valid", url, **detail)]


def latency(evidence: SiteEvidence) -> list[Finding]:
    """The home page answered within the time thresholds of ``LATENCY_MS``."""
    page = evidence.home
    if page is None or not page.ok or page.elapsed_ms is None:
        return []
    ms = round(page.elapsed_ms)
    seconds = f"{ms / 1000:.1f}".replace(".", ",")
    for severity, limit in LATENCY_MS:
        if ms > limit:
            return [_finding("availability.latency", False, severity,
                             f"Halaman utama lambat dimuat ({seconds} detik)",
                             f"home page slow ({ms} ms)", page.url, elapsed_ms=ms, limit_ms=limit)]
    return [_finding("availability.latency", True, "info",
                     f"Halaman utama dimuat dalam {ms} milidetik", f"home page answered in {ms} ms",
                     page.url, elapsed_ms=ms)]
