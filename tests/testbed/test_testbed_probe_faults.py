"""The testbed faults added for the prober, seen from a plain client on loopback."""

from __future__ import annotations

import socket
import ssl

import pytest
from probe_testbed import served_world
from tb_helpers import fetch

from crawler.addresses import SERVFAIL, AddressGuard, NameLookupFailed, NameNotFound, read_hosts_file
from testbed.server import REDIRECT_CHAIN_HOPS
from testbed.tls import HOSTS_PER_CERT
from testbed.world import WorldError, world_from_dict


def world(*opds, portal=None, ppid=False, extra_regions=()):
    return world_from_dict({
        "seed": 1, "today": "2026-03-10", "defaults": {"pages": 8, "news": 2, "documents": 0},
        "regions": [{"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id",
                     "portal": portal or {}, "ppid": ppid, "opds": list(opds)}, *extra_regions]},
        source="world.yaml")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    w = world({"short": "rantai", "name": "Dinas Rantai", "fault": "redirect_chain"},
              {"short": "judol", "name": "Dinas Judol", "fault": "defaced"},
              {"short": "hitam", "name": "Dinas Hitam", "fault": "blackhole"},
              {"short": "dns", "name": "Dinas DNS", "fault": "dns_error"},
              {"short": "hilang", "name": "Dinas Hilang", "fault": "nxdomain"},
              {"short": "tls", "name": "Dinas TLS", "tls": "valid", "fault": "tls_broken"},
              portal={"tls": "valid", "hsts": True}, ppid={"tls": "valid", "https_redirect": True},
              extra_regions=[{"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15",
                              "domain": "jambikota.go.id", "portal": False, "ppid": False}])
    out = tmp_path_factory.mktemp("probe-faults")
    with served_world(w, out) as testbed:
        yield testbed, out


@pytest.mark.parametrize("options, message", [
    ({"fault": "tls_broken"}, "world.yaml: regions[0].opds[0]: fault tls_broken needs an HTTPS site (tls other than none)"),
    ({"https_redirect": True}, "world.yaml: regions[0].opds[0]: https_redirect needs an HTTPS site (tls other than none)"),
    ({"fault": "blackhol"}, "world.yaml: regions[0].opds[0].fault: 'blackhol' is not one of: none, down, nxdomain, "
                            "slow, http_500, http_403, http_404_home, redirect_loop, empty_body, parked, blackhole, "
                            "dns_error, redirect_chain, defaced, tls_broken"),
    ({"hsts": "ya"}, "world.yaml: regions[0].opds[0].hsts: must be true or false, got string 'ya'"),
])
def test_new_options_are_validated(options, message):
    with pytest.raises(WorldError) as info:
        world({"short": "x", "name": "Dinas X", **options})
    assert str(info.value) == message


def test_dns_faults_are_written_to_the_hosts_file(served, tmp_path):
    testbed, out = served
    text = testbed.hosts_file_text()
    assert "SERVFAIL dns.jambiprov.go.id\n" in text
    assert "hilang.jambiprov.go.id" not in text
    hosts = read_hosts_file(out / "hosts.txt")
    assert hosts["dns.jambiprov.go.id"] == SERVFAIL
    guard = AddressGuard(hosts, allow_private=True)
    with pytest.raises(NameLookupFailed, match="dns.jambiprov.go.id: SERVFAIL"):
        guard.resolve("dns.jambiprov.go.id")
    with pytest.raises(NameNotFound):
        guard.resolve("hilang.jambiprov.go.id")
    (tmp_path / "h.txt").write_text("servfail a.go.id b.go.id\n")
    assert read_hosts_file(tmp_path / "h.txt") == {"a.go.id": SERVFAIL, "b.go.id": SERVFAIL}


def test_a_pemda_without_a_portal_is_still_in_the_registry(served):
    testbed, _ = served
    rows = [r for r in testbed.registry_rows() if r["region_code"] == "15.71"]
    assert rows == [{"region_code": "15.71", "region_name": "Kota Jambi", "region_kind": "kota",
                     "region_parent": "15", "unit_name": "Pemerintah Kota Jambi", "unit_short": "portal",
                     "unit_kind": "portal", "url": "", "role": "", "domain_status": ""}]


def test_a_redirect_chain_ends_only_after_every_client_gave_up(served):
    testbed, _ = served
    base = testbed.site("rantai.jambiprov.go.id").url.rstrip("/")
    first = fetch(testbed, base + "/")
    assert (first.status, first.headers["Location"]) == (302, "/lompat/1")
    assert fetch(testbed, base + f"/lompat/{REDIRECT_CHAIN_HOPS - 1}").headers["Location"] == \
        f"/lompat/{REDIRECT_CHAIN_HOPS}"
    assert fetch(testbed, base + f"/lompat/{REDIRECT_CHAIN_HOPS}").status == 200


def test_a_defaced_home_carries_judol_spam_in_its_title(served):
    testbed, _ = served
    home = fetch(testbed, testbed.site("judol.jambiprov.go.id").url)
    assert home.status == 200 and "<title>SLOT GACOR HARI INI" in home.text
    assert "judol.jambiprov.go.id" in home.text


def test_a_blackhole_never_completes_a_handshake(served):
    testbed, _ = served
    with socket.socket() as sock:
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.connect(("127.0.0.1", testbed.blackhole_port))


def test_a_broken_tls_port_answers_a_handshake_with_plain_http(served):
    testbed, _ = served
    context = ssl.create_default_context(cadata=testbed.ca_cert_pem.decode())
    with socket.create_connection(("127.0.0.1", testbed.broken_tls_port), timeout=2) as raw:
        with pytest.raises(ssl.SSLError, match="WRONG_VERSION_NUMBER|record layer"):
            context.wrap_socket(raw, server_hostname="tls.jambiprov.go.id")


def test_http_redirects_to_https_and_https_sends_hsts(served):
    testbed, _ = served
    ppid = testbed.site("ppid.jambiprov.go.id")
    assert ppid.url == f"http://ppid.jambiprov.go.id:{testbed.http_port}/"
    moved = fetch(testbed, ppid.url.rstrip("/") + "/profil?x=1")
    assert (moved.status, moved.headers["Location"]) == (
        301, f"https://ppid.jambiprov.go.id:{testbed.tls_ports['valid']}/profil?x=1")
    portal = fetch(testbed, testbed.site("jambiprov.go.id").url, verify=True)
    assert portal.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in fetch(testbed, testbed.site("ppid.jambiprov.go.id").url).headers


def test_many_hosts_share_certificates_in_small_groups_chosen_by_sni(tmp_path):
    opds = [{"short": f"opd{n}", "name": f"Dinas {n}", "tls": "valid"} for n in range(HOSTS_PER_CERT + 20)]
    with served_world(world(*opds), tmp_path) as testbed:
        context = ssl.create_default_context(cadata=testbed.ca_cert_pem.decode())
        seen = set()
        hosts = sorted(f"{o['short']}.jambiprov.go.id" for o in opds)
        for host in (hosts[0], hosts[-1]):  # the first and the last group
            with socket.create_connection(("127.0.0.1", testbed.tls_ports["valid"]), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname=host) as tls:  # verifies chain and name
                    cert = tls.getpeercert()
                    names = [value for kind, value in cert["subjectAltName"] if kind == "DNS"]
                    assert host in names and len(names) <= HOSTS_PER_CERT
                    seen.add(tuple(names))
        assert len(seen) == 2
