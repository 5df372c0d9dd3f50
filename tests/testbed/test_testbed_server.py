"""The running testbed, fetched over real sockets on 127.0.0.1 through its hosts file."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import errno
import io
import json
import re
import socket
import ssl
import time

import aiohttp
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
from pypdf import PdfReader
from tb_helpers import ServerThread, fetch, fetch_async, url_of

from testbed.server import REGISTRY_COLUMNS
from testbed.world import load_world

TODAY = dt.date(2026, 3, 10)
PORTAL = "jambiprov.go.id"


# --- what the testbed tells the crawler -------------------------------------------------------


def test_hosts_file_lists_every_resolvable_site_and_leaves_out_the_nxdomain_one(served, small_world):
    lines = served.hosts_file_text().splitlines()
    expected = [f"127.0.0.1 {s.host}" for s in small_world.sites if s.fault != "nxdomain"]
    assert lines == expected
    assert "127.0.0.1 hilang.jambiprov.go.id" not in lines


def test_registry_rows_describe_every_site_with_a_url_that_carries_its_port(served, small_world):
    rows = served.registry_rows()
    assert len(rows) == len(small_world.sites)
    assert all(tuple(row) == REGISTRY_COLUMNS for row in rows)
    by_url = {row["url"]: row for row in rows}
    portal = by_url[f"https://jambiprov.go.id:{served.tls_ports['valid']}/"]
    assert portal == {
        "region_code": "15", "region_name": "Provinsi Jambi", "region_kind": "provinsi", "region_parent": "",
        "unit_name": "Pemerintah Provinsi Jambi", "unit_short": "portal", "unit_kind": "portal",
        "url": f"https://jambiprov.go.id:{served.tls_ports['valid']}/", "role": "portal",
        "domain_status": "confirmed",
    }
    kota = by_url[f"http://jambikota.go.id:{served.http_port}/"]
    assert (kota["region_kind"], kota["region_parent"], kota["role"]) == ("kota", "15", "portal")
    ppid = next(r for r in rows if r["unit_kind"] == "ppid")
    assert ppid["unit_name"] == "PPID Utama Provinsi Jambi" and ppid["unit_short"] == "ppid"
    mati = next(r for r in rows if r["unit_short"] == "mati")
    assert mati["url"] == f"http://mati.jambiprov.go.id:{served.down_port}/"
    assert mati["unit_kind"] == "opd" and mati["unit_name"] == "Dinas Mati"
    expired = next(r for r in rows if r["unit_short"] == "kedaluwarsa")
    assert expired["url"] == f"https://kedaluwarsa.jambiprov.go.id:{served.tls_ports['expired']}/"


def test_write_files_writes_hosts_registry_ca_and_truth(served, tmp_path):
    paths = served.write_files(tmp_path / "out")
    assert set(paths) == {"hosts", "registry", "ca", "truth"}
    assert paths["hosts"].read_text() == served.hosts_file_text()
    with paths["registry"].open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == REGISTRY_COLUMNS
        assert list(reader) == served.registry_rows()
    ca = x509.load_pem_x509_certificate(paths["ca"].read_bytes())
    assert ca.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca
    assert json.loads(paths["truth"].read_text()) == served.truth()


def test_truth_states_url_fault_tls_and_newest_date_per_host(served, small_world):
    truth = served.truth()
    assert set(truth) == {s.host for s in small_world.sites}
    portal = truth[PORTAL]
    assert portal["url"] == served.site(PORTAL).url
    assert (portal["fault"], portal["tls"], portal["robots_disallow"]) == ("none", "valid", ["/admin/"])
    assert portal["features"] == ["email", "phone", "lapor", "social"]
    assert [d["file"] for d in portal["documents"]] == ["LKjIP_2025.pdf", "APBD_2026.pdf", "Renstra_2021-2026.pdf"]
    assert portal["documents"][0]["url"] == served.site(PORTAL).url + "files/dokumen/LKjIP_2025.pdf"
    assert truth["usang.jambiprov.go.id"]["newest_date"] == "2023-09-22"
    assert truth["kalender.jambiprov.go.id"]["calendar_trap"] is True
    assert truth["wp.jambiprov.go.id"]["newest_date"] == (TODAY - dt.timedelta(days=3)).isoformat()
    for host in ("mati", "hilang", "rusak", "tolak", "putar", "kosong", "parkir"):
        assert truth[f"{host}.jambiprov.go.id"]["newest_date"] is None, host
    assert truth["tanpahome.jambiprov.go.id"]["newest_date"] is not None
    assert truth["kedaluwarsa.jambiprov.go.id"]["newest_date"] is not None


# --- faults -------------------------------------------------------------------------------------


def test_a_down_site_refuses_the_connection(served):
    with pytest.raises(aiohttp.ClientConnectorError) as info:
        fetch(served, url_of(served, "mati.jambiprov.go.id"))
    assert info.value.os_error.errno == errno.ECONNREFUSED


def test_an_nxdomain_site_does_not_resolve_and_is_not_served_even_by_host_header(served):
    with pytest.raises(aiohttp.ClientConnectorDNSError):
        fetch(served, url_of(served, "hilang.jambiprov.go.id"))
    forced = fetch(served, f"http://127.0.0.1:{served.http_port}/", headers={"Host": "hilang.jambiprov.go.id"})
    assert forced.status == 421


def test_http_error_faults_answer_with_their_status(served):
    assert fetch(served, url_of(served, "rusak.jambiprov.go.id")).status == 500
    assert fetch(served, url_of(served, "rusak.jambiprov.go.id", "/profil")).status == 500
    forbidden = fetch(served, url_of(served, "tolak.jambiprov.go.id"))
    assert forbidden.status == 403 and b"403 Forbidden" in forbidden.body
    assert fetch(served, url_of(served, "tanpahome.jambiprov.go.id")).status == 404
    assert fetch(served, url_of(served, "tanpahome.jambiprov.go.id", "/profil")).status == 200
    assert fetch(served, url_of(served, "tanpahome.jambiprov.go.id", "/sitemap.xml")).status == 200


def test_a_redirect_loop_never_settles(served):
    url = url_of(served, "putar.jambiprov.go.id")
    seen = []
    for _ in range(6):
        reply = fetch(served, url)
        assert reply.status == 302
        seen.append(reply.headers["Location"])
        url = url_of(served, "putar.jambiprov.go.id", reply.headers["Location"])
    assert seen == ["/beranda", "/"] * 3
    async def follow():
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(
                resolver=__import__("tb_helpers").HostsResolver(served.hosts_file_text()))) as session:
            await session.get(url_of(served, "putar.jambiprov.go.id"), max_redirects=10)
    with pytest.raises(aiohttp.TooManyRedirects):
        asyncio.run(follow())


def test_empty_body_and_parked_sites_answer_200_with_nothing_useful(served):
    empty = fetch(served, url_of(served, "kosong.jambiprov.go.id"))
    assert (empty.status, empty.body, empty.headers["Content-Length"]) == (200, b"", "0")
    parked = fetch(served, url_of(served, "parkir.jambiprov.go.id", "/berita"))
    assert parked.status == 200
    assert b"This domain may be for sale" in parked.body and b"Dinas Parkir" not in parked.body


def test_a_slow_site_answers_only_after_its_delay(served):
    slow = fetch(served, url_of(served, "lambat.jambiprov.go.id", "/robots.txt"))
    fast = fetch(served, url_of(served, "kalender.jambiprov.go.id", "/robots.txt"))
    assert slow.status == fast.status == 200
    assert slow.elapsed >= 0.3
    assert fast.elapsed < 0.3


def test_an_unknown_host_is_misdirected(served):
    reply = fetch(served, f"http://127.0.0.1:{served.http_port}/", headers={"Host": "contoh.go.id"})
    assert reply.status == 421


# --- TLS --------------------------------------------------------------------------------------


def peer_certificate(served, host: str) -> x509.Certificate:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", served.site(host).port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def sans(cert: x509.Certificate) -> list[str]:
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName)


def ca_subject(served) -> x509.Name:
    return x509.load_pem_x509_certificate(served.ca_cert_pem).subject


def test_valid_tls_verifies_against_the_testbed_ca_with_hostname_check(served):
    reply = fetch(served, url_of(served, PORTAL), verify=True)
    assert reply.status == 200
    cert = peer_certificate(served, PORTAL)
    assert {PORTAL, "ppid.jambiprov.go.id"} <= set(sans(cert))
    assert cert.issuer == ca_subject(served)


def test_an_expired_certificate_is_signed_by_the_ca_but_past_its_notafter(served):
    host = "kedaluwarsa.jambiprov.go.id"
    cert = peer_certificate(served, host)
    assert cert.not_valid_after_utc < dt.datetime.now(dt.timezone.utc)
    assert cert.issuer == ca_subject(served) and host in sans(cert)
    with pytest.raises(aiohttp.ClientConnectorCertificateError) as info:
        fetch(served, url_of(served, host), verify=True)
    assert "expired" in str(info.value)
    assert fetch(served, url_of(served, host)).status == 200  # content is there for who ignores the cert


def test_a_self_signed_certificate_is_its_own_issuer(served):
    host = "swasign.jambiprov.go.id"
    cert = peer_certificate(served, host)
    assert cert.issuer == cert.subject != ca_subject(served)
    assert host in sans(cert)
    with pytest.raises(aiohttp.ClientConnectorCertificateError) as info:
        fetch(served, url_of(served, host), verify=True)
    assert "self-signed" in str(info.value) or "self signed" in str(info.value)


def test_a_wrong_host_certificate_names_another_host(served):
    host = "salahnama.jambiprov.go.id"
    cert = peer_certificate(served, host)
    assert sans(cert) == ["salah.example.go.id"]
    assert cert.issuer == ca_subject(served)
    with pytest.raises(aiohttp.ClientConnectorCertificateError) as info:
        fetch(served, url_of(served, host), verify=True)
    assert "hostname" in str(info.value).lower() or "match" in str(info.value).lower()


# --- machine-readable resources -----------------------------------------------------------------


def test_robots_txt_lists_the_disallowed_paths_and_the_sitemap(served):
    reply = fetch(served, url_of(served, PORTAL, "/robots.txt"))
    assert reply.text == (f"User-agent: *\nDisallow: /admin/\n\nSitemap: {url_of(served, PORTAL, '/sitemap.xml')}\n")
    home = fetch(served, url_of(served, PORTAL)).text
    assert '<a href="/admin/">Admin</a>' in home  # linked, so a disobedient crawler would go there
    before = len(served.access_log)
    assert fetch(served, url_of(served, PORTAL, "/admin/")).status == 200
    assert [(r.host, r.path) for r in served.access_log[before:]] == [(PORTAL, "/admin/")]


def test_sitemap_lastmod_is_the_truths_newest_date(served):
    truth = served.truth()
    for host in ("kalender.jambiprov.go.id", "usang.jambiprov.go.id", "wp.jambiprov.go.id", PORTAL):
        reply = fetch(served, url_of(served, host, "/sitemap.xml"))
        lastmods = re.findall(r"<lastmod>([^<]+)</lastmod>", reply.text)
        assert max(dt.datetime.fromisoformat(m).date() for m in lastmods).isoformat() == truth[host]["newest_date"]
        locs = re.findall(r"<loc>([^<]+)</loc>", reply.text)
        assert all(loc.startswith(served.site(host).url) for loc in locs)


def test_rss_feed_pubdates_run_from_the_newest_date(served):
    host = "kalender.jambiprov.go.id"
    reply = fetch(served, url_of(served, host, "/rss.xml"))
    assert reply.headers["Content-Type"].startswith("application/rss+xml")
    from email.utils import parsedate_to_datetime
    dates = [parsedate_to_datetime(d) for d in re.findall(r"<pubDate>([^<]+)</pubDate>", reply.text)]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    assert dates[0].date().isoformat() == served.truth()[host]["newest_date"]
    assert fetch(served, url_of(served, host, "/feed/")).status == 404  # only WordPress sites have /feed/


def test_wordpress_sites_serve_wp_json_posts_like_wordpress(served):
    host = "wp.jambiprov.go.id"
    reply = fetch(served, url_of(served, host, "/wp-json/wp/v2/posts?per_page=5"))
    assert reply.status == 200
    assert (reply.headers["X-WP-Total"], reply.headers["X-WP-TotalPages"]) == ("12", "3")
    posts = json.loads(reply.body)
    assert len(posts) == 5
    newest = posts[0]
    modified_gmt = dt.datetime.fromisoformat(newest["modified_gmt"]).replace(tzinfo=dt.timezone.utc)
    assert modified_gmt.astimezone(dt.timezone(dt.timedelta(hours=7))).date() == TODAY - dt.timedelta(days=3)
    assert set(newest) >= {"id", "date", "date_gmt", "modified", "modified_gmt", "slug", "link", "title"}
    article = fetch(served, newest["link"])
    assert article.status == 200 and newest["title"]["rendered"] in article.text
    too_far = fetch(served, url_of(served, host, "/wp-json/wp/v2/posts?page=9"))
    assert too_far.status == 400 and json.loads(too_far.body)["code"] == "rest_post_invalid_page_number"
    assert fetch(served, url_of(served, host, "/feed")).headers["Location"] == "/feed/"
    assert fetch(served, url_of(served, host, "/feed/")).status == 200
    assert fetch(served, url_of(served, PORTAL, "/wp-json/wp/v2/posts")).status == 404


def test_articles_and_documents_carry_last_modified_and_honour_conditional_requests(served):
    host = "kalender.jambiprov.go.id"
    links = re.findall(r'href="(/berita/[^"]+)"', fetch(served, url_of(served, host, "/berita")).text)
    article = fetch(served, url_of(served, host, links[0]))
    last_modified = article.headers["Last-Modified"]
    assert article.status == 200 and last_modified.endswith(" GMT")
    again = fetch(served, url_of(served, host, links[0]), headers={"If-Modified-Since": last_modified})
    assert again.status == 304 and again.body == b""
    by_etag = fetch(served, url_of(served, host, links[0]), headers={"If-None-Match": article.headers["ETag"]})
    assert by_etag.status == 304
    older = fetch(served, url_of(served, host, links[0]), headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status == 200


def test_documents_are_pdfs_whose_metadata_matches_the_truth(served):
    for doc in served.truth()[PORTAL]["documents"]:
        reply = fetch(served, doc["url"])
        assert reply.status == 200 and reply.headers["Content-Type"] == "application/pdf"
        assert reply.body.startswith(b"%PDF-")
        meta = PdfReader(io.BytesIO(reply.body)).metadata
        assert meta.title == doc["title"]
        assert meta.creation_date.isoformat() == doc["created"]
        assert meta.modification_date.isoformat() == doc["modified"]
        from email.utils import parsedate_to_datetime
        uploaded = parsedate_to_datetime(reply.headers["Last-Modified"]).astimezone(meta.creation_date.tzinfo)
        assert uploaded.date().isoformat() == doc["uploaded"]


def test_the_document_list_links_every_pdf(served):
    page = fetch(served, url_of(served, PORTAL, "/dokumen")).text
    for doc in served.truth()[PORTAL]["documents"]:
        assert f'href="/files/dokumen/{doc["file"]}"' in page


def test_the_calendar_trap_goes_on_forever(served):
    host = "kalender.jambiprov.go.id"
    home = fetch(served, url_of(served, host)).text
    path = re.search(r'href="(/agenda/kalender\?bulan=\d{4}-\d{2})"', home)[1]
    assert path == "/agenda/kalender?bulan=2026-03"
    seen = set()

    async def walk(path: str) -> None:
        for _ in range(60):
            reply = await fetch_async(served, url_of(served, host, path))
            assert reply.status == 200
            seen.add(path)
            path = re.search(r'href="(/agenda/kalender\?bulan=\d{4}-\d{2})">[^<]+ &raquo;', reply.text)[1]
            assert path not in seen
    asyncio.run(walk(path))
    assert len(seen) == 60 and "/agenda/kalender?bulan=2031-02" in seen
    assert fetch(served, url_of(served, PORTAL, "/agenda/kalender?bulan=2026-03")).status == 404


def test_head_requests_get_headers_only(served):
    reply = fetch(served, url_of(served, PORTAL, "/"), method="HEAD")
    assert reply.status == 200 and reply.body == b""


# --- determinism and scale -----------------------------------------------------------------------


def test_the_same_world_on_the_same_ports_serves_the_same_bytes(small_world):
    paths = [(PORTAL, "/"), (PORTAL, "/sitemap.xml"), (PORTAL, "/berita?page=2"),
             ("wp.jambiprov.go.id", "/wp-json/wp/v2/posts"), ("kalender.jambiprov.go.id", "/rss.xml"),
             (PORTAL, "/files/dokumen/APBD_2026.pdf")]

    def snapshot(**ports):
        server = ServerThread(small_world, **ports)
        try:
            tb = server.testbed
            bodies = [fetch(tb, url_of(tb, host, path)).body for host, path in paths]
            return bodies, {"http_port": tb.http_port, "tls_ports": dict(tb.tls_ports), "down_port": tb.down_port}
        finally:
            server.stop()

    first, ports = snapshot()
    second, _ = snapshot(**ports)
    assert first == second
    assert all(first)


def test_the_default_world_starts_fast_and_every_site_answers_as_its_truth_says():
    world = load_world()
    started = time.monotonic()
    server = ServerThread(world)
    elapsed = time.monotonic() - started
    try:
        tb = server.testbed
        assert elapsed < 5
        assert len(tb.sites) == len(world.sites)
        truth = tb.truth()
        expected_status = {"none": 200, "http_500": 500, "http_403": 403, "http_404_home": 404,
                           "redirect_loop": 302, "empty_body": 200, "parked": 200}

        async def check(site) -> tuple[str, object]:
            try:
                reply = await fetch_async(tb, site.url)
                return site.host, reply.status
            except aiohttp.ClientConnectorDNSError:
                return site.host, "nxdomain"
            except aiohttp.ClientConnectorError as exc:
                return site.host, "refused" if exc.os_error.errno == errno.ECONNREFUSED else repr(exc)

        async def check_all():
            return dict(await asyncio.gather(*(check(s) for s in tb.sites if s.fault != "slow")))

        got = asyncio.run(check_all())
        for host, status in got.items():
            fault = truth[host]["fault"]
            want = {"down": "refused", "nxdomain": "nxdomain"}.get(fault, expected_status.get(fault))
            assert status == want, (host, fault, status)
    finally:
        server.stop()
