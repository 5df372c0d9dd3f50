"""The audit spider against real servers on loopback, through the real ``pantau crawl``."""

from __future__ import annotations

import json
import zlib

import pytest
from aiohttp import web

from sitefarm import FarmSite, SiteFarm, crawl, free_port, register_sites
from storage.db import open_db

HTML = "text/html"


def page(links=(), body=""):
    anchors = "".join(f'<a href="{href}">{text}</a>' for href, text in links)
    return (200, HTML, f'<html lang="id"><head><title>Uji</title></head><body>{anchors}{body}</body></html>')


def pages_by_url(db_path, run_id=None):
    db = open_db(db_path)
    run_id = run_id or db.execute("select max(id) from runs").fetchone()[0]
    return {r["url"]: r for r in db.query("select * from pages where run_id = ?", [run_id])}


def run_stats(db_path):
    db = open_db(db_path)
    return json.loads(db.execute("select stats from runs order by id desc limit 1").fetchone()[0])


@pytest.fixture
def hosts_file(tmp_path):
    def write(*hosts):
        path = tmp_path / "hosts.txt"
        path.write_text("".join(f"127.0.0.1 {h}\n" for h in hosts))
        return path
    return write


def test_robots_disallow_holds_when_all_first_requests_wait_at_once(tmp_path, hosts_file):
    secret_links = [(f"/rahasia/{n}", f"rahasia {n}") for n in range(6)]
    site = FarmSite("dinas.ujikab.go.id", {
        "/robots.txt": (200, "text/plain",
                        "User-agent: *\nDisallow: /rahasia/\nDisallow: /sitemap.xml\nDisallow: /feed/\n"
                        "Disallow: /wp-json/\n"),
        "/": page([*secret_links, ("/terbuka", "terbuka")]),
        "/terbuka": page(),
    })
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        crawl(db_path, hosts_file(site.host))
    forbidden = [hit for hit in site.hits if hit.startswith(("/rahasia", "/sitemap", "/feed", "/wp-json"))]
    assert forbidden == []
    assert site.hits.count("/robots.txt") == 1
    assert "/terbuka" in site.hits
    pages = pages_by_url(db_path)
    sitemap = pages[farm.url(site.host, "/sitemap.xml")]
    assert sitemap["error_class"] == "blocked"
    assert sitemap["error_detail"].startswith("robots_forbidden")
    assert run_stats(db_path)["robotstxt/forbidden"] == 9


def calendar(request: web.Request) -> web.Response:
    month = int(request.query.get("bulan", "0"))
    return web.Response(content_type=HTML, text=(
        f'<html lang="id"><body><h1>Agenda bulan {month}</h1>'
        f'<a href="/agenda?bulan={month - 1}">sebelumnya</a> <a href="/agenda?bulan={month + 1}">berikutnya</a>'
        "</body></html>"))


def test_page_budget_bounds_an_endless_calendar(tmp_path, hosts_file):
    site = FarmSite("kalender.ujikab.go.id", {"/": page([("/agenda?bulan=0", "Agenda")]), "/agenda": calendar})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        crawl(db_path, hosts_file(site.host), "--max-pages", "12", "--depth", "50")
    html_pages = [p for p in pages_by_url(db_path).values() if p["kind"] in ("home", "page")]
    assert len(html_pages) == 12
    assert len([h for h in site.hits if h.startswith("/agenda")]) == 11
    assert run_stats(db_path)["budget/dropped/page"] >= 1


def test_depth_limit_bounds_an_endless_calendar(tmp_path, hosts_file):
    site = FarmSite("kalender.ujikab.go.id", {"/": page([("/agenda?bulan=0", "Agenda")]), "/agenda": calendar})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        crawl(db_path, hosts_file(site.host), "--max-pages", "500", "--depth", "3")
    depths = sorted(p["depth"] for p in pages_by_url(db_path).values() if p["kind"] in ("home", "page"))
    # home (0), bulan=0 (1), bulan=-1 and 1 (2), bulan=-2 and 2 (3): nothing deeper.
    assert depths == [0, 1, 2, 2, 3, 3]


def test_private_address_is_refused_without_the_testbed_allowance(tmp_path, hosts_file):
    site = FarmSite("internal.ujikab.go.id", {"/": page()})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        crawl(db_path, hosts_file(site.host), allow_private=False)
    assert site.hits == []
    home = pages_by_url(db_path)[farm.url(site.host)]
    assert home["error_class"] == "blocked"
    assert "non-public address 127.0.0.1" in home["error_detail"]
    assert run_stats(db_path)["ssrf/blocked"] >= 1


def test_links_outside_the_registry_are_recorded_not_followed(tmp_path, hosts_file):
    portal = FarmSite("ujiprov.go.id", {"/": page([("http://luar.example.go.id/x", "situs lain"),
                                                     ("https://www.lapor.go.id/", "SP4N-LAPOR!")])})
    outsider = FarmSite("luar.example.go.id", {"/x": page()})
    with SiteFarm([portal, outsider]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(portal.host)])
        crawl(db_path, hosts_file(portal.host, outsider.host))
    assert outsider.hits == []
    db = open_db(db_path)
    assert {r["host"] for r in db.query("select host from links")} == {"luar.example.go.id", "www.lapor.go.id"}


