"""freshness.newest_content: the newest credible content date, and the traps around it.

The clock is frozen at 10:00 WIB on 23 November 2026 (see conftest.NOW).
"""

from __future__ import annotations

import json

import pytest

from checks import freshness

STALE_ARTICLE = """
<main><article class="post">
  <header class="entry-header"><h1>Rapat Koordinasi Kehumasan</h1>
    <span class="posted-on">Senin, 3 Juni 2024</span></header>
  <p>Diskominfo Provinsi Jambi menggelar rapat koordinasi kehumasan.</p>
</article></main>
"""


def sitemap(*lastmods: str) -> str:
    urls = "".join(f"<url><loc>https://diskominfo.jambiprov.go.id/berita/{i}</loc><lastmod>{m}</lastmod></url>"
                   for i, m in enumerate(lastmods))
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def newest(build, *pages, documents=()):
    [finding] = freshness.newest_content(build.evidence(*pages, documents=documents))
    return finding


@pytest.mark.parametrize("days, severity", [
    (0, None), (30, None), (31, "low"), (90, "low"), (91, "medium"), (180, "medium"), (181, "high"),
    (365, "high"), (366, "critical"), (4000, "critical"),
])
def test_age_thresholds(days, severity):
    assert freshness.severity_for_age(days) == severity


def test_sitemap_lastmod(build):
    xml = sitemap("2026-09-30T08:00:00+07:00", "2026-11-02T14:30:00+07:00", "2025-01-05")
    finding = newest(build, build.home(), build.page("/sitemap.xml", xml, kind="sitemap"))
    assert (finding.passed, finding.severity) == (True, "info")
    assert finding.message_id == "Konten terbaru bertanggal 2 November 2026 (21 hari lalu, sumber: peta situs (sitemap))"
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/sitemap.xml"
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-11-02", "sitemap")


def test_sitemap_stamped_with_one_instant_is_not_credible(build):
    xml = sitemap(*["2026-11-23T02:59:00+00:00"] * 6)
    finding = newest(build, build.home(build.html(STALE_ARTICLE)), build.page("/sitemap.xml", xml, kind="sitemap"))
    assert finding.detail["newest"] == "2024-06-03"
    assert "generator stamp" in finding.detail["rejected"][0]


def test_rss_items_not_the_channel_build_date(build):
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>Berita</title>
      <lastBuildDate>Mon, 23 Nov 2026 09:59:00 +0700</lastBuildDate>
      <item><title>Sosialisasi SPBE</title><pubDate>Tue, 14 Jul 2026 09:00:00 +0700</pubDate></item>
      <item><title>Rapat</title><pubDate>Wed, 01 Jul 2026 09:00:00 +0700</pubDate></item>
    </channel></rss>"""
    finding = newest(build, build.home(), build.page("/feed", rss, kind="feed"))
    assert (finding.detail["newest"], finding.detail["source"], finding.detail["age_days"]) == ("2026-07-14", "feed", 132)
    assert (finding.passed, finding.severity) == (False, "medium")
    assert finding.message_id == "Konten tidak diperbarui sejak 14 Juli 2026 (132 hari lalu, sumber: RSS/Atom)"


def test_atom_entries(build):
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <updated>2026-11-23T03:00:00Z</updated>
      <entry><title>Pengumuman</title><published>2026-10-10T01:00:00Z</published>
             <updated>2026-10-12T01:00:00Z</updated></entry></feed>"""
    finding = newest(build, build.home(), build.page("/feed/atom", atom, kind="feed"))
    assert finding.detail["newest"] == "2026-10-12"


def test_wordpress_rest_api_dates_are_utc(build):
    posts = [{"id": 10, "date_gmt": "2026-08-01T02:00:00", "modified_gmt": "2026-08-31T18:30:00"},
             {"id": 9, "date_gmt": "2026-07-20T02:00:00", "modified_gmt": "2026-07-20T02:00:00"}]
    finding = newest(build, build.home(), build.page("/wp-json/wp/v2/posts", json.dumps(posts), kind="wp_json"))
    # 18:30 UTC on 31 August is already 1 September in Jambi (WIB).
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-09-01", "wp_json")


