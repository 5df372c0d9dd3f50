"""Document rules: language (3.1.1), title (2.4.2), zoom (1.4.4), headings (1.3.1), ids (4.1.1)."""

from __future__ import annotations

import pytest
from wcag_helpers import failing, page

NEWS = "<h1>Berita</h1><article><h2>Posyandu Serentak</h2><p>Isi berita.</p></article>"


def test_a_page_that_declares_indonesian_passes_both_language_rules():
    html = page(NEWS, lang="id-ID")
    assert failing("html-has-lang", html) == []
    assert failing("html-lang-valid", html) == []


@pytest.mark.parametrize("lang", [None, "", "   "])
def test_a_missing_or_blank_lang_fails_and_points_at_html(lang):
    html = page(NEWS, lang=lang)
    assert failing("html-has-lang", html) == ["html"]
    assert failing("html-lang-valid", html) is None  # nothing declared, nothing to validate


def test_xml_lang_alone_does_not_declare_the_language_of_an_html_page():
    html = page(NEWS, lang=None).replace("<html>", '<html xml:lang="id">')
    assert failing("html-has-lang", html) == ["html"]


@pytest.mark.parametrize("lang, valid", [
    ("id", True), ("ID", True), ("jv", True), ("en-US", True), ("in", True),  # in: withdrawn, still read
    ("bahasa", False), ("indonesia", False), ("ind", False), ("eng", False),  # ind/eng: use id/en
    ("ace", True),  # Acehnese has no two-letter code
])
def test_the_language_must_be_a_language_code(lang, valid):
    assert failing("html-lang-valid", page(NEWS, lang=lang)) == ([] if valid else ["html"])


def test_title_present_passes_and_missing_or_empty_title_fails():
    assert failing("document-title", page(NEWS)) == []
    assert failing("document-title", page(NEWS, title=None)) == ["html"]
    assert failing("document-title", page(NEWS, title=" \n ")) == ["html"]


def test_an_svg_title_in_the_body_is_not_the_page_title():
    html = page('<svg role="img"><title>Logo</title></svg>' + NEWS, title=None)
    assert failing("document-title", html) == ["html"]


@pytest.mark.parametrize("content, blocks", [
    ("width=device-width, initial-scale=1", False),
    ("width=device-width, initial-scale=1, maximum-scale=5", False),
    ("width=device-width, initial-scale=1, maximum-scale=2.0", False),
    ("width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no", True),
    ("width=device-width, initial-scale=1.0, maximum-scale=1.0", True),
    ("width=device-width; user-scalable=0", True),
    ("width=device-width, user-scalable=yes", False),
])
def test_a_viewport_may_not_forbid_zooming(content, blocks):
    assert failing("meta-viewport", page(NEWS, viewport=content)) == (["html > head > meta:nth-of-type(2)"]
                                                                     if blocks else [])


def test_a_page_without_viewport_meta_has_nothing_to_judge_for_zoom():
    html = page(NEWS).replace('<meta name="viewport" content="width=device-width, initial-scale=1">', "")
    assert failing("meta-viewport", html) is None


def test_headings_that_go_down_one_level_at_a_time_pass():
    body = ("<h1>Profil</h1><h2>Visi dan Misi</h2><h3>Visi</h3><h3>Misi</h3><h2>Struktur</h2>"
            "<h2>Tugas</h2><h3>Fungsi</h3><h4>Rincian</h4><h2>Kontak</h2>")
    assert failing("heading-order", page(body)) == []


def test_a_heading_that_skips_a_level_fails_and_only_that_one():
    body = ("<h1>Berita</h1><ul><li><h3>Posyandu</h3></li><li><h3>Imunisasi</h3></li></ul>"
            '<aside><h2>Tautan</h2><h4 id="terkait">Terkait</h4></aside>')
    assert failing("heading-order", page(body)) == ["#konten > ul > li:nth-of-type(1) > h3", "#terkait"]


def test_the_first_heading_may_have_any_level_and_hidden_headings_do_not_count():
    body = '<h3>Pengumuman</h3><div hidden><h6>Lama</h6></div><h4>Jadwal</h4>'
    assert failing("heading-order", page(body)) == []


def test_aria_level_and_role_heading_set_the_level_a_screen_reader_announces():
    body = '<h1>Layanan</h1><div role="heading" aria-level="2">Loket</div><p role="heading" aria-level="4">x</p>'
    assert failing("heading-order", page(body)) == ["#konten > p"]
    assert failing("heading-order", page('<h1>A</h1><h2 role="presentation">B</h2><h3>C</h3>')) == \
        ["#konten > h3"]


def test_a_page_without_headings_has_no_heading_order_to_judge():
    assert failing("heading-order", page("<p>Selamat datang</p>")) is None


def test_a_page_needs_a_level_one_heading():
    assert failing("page-has-heading-one", page(NEWS)) == []
    assert failing("page-has-heading-one", page("<h2>Selamat Datang</h2><h3>Berita</h3>")) == ["html"]


@pytest.mark.parametrize("body, has_one", [
    ('<div role="heading" aria-level="1">Beranda</div>', True),
    ('<h2 aria-level="1">Beranda</h2>', True),
    ('<h1 aria-level="2">Beranda</h1>', False),
    ('<h1 role="heading">Beranda</h1>', False),  # as axe-core reads it: role set, no aria-level 1
    ('<h1 hidden>Beranda</h1>', False),
    ('<h1 aria-hidden="true">Beranda</h1>', False),
])
def test_what_counts_as_a_level_one_heading(body, has_one):
    assert failing("page-has-heading-one", page(body)) == ([] if has_one else ["html"])


def test_ids_used_twice_fail_once_per_id():
    body = ('<div class="bagikan" id="bagikan"></div><p id="isi">Isi</p><div class="bagikan" id="bagikan"></div>'
            '<span id="x"></span><span id="x"></span><span id="x"></span>')
    assert failing("duplicate-id", page(body)) == ["#konten > div:nth-of-type(1)", "#konten > span:nth-of-type(1)"]


def test_unique_ids_pass_and_ids_inside_template_or_noscript_do_not_count():
    body = '<p id="a">A</p><template><p id="a">B</p></template><noscript><img id="a" src="/p.gif"></noscript>'
    assert failing("duplicate-id", page(body)) == []
