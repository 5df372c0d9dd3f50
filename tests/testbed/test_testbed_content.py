"""Generated content: Indonesian dates, consistent ages, features, defects, link structure.

These tests drive the site responders directly (no sockets); test_testbed_server.py
covers the same sites over HTTP.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from pypdf import PdfReader

from testbed import content
from testbed.content import Links, build_site
from testbed.server import SiteResponder, default_base_urls
from testbed.world import load_world

TODAY = dt.date(2026, 3, 10)


def responder(world, host: str) -> SiteResponder:
    return SiteResponder(world, world.site(host), Links(world, default_base_urls(world)))


def html(resp: SiteResponder, path: str, query: dict | None = None) -> str:
    reply = resp.respond("GET", path, query or {})
    assert reply.status == 200, (path, reply.status)
    return reply.body.decode()


def test_indonesian_date_formats():
    day = dt.date(2024, 1, 12)
    assert content.tanggal_panjang(day) == "Jumat, 12 Januari 2024"
    assert content.tanggal_singkat(day) == "12 Jan 2024"
    assert content.tanggal_angka(day) == "12/01/2024"
    assert content.tanggal_singkat(dt.date(2023, 8, 7)) == "7 Agu 2023"
    assert content.format_tanggal(dt.date(2026, 3, 1), "long") == "Minggu, 1 Maret 2026"


def test_the_newest_item_is_dated_exactly_newest_days_ago_and_nothing_is_newer(small_world):
    for spec in small_world.sites:
        model = build_site(small_world, spec)
        newest = TODAY - dt.timedelta(days=spec.newest_days_ago)
        assert model.newest_moment.date() == newest, spec.host
        news_dates = [n.published for n in model.news]
        assert news_dates == sorted(news_dates, reverse=True)
        if model.news:
            assert model.news[0].published.date() == newest
        assert all(n.modified.date() == n.published.date() for n in model.news)
        for doc in model.documents:
            assert doc.created <= doc.modified <= doc.uploaded
            assert doc.uploaded.date() <= newest


def test_every_site_has_exactly_the_configured_number_of_pages(small_world):
    for spec in small_world.sites:
        model = build_site(small_world, spec)
        assert len(model.html_paths) == spec.pages, spec.host
        assert len(set(model.html_paths)) == spec.pages
    lambat = build_site(small_world, small_world.site("lambat.jambiprov.go.id"))
    assert len(lambat.news) == 2


def test_explicit_documents_keep_their_names_years_and_ages(small_world):
    model = build_site(small_world, small_world.site("jambiprov.go.id"))
    docs = {d.file: d for d in model.documents}
    assert set(docs) == {"APBD_2026.pdf", "LKjIP_2025.pdf", "Renstra_2021-2026.pdf"}
    assert docs["APBD_2026.pdf"].uploaded.date() == TODAY - dt.timedelta(days=60)
    assert docs["LKjIP_2025.pdf"].uploaded.date() == TODAY - dt.timedelta(days=20)
    assert (docs["APBD_2026.pdf"].year, docs["APBD_2026.pdf"].category) == (2026, "berkala")


def test_generated_documents_name_the_fiscal_year_their_upload_date_implies(small_world):
    model = build_site(small_world, small_world.site("usang.jambiprov.go.id"))
    assert len(model.documents) == 4
    for doc in model.documents:
        year = re.search(r"(\d{4})", doc.file)
        assert year, doc.file
        assert abs(int(year[1]) - doc.uploaded.year) <= 5
        assert doc.uploaded.year <= 2023  # the site went stale 900 days before 2026-03-10


def test_pdfs_are_real_and_their_metadata_matches_the_document(small_world):
    model = build_site(small_world, small_world.site("jambiprov.go.id"))
    for doc in model.documents:
        reader = PdfReader(io.BytesIO(content.render_pdf(doc)))
        meta = reader.metadata
        assert meta.title == doc.title
        assert meta.creation_date == doc.created
        assert meta.modification_date == doc.modified
        assert doc.title in reader.pages[0].extract_text()
    assert content.render_pdf(model.documents[0]) == content.render_pdf(model.documents[0])


def test_same_world_renders_the_same_bytes_and_another_seed_does_not(small_world_path, small_world):
    again = load_world(small_world_path)
    paths = ["/", "/berita", "/kontak", "/sitemap.xml", "/rss.xml", "/dokumen"]
    first = [responder(small_world, "jambiprov.go.id").respond("GET", p, {}).body for p in paths]
    second = [responder(again, "jambiprov.go.id").respond("GET", p, {}).body for p in paths]
    assert first == second
    text = small_world_path.read_text().replace("seed: 7", "seed: 8")
    other_path = small_world_path.with_name("other-seed.yaml")
    other_path.write_text(text)
    other = responder(load_world(other_path), "jambiprov.go.id").respond("GET", "/", {}).body
    assert other != first[0]


def test_contact_channels_appear_exactly_as_the_features_say(small_world):
    portal = html(responder(small_world, "jambiprov.go.id"), "/kontak")
    assert "humas [at] jambiprov.go.id" in portal
    assert "mailto:" not in portal
    assert "https://www.lapor.go.id/" in portal
    assert "facebook.com" in portal
    assert "wa.me" not in portal
    kota = html(responder(small_world, "jambikota.go.id"), "/kontak")
    assert "https://wa.me/62" in kota and "lpse.jambikota.go.id" in kota and "oss.go.id" in kota
    ppid = html(responder(small_world, "ppid.jambiprov.go.id"), "/kontak")
    assert '<form class="form-kontak"' in ppid
    usang = responder(small_world, "usang.jambiprov.go.id")
    for path in usang.model.html_paths:
        page = html(usang, path.split("?")[0], dict([path.split("?")[1].split("=")]) if "?" in path else {})
        assert "@jambiprov.go.id" not in page and "[at]" not in page, path
        assert "tel:" not in page and "wa.me" not in page and "lapor.go.id" not in page, path


def test_a_stale_site_can_still_print_todays_date_and_this_years_copyright(small_world):
    usang = responder(small_world, "usang.jambiprov.go.id")
    home = html(usang, "/")
    assert '<span class="tanggal-hari-ini">Selasa, 10 Maret 2026</span>' in home
    assert "&copy; 2026 " in home
    newest = usang.model.news[0].published.date()
    assert newest == dt.date(2023, 9, 22)
    assert content.format_tanggal(newest, usang.spec.date_style) in home
    fresh_footer = html(responder(small_world, "kalender.jambiprov.go.id"), "/")
    assert "tanggal-hari-ini" not in fresh_footer


def test_accessibility_defects_appear_only_on_the_sites_that_have_them(small_world):
    usang = html(responder(small_world, "usang.jambiprov.go.id"), "/berita")
    assert "<html>" in usang
    imgs = re.findall(r"<img [^>]*>", usang)
    assert imgs and all("alt=" not in img for img in imgs)
    portal = html(responder(small_world, "jambiprov.go.id"), "/berita")
    assert '<html lang="id">' in portal
    imgs = re.findall(r"<img [^>]*>", portal)
    assert imgs and all("alt=" in img for img in imgs)
    assert "<title>" in portal and 'aria-label="Kembali ke atas"' in portal


def test_articles_carry_their_publication_time_in_meta_and_in_indonesian(small_world):
    resp = responder(small_world, "kalender.jambiprov.go.id")
    item = resp.model.news[0]
    reply = resp.respond("GET", item.path, {})
    page = reply.body.decode()
    assert f'<meta property="article:published_time" content="{item.published.isoformat()}">' in page
    assert content.tanggal_panjang(item.published.date()) in page
    assert item.published.isoformat().endswith("+07:00")
    assert reply.headers["Last-Modified"] == content.http_date(item.modified)


def crawl(resp: SiteResponder, base: str, max_depth: int) -> set[str]:
    """Breadth-first over same-site links, as a crawler would, without robots or traps."""
    seen = {"/"}
    queue = deque([("/", 0)])
    while queue:
        path, depth = queue.popleft()
        parts = urlsplit(path)
        reply = resp.respond("GET", parts.path, dict(q.split("=", 1) for q in parts.query.split("&") if q))
        if reply.status != 200 or not reply.headers.get("Content-Type", "").startswith("text/html"):
            continue
        if depth == max_depth:
            continue
        for href in re.findall(r'href="([^"#]+)"', reply.body.decode()):
            url = urlsplit(urljoin(base + path.lstrip("/"), href.replace("&amp;", "&")))
            if f"{url.scheme}://{url.netloc}/" != base:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and not target.startswith(("/agenda/kalender", "/assets/")):
                seen.add(target)
                queue.append((target, depth + 1))
    return seen


def test_a_crawler_reaching_depth_three_finds_every_page_of_every_default_site():
    world = load_world()
    links = Links(world, default_base_urls(world))
    for spec in world.sites:
        if spec.fault not in ("none", "slow"):
            continue
        resp = SiteResponder(world, spec, links)
        found = crawl(resp, links.base(spec.host), 3)
        missing = set(resp.model.html_paths) - found
        assert not missing, (spec.host, sorted(missing))


def test_sitemap_and_feed_agree_with_the_newest_date(small_world):
    resp = responder(small_world, "kalender.jambiprov.go.id")
    newest = TODAY - dt.timedelta(days=resp.spec.newest_days_ago)
    sitemap = resp.respond("GET", "/sitemap.xml", {}).body.decode()
    lastmods = re.findall(r"<lastmod>(\d{4}-\d{2}-\d{2})T", sitemap)
    assert len(lastmods) == resp.spec.pages - (resp.model.list_pages - 1)  # list pages 2.. carry a query
    assert max(lastmods) == newest.isoformat()
    feed = resp.respond("GET", "/rss.xml", {}).body.decode()
    first_pub = re.search(r"<pubDate>([^<]+)</pubDate>", feed)[1]
    assert first_pub.endswith("+0700") and f"{newest.day:02d} " in first_pub


@pytest.mark.parametrize("fault", ["http_500", "http_403", "redirect_loop", "empty_body", "parked"])
def test_content_hiding_faults_answer_every_path_the_same_way(small_world, fault):
    spec = next(s for s in small_world.sites if s.fault == fault)
    resp = responder(small_world, spec.host)
    statuses = {resp.respond("GET", p, {}).status for p in ("/", "/profil", "/robots.txt", "/sitemap.xml")}
    assert len(statuses) == 1