def test_article_published_time_meta(build):
    head = '<meta property="article:published_time" content="2026-11-10T08:00:00+07:00">'
    finding = newest(build, build.home(), build.page("/berita/1", build.html("<p>Isi</p>", head=head)))
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-11-10", "meta")
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/berita/1"


def test_indonesian_date_written_in_an_article(build):
    finding = newest(build, build.home(build.html(STALE_ARTICLE)))
    assert (finding.detail["newest"], finding.detail["source"]) == ("2024-06-03", "text")
    assert (finding.passed, finding.severity) == (False, "critical")
    assert finding.message_id == ("Konten tidak diperbarui sejak 3 Juni 2024 "
                                  "(903 hari lalu, sumber: tanggal tertulis di halaman)")


def test_numeric_dates_are_day_first(build):
    finding = newest(build, build.home(build.html("<article><p>Diposting 03/04/2026</p></article>")))
    assert finding.detail["newest"] == "2026-04-03"


def test_header_widget_with_todays_date_does_not_make_a_stale_site_fresh(build):
    body = ('<header class="site-header"><span>Senin, 23 November 2026</span></header>'
            '<div class="info-bar"><span class="tgl">Senin, 23 November 2026 | 10:01 WIB</span></div>'
            + STALE_ARTICLE +
            "<footer><p>&copy; 2026 Dinas Komunikasi dan Informatika. Diperbarui 22 November 2026</p></footer>")
    finding = newest(build, build.home(build.html(body)))
    assert finding.detail["newest"] == "2024-06-03"
    assert finding.severity == "critical"
    assert finding.detail["rejected"] == [
        "https://diskominfo.jambiprov.go.id/: '23 November 2026' is today's date outside an article"]


def test_todays_date_inside_an_article_is_content(build):
    body = '<article class="post"><span class="posted-on">Senin, 23 November 2026</span><p>Berita hari ini</p></article>'
    finding = newest(build, build.home(build.html(body)))
    assert (finding.detail["newest"], finding.passed) == ("2026-11-23", True)


def test_article_header_time_element_counts(build):
    body = ('<article><header class="entry-header"><time datetime="2026-11-01T09:00:00+07:00">1 Nov</time>'
            "</header></article>")
    finding = newest(build, build.home(build.html(body)))
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-11-01", "time_element")


def test_future_and_ancient_dates_are_rejected(build):
    body = ("<article><p>Agenda: Musrenbang 31 Desember 2030.</p><p>Dasar hukum: Perda 12/01/1990.</p>"
            "<p>Diposting 5 Maret 2025</p></article>")
    xml = sitemap("2027-01-01", "2025-02-01")
    finding = newest(build, build.home(build.html(body)), build.page("/sitemap.xml", xml, kind="sitemap"))
    assert finding.detail["newest"] == "2025-03-05"
    assert sorted(finding.detail["rejected"]) == [
        "https://diskominfo.jambiprov.go.id/: 12/01/1990 is before 1995 (text)",
        "https://diskominfo.jambiprov.go.id/: 31 Desember 2030 is in the future (text)",
        "https://diskominfo.jambiprov.go.id/sitemap.xml: 2027-01-01 is in the future (sitemap)",
    ]


def test_structured_source_wins_a_tie_with_written_text(build):
    body = "<article><p>Diposting 2 November 2026</p></article>"
    finding = newest(build, build.home(build.html(body)),
                     build.page("/sitemap.xml", sitemap("2026-11-02"), kind="sitemap"))
    assert finding.detail["source"] == "sitemap"


def test_relative_dates_count_back_from_the_run(build):
    finding = newest(build, build.home(build.html("<article><p>Diunggah 2 hari yang lalu</p></article>")))
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-11-21", "text_relative")


