"""The prober against real testbed faults on loopback: one site per error class.

Every outcome here comes from a real server misbehaving (a refused port, a full accept
queue, an expired certificate, a redirect chain, a judol page...) through the real prober,
its hosts-file resolver and its address guard.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web
from probe_testbed import served_world
from sitefarm import FarmSite, SiteFarm

from crawler.errors import Outcome
from crawler.prober import ProbeSettings, Prober, Target, classify_exception, probe_all, status_outcome
from testbed.world import world_from_dict

FAULT_WORLD = {
    "seed": 3, "today": "2026-03-10",
    "defaults": {"pages": 8, "news": 2, "documents": 0, "features": ["email"]},
    "regions": [{
        "code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id",
        "portal": {"tls": "valid", "hsts": True},
        "ppid": {"tls": "valid", "https_redirect": True},
        "opds": [
            {"short": "polos", "name": "Dinas Polos"},
            {"short": "santai", "name": "Dinas Santai", "fault": "slow", "slow_ms": 250},
            {"short": "mati", "name": "Dinas Mati", "fault": "down"},
            {"short": "hilang", "name": "Dinas Hilang", "fault": "nxdomain"},
            {"short": "dnsrusak", "name": "Dinas DNS Rusak", "fault": "dns_error"},
            {"short": "lubanghitam", "name": "Dinas Lubang Hitam", "fault": "blackhole"},
            {"short": "lambat", "name": "Dinas Lambat", "fault": "slow", "slow_ms": 2500},
            {"short": "kedaluwarsa", "name": "Dinas Kedaluwarsa", "tls": "expired"},
            {"short": "swasign", "name": "Dinas Swasign", "tls": "self_signed"},
            {"short": "salahnama", "name": "Dinas Salah Nama", "tls": "wrong_host"},
            {"short": "tlsrusak", "name": "Dinas TLS Rusak", "tls": "valid", "fault": "tls_broken"},
            {"short": "tolak", "name": "Dinas Tolak", "fault": "http_403"},
            {"short": "tanpahome", "name": "Dinas Tanpa Beranda", "fault": "http_404_home"},
            {"short": "rusak", "name": "Dinas Rusak", "fault": "http_500"},
            {"short": "putar", "name": "Dinas Putar", "fault": "redirect_loop"},
            {"short": "rantai", "name": "Dinas Rantai", "fault": "redirect_chain"},
            {"short": "kosong", "name": "Dinas Kosong", "fault": "empty_body"},
            {"short": "parkir", "name": "Dinas Parkir", "fault": "parked"},
            {"short": "judol", "name": "Dinas Judol", "fault": "defaced"},
        ],
    }],
}

# unit -> the outcome its testbed fault must produce, end to end.
EXPECTED = {
    "portal": "ok",
    "ppid": "ok",
    "polos": "ok",
    "santai": "ok",
    "mati": "connect_refused",
    "hilang": "dns_nxdomain",
    "dnsrusak": "dns_error",
    "lubanghitam": "connect_timeout",
    "lambat": "read_timeout",
    "kedaluwarsa": "tls_expired",
    "swasign": "tls_self_signed",
    "salahnama": "tls_hostname_mismatch",
    "tlsrusak": "tls_other",
    "tolak": "http_4xx",
    "tanpahome": "http_4xx",
    "rusak": "http_5xx",
    "putar": "redirect_loop",
    "rantai": "too_many_redirects",
    "kosong": "empty_body",
    "parkir": "parked_or_defaced",
    "judol": "parked_or_defaced",
}
# The error classes the prober promises (issue 3), each of which a fault above must produce.
PROMISED = {"dns_nxdomain", "dns_error", "connect_refused", "connect_timeout", "read_timeout", "tls_expired",
            "tls_self_signed", "tls_hostname_mismatch", "tls_other", "http_4xx", "http_5xx", "redirect_loop",
            "too_many_redirects", "empty_body", "parked_or_defaced", "ok"}
TIMEOUT = 1.0


@pytest.fixture(scope="module")
def fault_testbed(tmp_path_factory):
    out = tmp_path_factory.mktemp("faults")
    with served_world(world_from_dict(FAULT_WORLD, source="<fault world>"), out) as testbed:
        yield testbed, out


def settings_for(out, **overrides) -> ProbeSettings:
    values = dict(connect_timeout=TIMEOUT, read_timeout=TIMEOUT, total_timeout=5, hosts_file=str(out / "hosts.txt"),
                  ca_file=str(out / "ca.pem"), allow_private=True)
    values.update(overrides)
    return ProbeSettings(**values)


@pytest.fixture(scope="module")
def probed(fault_testbed):
    """One round over every site of the fault world, by unit short name."""
    testbed, out = fault_testbed
    results = []
    asyncio.run(probe_all([Target(site.url, n) for n, site in enumerate(testbed.sites)], settings_for(out),
                          results.append))
    units = {n: site.unit_short for n, site in enumerate(testbed.sites)}
    return {units[result.site_id]: result for result in results}


def test_the_fault_world_covers_every_promised_error_class():
    assert set(EXPECTED.values()) == PROMISED
    assert {o.value for o in Outcome} >= PROMISED


@pytest.mark.parametrize("unit, outcome", sorted(EXPECTED.items()))
def test_each_fault_is_probed_into_its_error_class(probed, unit, outcome):
    result = probed[unit]
    assert (result.error_class, result.error_detail if result.error_class != outcome else None) == (outcome, None)


def test_a_healthy_https_probe_records_every_phase(probed):
    result = probed["portal"]
    assert (result.status, result.http_version, result.redirects, result.address) == (200, "1.1", 0, "127.0.0.1")
    assert result.final_url == result.url and result.url.startswith("https://jambiprov.go.id:")
    for phase in ("dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "total_ms"):
        assert getattr(result, phase) is not None and getattr(result, phase) >= 0, phase
    assert result.dns_ms + result.connect_ms + result.tls_ms <= result.ttfb_ms <= result.total_ms
    assert result.bytes > 1000
    assert result.probed_at.endswith("+00:00")


def test_plain_http_has_no_tls_phase_and_slowness_shows_in_first_byte(probed):
    polos, santai = probed["polos"], probed["santai"]
    assert polos.tls_ms is None and polos.tls is None and polos.hsts is None
    assert santai.ttfb_ms >= 250 > polos.ttfb_ms


def test_tls_facts_of_a_valid_certificate_and_hsts(probed):
    result = probed["portal"]
    assert result.tls["chain_valid"] is True and result.tls["hostname_match"] is True
    assert result.tls["days_left"] > 300 and result.tls["expired"] is False
    assert "O=Testbed pantau" in result.tls["issuer"]
    assert result.hsts == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("unit, expired, self_signed, chain_valid", [
    ("kedaluwarsa", True, False, True),  # issued by the trusted testbed CA, but expired
    ("swasign", False, True, False),
    ("salahnama", False, False, True),
])
def test_a_refused_certificate_is_still_described(probed, unit, expired, self_signed, chain_valid):
    facts = probed[unit].tls
    assert (facts["expired"], facts["self_signed"], facts["chain_valid"]) == (expired, self_signed, chain_valid)
    if expired:
        assert -32 <= facts["days_left"] <= -29  # the testbed certificate expired 30 days ago
    if unit == "salahnama":
        assert facts["hostname_match"] is False and "salah.example.go.id" in facts["subject"]


def test_a_tls_port_speaking_plain_http_gives_no_certificate(probed):
    result = probed["tlsrusak"]
    assert result.tls is None and result.status is None
    assert "WRONG_VERSION_NUMBER" in result.error_detail.upper() or "record" in result.error_detail.lower()


def test_http_that_redirects_to_https_is_recorded(probed):
    ppid, polos, portal = probed["ppid"], probed["polos"], probed["portal"]
    assert ppid.url.startswith("http://") and ppid.final_url.startswith("https://ppid.jambiprov.go.id:")
    assert (ppid.http_to_https, ppid.redirects, ppid.tls["chain_valid"]) == (True, 1, True)
    assert polos.http_to_https is False
    assert portal.http_to_https is None  # registered as https: nothing to redirect


def test_a_loop_is_told_from_a_long_chain(probed):
    loop, chain = probed["putar"], probed["rantai"]
    assert loop.redirects == 2 and loop.final_url == loop.url  # / -> /beranda -> / again
    assert chain.redirects == 11 and chain.final_url.endswith("/lompat/11")
    assert chain.error_detail == "more than 10 redirects"


def test_parked_and_judol_pages_name_their_signal(probed):
    assert probed["parkir"].error_detail == "home page says 'domain may be for sale'"
    assert probed["judol"].error_detail == "home page says 'slot gacor'"
    assert probed["judol"].status == 200


def test_timeouts_are_told_apart_by_phase(probed):
    blackhole, slow = probed["lubanghitam"], probed["lambat"]
    assert blackhole.connect_ms is None and blackhole.error_detail == "TCP handshake timed out"
    assert slow.connect_ms is not None and slow.ttfb_ms is None and slow.error_detail == "response timed out"
    assert TIMEOUT * 1000 <= blackhole.total_ms < TIMEOUT * 1000 + 500
    assert TIMEOUT * 1000 <= slow.total_ms < TIMEOUT * 1000 + 500


def test_name_failures_never_reach_the_network(probed):
    for unit in ("hilang", "dnsrusak"):
        result = probed[unit]
        assert (result.address, result.connect_ms, result.status) == (None, None, None)
    assert "SERVFAIL" in probed["dnsrusak"].error_detail


def test_the_address_guard_blocks_loopback_unless_allowed(fault_testbed):
    testbed, out = fault_testbed
    url = testbed.site("polos.jambiprov.go.id").url
    literal = url.replace("polos.jambiprov.go.id", "127.0.0.1")

    async def run():
        async with Prober(settings_for(out, allow_private=False)) as prober:
            return await prober.probe(url), await prober.probe(literal)

    requests_before = len(testbed.access_log)
    by_name, by_address = asyncio.run(run())
    assert (by_name.error_class, by_address.error_class) == ("blocked", "blocked")
    assert by_name.error_detail == "polos.jambiprov.go.id: refused non-public address 127.0.0.1"
    assert len(testbed.access_log) == requests_before  # not one request reached the server


def test_a_total_timeout_caps_a_slow_body(fault_testbed):
    testbed, out = fault_testbed

    async def run():
        async with Prober(settings_for(out, read_timeout=10, total_timeout=0.5)) as prober:
            return await prober.probe(testbed.site("lambat.jambiprov.go.id").url)

    result = asyncio.run(run())
    assert result.error_class == "read_timeout" and result.total_ms < 1500


# --- concurrency bounds, against a server that counts requests in flight ---------------------


class InFlight:
    def __init__(self):
        self.now = self.peak = 0
        self.peak_by_host: dict[str, int] = {}
        self.by_host: dict[str, int] = {}

    async def handle(self, request):
        host = request.host.split(":")[0]
        self.now += 1
        self.by_host[host] = self.by_host.get(host, 0) + 1
        self.peak = max(self.peak, self.now)
        self.peak_by_host[host] = max(self.peak_by_host.get(host, 0), self.by_host[host])
        await asyncio.sleep(0.15)
        self.now -= 1
        self.by_host[host] -= 1
        return web.Response(text="<html><head><title>Dinas</title></head><body>Selamat datang</body></html>",
                            content_type="text/html")


def test_global_and_per_host_concurrency_are_bounded(tmp_path):
    counter = InFlight()
    hosts = [f"opd{n}.jambiprov.go.id" for n in range(6)]
    with SiteFarm([FarmSite(h, {"/": counter.handle}) for h in hosts]) as farm:
        (tmp_path / "hosts.txt").write_text("".join(f"127.0.0.1 {h}\n" for h in hosts))
        one_host = [Target(farm.url(hosts[0], f"/?n={n}")) for n in range(6)]
        many_hosts = [Target(farm.url(h, f"/?n={n}")) for h in hosts for n in range(2)]
        settings = ProbeSettings(hosts_file=str(tmp_path / "hosts.txt"), allow_private=True, per_host=2,
                                 concurrency=4)
        start = time.perf_counter()
        stats = asyncio.run(probe_all(one_host, settings))
        one_host_seconds = time.perf_counter() - start
        assert stats.outcomes == {"ok": 6}
        assert counter.peak_by_host[hosts[0]] == 2 and one_host_seconds >= 3 * 0.15
        counter.peak = 0
        stats = asyncio.run(probe_all(many_hosts, settings))
        assert stats.outcomes == {"ok": 12}
        assert counter.peak == 4


# --- the pure parts -----------------------------------------------------------------------------


@pytest.mark.parametrize("status, length, outcome", [
    (200, 10, Outcome.OK), (200, 0, Outcome.EMPTY_BODY), (204, 0, Outcome.OK), (301, 0, Outcome.OK),
    (403, 10, Outcome.HTTP_4XX), (404, 0, Outcome.HTTP_4XX), (500, 10, Outcome.HTTP_5XX), (503, 0, Outcome.HTTP_5XX),
])
def test_status_outcomes(status, length, outcome):
    assert status_outcome(status, length) is outcome


@pytest.mark.parametrize("exc, phase, outcome", [
    (asyncio.TimeoutError(), "dns", Outcome.DNS_ERROR),
    (asyncio.TimeoutError(), "connect", Outcome.CONNECT_TIMEOUT),
    (asyncio.TimeoutError(), "tls", Outcome.TLS_OTHER),
    (asyncio.TimeoutError(), "request", Outcome.READ_TIMEOUT),
    (asyncio.TimeoutError(), "body", Outcome.READ_TIMEOUT),
    (ConnectionResetError(104, "reset"), "tls", Outcome.TLS_OTHER),
    (ConnectionResetError(104, "reset"), "body", Outcome.NETWORK_ERROR),
    (ConnectionRefusedError(111, "refused"), "connect", Outcome.CONNECT_REFUSED),
])
def test_exceptions_are_classified_by_type_then_phase(exc, phase, outcome):
    assert classify_exception(exc, phase)[0] is outcome


def test_settings_refuse_nonsense():
    with pytest.raises(ValueError, match="concurrency must be positive, got 0"):
        ProbeSettings(concurrency=0)
    with pytest.raises(ValueError, match="read_timeout must be more than 0 seconds, got 0"):
        ProbeSettings(read_timeout=0)


def test_the_crawl_also_tells_a_dns_failure_from_a_missing_name():
    from twisted.internet import reactor

    from crawler.addresses import AddressGuard
    from crawler.classify import classify_failure
    from crawler.resolver import GuardedResolver

    resolver = GuardedResolver(reactor, 0, 10, AddressGuard({"rusak.go.id": "SERVFAIL"}, allow_private=True))
    failures = []
    for name in ("rusak.go.id", "hilang.go.id"):
        resolver.getHostByName(name).addErrback(lambda failure: failures.append(failure.value))
    assert [classify_failure(exc)[0] for exc in failures] == [Outcome.DNS_ERROR, Outcome.DNS_NXDOMAIN]


@pytest.mark.parametrize("html, expected", [
    ("<title>SLOT GACOR hari ini</title>", True),
    ("<p>This Domain May Be For Sale</p>", True),
    ("<h1>hacked <b>by</b> someone</h1>", True),
    ("<p>Selamat datang di situs resmi Dinas Pendidikan, layanan online 24 jam</p>", False),
    ("<p>slot waktu layanan: pagi</p>", False),  # "slot" alone is no gambling phrase
])
def test_the_byte_prefilter_never_misses_a_phrase_the_parser_would_find(html, expected):
    from crawler.parked import may_be_parked_or_defaced, parked_or_defaced_signal

    assert may_be_parked_or_defaced(html.encode()) is expected
    assert (parked_or_defaced_signal(html) is not None) is expected
