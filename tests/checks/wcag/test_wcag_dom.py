"""What the rules share: parsing, hidden elements, accessible names, CSS paths to elements."""

from __future__ import annotations

import pytest
from lxml.cssselect import CSSSelector
from wcag_helpers import page

from checks.wcag.dom import Doc, parse_html, sanitize


def doc_of(html: str) -> Doc:
    return Doc(parse_html(html), "https://disdik.jambiprov.go.id/")


def el(doc: Doc, ident: str):
    return doc.by_id(ident)


@pytest.mark.parametrize("text", ["", "   \n", b""])
def test_nothing_to_parse_is_none(text):
    assert parse_html(text) is None


def test_a_page_that_declares_its_own_encoding_still_parses():
    root = parse_html('<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Café Dinas</p></body></html>')
    assert root.findtext(".//p") == "Café Dinas"


def test_comments_are_gone_and_fragments_get_a_html_root():
    root = parse_html("<p>a<!-- komentar -->b</p>")
    assert root.tag == "html" and root.findtext(".//p") == "ab"


def test_hidden_from_assistive_technology_and_from_sight():
    html = page('<div id="a" hidden><p id="a1">x</p></div><div id="b" aria-hidden="true"><p id="b1">y</p></div>'
                '<div id="c" style="display:none"><p id="c1">z</p></div><div id="d" style="visibility:hidden">'
                '<p id="d1">w</p><p id="d2" style="visibility:visible">v</p></div>'
                '<details id="e"><summary id="e1">Lihat</summary><p id="e2">isi</p></details>'
                '<details open><summary>Buka</summary><p id="f">isi</p></details>'
                '<input type="hidden" id="g" name="t"><dialog id="h"><p>modal</p></dialog><p id="i">tampil</p>',
                head="<style>.x{display:none}</style>")
    doc = doc_of(html)
    ax = {i: doc.ax_hidden(el(doc, i)) for i in ("a1", "b1", "c1", "d1", "d2", "e1", "e2", "f", "g", "h", "i")}
    assert ax == {"a1": True, "b1": True, "c1": True, "d1": True, "d2": False, "e1": False, "e2": True, "f": False,
                  "g": True, "h": True, "i": False}
    seen = {i: not doc.invisible(el(doc, i)) for i in ("a1", "b1", "c1", "d1", "d2", "i")}
    assert seen == {"a1": False, "b1": True, "c1": False, "d1": False, "d2": True, "i": True}


def test_author_css_can_show_what_the_hidden_attribute_hides():
    doc = doc_of(page('<div id="m" class="menu" hidden><a href="/">Beranda</a></div>',
                      head="<style>.menu{display:block}</style>"))
    assert not doc.ax_hidden(el(doc, "m"))


def test_a_style_sheet_rule_can_hide():
    doc = doc_of(page('<ul id="sub" class="sub-menu"><li>x</li></ul>', head="<style>.sub-menu{display:none}</style>"))
    assert doc.ax_hidden(el(doc, "sub")) and doc.ax_hidden(el(doc, "sub")[0])


def test_names_come_from_labelledby_then_aria_label_then_content():
    doc = doc_of(page('<span id="l1">Unduh</span><span id="l2" hidden>laporan</span>'
                      '<a id="a" href="/x" aria-labelledby="l1 l2" aria-label="abaikan">teks</a>'
                      '<a id="b" href="/y"> <img src="/i.png" alt="Laporan"> <span aria-hidden="true">»</span>'
                      '<span aria-label="tahun 2026">26</span></a>'
                      '<a id="c" href="/z"><svg><title>Peta</title></svg><script>var x=1;</script></a>'))
    assert doc.labelledby_text(el(doc, "a")) == "Unduh laporan"  # hidden text counts once referenced
    assert doc.subtree_text(el(doc, "b")) == "Laporan tahun 2026"
    assert doc.subtree_text(el(doc, "c")) == "Peta"


def test_label_text_of_wrapping_and_for_labels_excludes_the_field_itself():
    doc = doc_of(page('<label id="w">Nama <input id="n" value="Budi"></label><label for="e">Email</label>'
                      '<input id="e"><label for="e">(wajib)</label>'))
    assert doc.label_text(el(doc, "n")) == "Nama"
    assert doc.label_text(el(doc, "e")) == "Email (wajib)"


def test_css_paths_select_exactly_the_element():
    html = page('<ul class="berita"><li><a href="/1">Satu</a></li><li><a href="/2">Dua</a><a href="/3">Tiga</a>'
                '</li></ul><div id="dup"></div><div id="dup"><p>x</p></div><div id="sidebar-1"><p>y</p></div>')
    doc = doc_of(html)
    targets = list(el(doc, "konten").iter("a", "p"))
    paths = [doc.css_path(t) for t in targets]
    assert paths[:3] == ["#konten > ul > li:nth-of-type(1) > a", "#konten > ul > li:nth-of-type(2) > a:nth-of-type(1)",
                         "#konten > ul > li:nth-of-type(2) > a:nth-of-type(2)"]
    assert "#dup" not in paths[4]  # a duplicated id does not identify anything
    for target, path in zip(targets, paths):
        assert CSSSelector(path)(doc.root) == [target]


def test_snippets_show_the_start_tag_shortened():
    doc = doc_of(page('<img id="i" src="/galeri/' + "x" * 300 + '.jpg">'))
    snippet = Doc.snippet(el(doc, "i"))
    assert snippet.startswith('<img id="i" src="/galeri/xxx') and snippet.endswith("…") and len(snippet) == 160


def test_sanitize_collapses_white_space():
    assert sanitize("  Unduh\n\tLaporan  ") == "Unduh Laporan"
    assert sanitize(None) == ""