def test_last_modified_echoing_the_fetch_is_ignored_but_a_documents_is_used(build):
    home = build.home(last_modified="Mon, 23 Nov 2026 02:59:58 GMT", fetched_at="2026-11-23T02:59:58+00:00")
    document = {"url": "https://diskominfo.jambiprov.go.id/files/renstra-2021-2026.pdf", "status": 200,
                "error_class": "ok", "last_modified": "Thu, 14 Mar 2024 04:12:00 GMT"}
    finding = newest(build, home, documents=[document])
    assert (finding.detail["newest"], finding.detail["source"]) == ("2024-03-14", "document_last_modified")
    assert finding.evidence_url == document["url"]
    assert finding.detail["rejected"] == ["https://diskominfo.jambiprov.go.id/: Last-Modified "
                                          "Mon, 23 Nov 2026 02:59:58 GMT is the fetch time (dynamic page)"]


def test_a_static_pages_last_modified_counts(build):
    page = build.page("/profil", build.html("<p>Profil</p>"), last_modified="Fri, 02 Oct 2026 01:00:00 GMT",
                      fetched_at="2026-11-23T02:00:00+00:00")
    finding = newest(build, build.home(), page)
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-10-02", "last_modified")


def test_a_site_without_any_date_is_a_finding(build):
    finding = newest(build, build.home(build.html("<p>Selamat datang</p><footer>&copy; 2026</footer>")))
    assert (finding.passed, finding.severity) == (False, "high")
    assert finding.message_id == "Tidak ditemukan tanggal konten yang dapat dipercaya"


def test_a_down_site_is_no_evidence(build):
    finding = newest(build, build.home(None, status=None, error_class="connect_refused"))
    assert finding.detail == {"no_evidence": True}


def test_event_dates_in_an_agenda_are_not_content_dates(build):
    agenda_list = ('<ul class="agenda"><li><span class="tanggal">20 Nov 2026</span> - Workshop Inovasi Daerah</li>'
                   '<li><span class="tanggal">3 Des 2026</span> - Rapat Evaluasi</li></ul>')
    home = build.home(build.html(f"<main>{STALE_ARTICLE}{agenda_list}</main>"))
    agenda_page = build.page("/agenda", build.html("<main><h1>Agenda Kegiatan</h1><p>Rapat 18 November 2026</p></main>"))
    finding = newest(build, home, agenda_page)
    assert finding.detail["newest"] == "2024-06-03"
    assert finding.detail["rejected_count"] == 0


def pdf_document(path, **meta):
    return {"url": "https://diskominfo.jambiprov.go.id" + path, "status": 200, "error_class": "ok", "ext": "pdf",
            "pdf_meta": json.dumps({"method": "pypdf", **meta})}


def test_a_site_dated_only_by_its_pdfs_metadata(build):
    body = ('<header class="site-header"><span class="tanggal-hari-ini">Senin, 23 November 2026</span></header>'
            '<main><a href="/files/DPA_2025.pdf">DPA 2025</a></main><footer>&copy; 2026 Diskominfo</footer>')
    documents = [pdf_document("/files/DPA_2025.pdf", creation_date="D:20250901080000+07'00'",
                              mod_date="D:20250903101500+07'00'"),
                 pdf_document("/files/LKjIP_2024.pdf", creation_date="D:20250301080000+07'00'",
                              mod_date="D:20250302080000+07'00'")]
    finding = newest(build, build.home(build.html(body)), documents=documents)
    assert (finding.detail["newest"], finding.detail["source"]) == ("2025-09-03", "pdf_metadata")
    assert finding.detail["raw"] == "mod_date D:20250903101500+07'00'"
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/files/DPA_2025.pdf"
    assert finding.message_id == ("Konten tidak diperbarui sejak 3 September 2025 (446 hari lalu, "
                                  "sumber: metadata dokumen PDF)")