def loop_a(request):
    raise web.HTTPFound("/masuk")


def loop_b(request):
    raise web.HTTPFound("/")


def test_faults_are_recorded_as_outcomes_not_crashes(tmp_path, hosts_file):
    looping = FarmSite("putar.ujikab.go.id", {"/": loop_a, "/masuk": loop_b})
    erroring = FarmSite("galat.ujikab.go.id", {"/": (500, HTML, "Internal Server Error")})
    forbidden = FarmSite("larang.ujikab.go.id", {"/": (403, HTML, "Forbidden")})
    empty = FarmSite("kosong.ujikab.go.id", {"/": (200, HTML, "")})
    with SiteFarm([looping, erroring, forbidden, empty]) as farm:
        refused_url = f"http://mati.ujikab.go.id:{free_port()}/"
        unknown_url = f"http://hilang.ujikab.go.id:{farm.port}/"
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(looping.host), farm.url(erroring.host), farm.url(forbidden.host),
                                 farm.url(empty.host), refused_url, unknown_url])
        crawl(db_path, hosts_file(looping.host, erroring.host, forbidden.host, empty.host, "mati.ujikab.go.id"))
    pages = pages_by_url(db_path)
    assert pages[farm.url(looping.host)]["error_class"] == "redirect_loop"
    assert pages[farm.url(erroring.host)]["error_class"] == "http_5xx"
    assert pages[farm.url(forbidden.host)]["error_class"] == "http_4xx"
    assert pages[farm.url(empty.host)]["error_class"] == "empty_body"
    assert pages[refused_url]["error_class"] == "connect_refused"
    assert pages[unknown_url]["error_class"] == "dns_nxdomain"


def test_documents_are_checked_with_head_and_two_runs_are_both_kept(tmp_path, hosts_file):
    async def pdf(request):
        return web.Response(body=b"%PDF-1.4\n" + b"0" * 5000, content_type="application/pdf",
                            headers={"Last-Modified": "Tue, 03 Jun 2025 10:00:00 GMT"})

    site = FarmSite("bpkad.ujikab.go.id", {"/": page([("/unduh/APBD_2026.pdf", "APBD 2026"),
                                                      ("/unduh/hilang.pdf", "RKA 2026")]),
                                           "/unduh/APBD_2026.pdf": pdf})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        hosts = hosts_file(site.host)
        crawl(db_path, hosts)
        crawl(db_path, hosts)
    assert "GET /unduh/APBD_2026.pdf" not in site.hits
    db = open_db(db_path)
    runs = list(db.query("select id, status from runs order by id"))
    assert [r["status"] for r in runs] == ["finished", "finished"]
    for run in runs:
        docs = {d["url"]: d for d in db.query("select * from documents where run_id = ?", [run["id"]])}
        apbd = docs[farm.url(site.host, "/unduh/APBD_2026.pdf")]
        assert (apbd["status"], apbd["bytes"], apbd["title"]) == (200, 5009, "APBD 2026")
        assert apbd["last_modified"] == "Tue, 03 Jun 2025 10:00:00 GMT"
        assert docs[farm.url(site.host, "/unduh/hilang.pdf")]["error_class"] == "http_4xx"
        assert db.execute("select count(*) from pages where run_id = ? and kind = 'home'",
                          [run["id"]]).fetchone()[0] == 1


def test_progress_bar_counts_sites_and_pages(tmp_path, hosts_file):
    site = FarmSite("dinas.ujikab.go.id", {"/": page([("/a", "a"), ("/b", "b")]), "/a": page(), "/b": page()})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        result = crawl(db_path, hosts_file(site.host), "--progress")
    assert "1/1 sites" in result.stderr
    # home, /a, /b and the sitemap, feed and posts-API requests queued with the home page
    assert "6 pages" in result.stderr


def test_own_style_sheets_are_fetched_and_stored_for_the_contrast_check(tmp_path, hosts_file):
    css = "body { background: #003366 } a { color: #0000ee }"
    site = FarmSite("dinas.ujikab.go.id", {
        "/": (200, HTML, '<html lang="id"><head><link rel="stylesheet" href="/assets/gaya.css">'
                         '<link rel="stylesheet" href="http://cdn.example.go.id/x.css"></head><body>x</body></html>'),
        "/assets/gaya.css": (200, "text/css", css),
    })
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        crawl(db_path, hosts_file(site.host))
    sheet = pages_by_url(db_path)[farm.url(site.host, "/assets/gaya.css")]
    assert sheet["kind"] == "stylesheet" and sheet["content_type"].startswith("text/css")
    assert zlib.decompress(sheet["body"]).decode() == css