def test_xmp_dates_count_and_a_pdf_stamped_at_download_does_not(build):
    documents = [pdf_document("/laporan.pdf", xmp_modify_date="2026-05-04T10:00:00+07:00"),
                 pdf_document("/cetak.pdf", mod_date="D:20261123095900+07'00'")]  # generated on request
    finding = newest(build, build.home(), documents=documents)
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-05-04", "pdf_metadata")
    assert finding.detail["rejected"] == ["https://diskominfo.jambiprov.go.id/cetak.pdf: PDF date "
                                          "mod_date D:20261123095900+07'00' is the fetch time (generated on download)"]


def test_pdf_dates_of_a_broken_link_and_bad_pdf_dates_are_not_evidence(build):
    documents = [{**pdf_document("/hilang.pdf", mod_date="D:20261101"), "status": 404, "error_class": "http_4xx"},
                 pdf_document("/rusak.pdf", mod_date="D:20260231", creation_date="D:2026",
                              xmp_modify_date="kemarin"),
                 pdf_document("/lama.pdf", mod_date="D:19700101000000Z")]
    finding = newest(build, build.home(), documents=documents)
    assert finding.message_id == "Tidak ditemukan tanggal konten yang dapat dipercaya"
    assert finding.detail["rejected"] == [
        "https://diskominfo.jambiprov.go.id/lama.pdf: mod_date D:19700101000000Z is before 1995 (pdf_metadata)"]


def test_a_year_in_a_title_or_file_name_is_never_a_content_date(build):
    body = '<main><a href="/files/APBD_2026.pdf">APBD Tahun Anggaran 2026</a><p>Renstra 2021-2026</p></main>'
    document = {"url": "https://diskominfo.jambiprov.go.id/files/APBD_2026.pdf", "status": 200, "error_class": "ok",
                "title": "APBD Tahun Anggaran 2026"}
    finding = newest(build, build.home(build.html(body)), documents=[document])
    assert (finding.passed, finding.detail["dates_found"]) == (False, 0)


def test_schema_org_json_ld_dates(build):
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebSite", "name": "Diskominfo"},'
            '{"@type": "NewsArticle", "datePublished": "2026-10-01T08:00:00+07:00",'
            ' "dateModified": "2026-10-05T09:00:00+07:00"}]}</script>')
    finding = newest(build, build.home(), build.page("/berita/2", build.html("<p>Isi</p>", head=head)))
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-10-05", "schema_org")


def test_a_modified_stamp_set_to_the_fetch_time_is_not_content(build):
    head = ('<meta property="og:updated_time" content="2026-11-23T09:58:00+07:00">'
            '<meta property="article:published_time" content="2026-03-02T08:00:00+07:00">')
    page = build.page("/berita/3", build.html("<p>Isi</p>", head=head), fetched_at="2026-11-23T03:00:00+00:00")
    finding = newest(build, build.home(), page)
    assert (finding.detail["newest"], finding.detail["source"]) == ("2026-03-02", "meta")
    assert finding.detail["rejected"] == ["https://diskominfo.jambiprov.go.id/berita/3: og:updated_time "
                                          "2026-11-23T09:58:00+07:00 is the fetch time (dynamic page)"]


def test_impossible_written_dates_are_skipped_not_guessed(build):
    body = "<article><p>Diposting 31 Februari 2026</p><p>Diperbarui 12/13/2025</p><p>Rapat 5 Mei 2025</p></article>"
    finding = newest(build, build.home(build.html(body)))
    assert finding.detail["newest"] == "2025-05-05"


def test_the_age_thresholds_come_from_the_rules_file(build, tmp_path, monkeypatch):
    from checks import freshness_config

    for name in freshness_config.FILES:
        (tmp_path / name).write_text((freshness_config.RULES_DIR / name).read_text())
    text = (tmp_path / "freshness.yaml").read_text()
    (tmp_path / "freshness.yaml").write_text(text.replace("age_days: {low: 30,", "age_days: {low: 10,"))
    monkeypatch.setenv(freshness_config.RULES_DIR_ENV, str(tmp_path))
    assert freshness.severity_for_age(20) == "low"
    monkeypatch.delenv(freshness_config.RULES_DIR_ENV)
    assert freshness.severity_for_age(20) is None
