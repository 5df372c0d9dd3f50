"""The cascade pantau resolves without a browser: <style>, style attributes, hints, linked sheets."""

from __future__ import annotations

import pytest

from checks.wcag.css import StyleIndex
from checks.wcag.dom import parse_html

URL = "https://bappeda.jambiprov.go.id/profil"


def styles(html: str, external: dict[str, str] | None = None) -> tuple[StyleIndex, object]:
    root = parse_html(html)
    return StyleIndex(root, external, URL), root


def by_id(root, ident):
    return root.xpath(f"//*[@id='{ident}']")[0]


def test_specificity_then_order_decide_and_important_beats_both():
    html = ("<html><head><style>"
            "p{color:#111111} .isi p{color:#222222} #utama .isi p{color:#333333} p.catatan{color:#444444}"
            ".isi p.catatan{color:#555555} p.penting{color:#666666!important} #utama .isi p.penting{color:#777777}"
            "</style></head><body><div id='utama'><div class='isi'><p id='a'>A</p><p id='b' class='catatan'>B</p>"
            "<p id='c' class='penting'>C</p></div></div><p id='d'>D</p></body></html>")
    index, root = styles(html)
    assert [index.value(by_id(root, i), "color") for i in "abcd"] == ["#333333", "#333333", "#666666", "#111111"]


def test_inline_style_beats_sheets_unless_the_sheet_is_important():
    html = ("<html><head><style>.kotak{background-color:#eeeeee} .tetap{color:red!important}</style></head><body>"
            "<div id='a' class='kotak' style='background-color:#ffffff'>A</div>"
            "<div id='b' class='tetap' style='color:blue'>B</div>"
            "<div id='c' class='tetap' style='color:blue !important'>C</div></body></html>")
    index, root = styles(html)
    assert index.value(by_id(root, "a"), "background-color") == "#ffffff"
    assert index.value(by_id(root, "b"), "color") == "red"
    assert index.value(by_id(root, "c"), "color") == "blue"


def test_shorthands_set_the_longhands_pantau_reads():
    html = ("<html><head><style>.a{background:#fff url(/bg.png) no-repeat} .b{background:rgb(11, 61, 107)}"
            ".c{font:bold 18px/1.4 Arial,sans-serif} .d{background:none}</style></head><body>"
            "<p id='a' class='a'>a</p><p id='b' class='b'>b</p><p id='c' class='c'>c</p><p id='d' class='d'>d</p>"
            "</body></html>")
    index, root = styles(html)
    assert index.declared(by_id(root, "a")) == {"background-color": "#fff", "background-image": "url(...)"}
    assert index.declared(by_id(root, "b"))["background-color"] == "rgb(11, 61, 107)"
    assert index.declared(by_id(root, "c")) == {"font-size": "18px", "font-weight": "bold"}
    assert index.declared(by_id(root, "d")) == {"background-color": "transparent", "background-image": "none"}


@pytest.mark.parametrize("selector, matches", [
    ("a:hover", False), ("a:focus", False), ("a:focus-visible", False), ("p::before", False),
    ("a:link", True), (":root body .menu > li > a", True), ("ul.menu a[href^='/p']", True),
    ("li:first-child a", True), ("li:not(.aktif) a", True), ("li + li a", False), (".menu a[target]", False),
])
def test_selectors_of_a_page_at_rest(selector, matches):
    html = (f"<html><head><style>{selector}{{color:#123456}}</style></head><body><ul class='menu'><li>"
            "<a id='x' href='/profil'>Profil</a></li></ul></body></html>")
    index, root = styles(html)
    assert index.value(by_id(root, "x"), "color") == ("#123456" if matches else None)


@pytest.mark.parametrize("media, applies", [
    (None, True), ("all", True), ("screen", True), ("print", False), ("screen and (min-width: 768px)", True),
    ("(max-width: 767px)", False), ("screen and (max-width:1300px)", True), ("not print", True),
    ("(prefers-color-scheme: dark)", False), ("print, screen", True),
])
def test_media_queries_are_judged_for_a_desktop_screen(media, applies):
    wrapped = "p{color:#abcdef}" if media is None else f"@media {media} {{ p{{color:#abcdef}} }}"
    index, root = styles(f"<html><head><style>{wrapped}</style></head><body><p id='p'>x</p></body></html>")
    assert index.value(by_id(root, "p"), "color") == ("#abcdef" if applies else None)
    index, root = styles("<html><head><style media='{}'>p{{color:#abcdef}}</style></head><body><p id='p'>x</p>"
                         "</body></html>".format(media or "all"))
    assert index.value(by_id(root, "p"), "color") == ("#abcdef" if applies else None)


def test_legacy_colour_attributes_are_the_weakest_declarations():
    html = ("<html><head><style>td.hijau{background-color:#2e7d32}</style></head><body bgcolor='ffffff' text='#333'>"
            "<table><tr><td id='a' bgcolor='#ffeeaa'>A</td><td id='b' class='hijau' bgcolor='#ffeeaa'>B</td></tr>"
            "</table><font id='f' color='#999999'>lama</font></body></html>")
    index, root = styles(html)
    body = root.find("body")
    assert (index.value(body, "background-color"), index.value(body, "color")) == ("#ffffff", "#333")
    assert index.value(by_id(root, "a"), "background-color") == "#ffeeaa"
    assert index.value(by_id(root, "b"), "background-color") == "#2e7d32"
    assert index.value(by_id(root, "f"), "color") == "#999999"


def test_a_linked_style_sheet_counts_only_when_its_text_is_supplied():
    html = ("<html><head><link rel='stylesheet' href='/assets/css/style.css'><style>.topbar{color:#eeeeee}</style>"
            "</head><body><div id='t' class='topbar'>Telp</div></body></html>")
    index, root = styles(html)
    assert index.declared(by_id(root, "t")) == {"color": "#eeeeee"}
    sheet = {"https://bappeda.jambiprov.go.id/assets/css/style.css": ".topbar{background:#0b3d6b;color:#fff}"}
    index, root = styles(html, sheet)
    # the <style> after the link wins the tie on colour; the background comes from the linked sheet
    assert index.declared(by_id(root, "t")) == {"background-color": "#0b3d6b", "background-image": "none",
                                                  "color": "#eeeeee"}


def test_broken_css_and_unsupported_selectors_are_skipped_not_fatal():
    html = ("<html><head><style>p{color:red;;} .b:nth-last-of-type(2n of .x){color:blue} @font-face{font-family:x}"
            " @media screen{.c{color:green}} em{display:none</style></head><body><p id='p' class='c'>x<em id='e'>y"
            "</em></p></body></html>")
    index, root = styles(html)
    assert index.value(by_id(root, "p"), "color") == "green"
    assert index.value(by_id(root, "e"), "display") == "none"  # an unclosed last block still counts
    assert index.unsupported_selectors == 1


@pytest.mark.parametrize("sheet, colour", [
    ("@media screen{.c{color:green}} .c{color:red}", "red"),
    (".c{color:red} @media screen{.c{color:green}}", "green"),
    (".c{color:red} @supports (display:grid){@media all{.c{color:blue}}} p{color:black}", "blue"),
])
def test_rules_inside_media_blocks_keep_their_place_in_the_cascade(sheet, colour):
    index, root = styles(f"<html><head><style>{sheet}</style></head><body><p id='p' class='c'>x</p></body></html>")
    assert index.value(by_id(root, "p"), "color") == colour


def test_rules_of_several_style_sheets_cascade_in_document_order():
    html = ("<html><head><style>.c{color:red}</style><link rel='stylesheet' href='/a.css'>"
            "<style>p{color:black}</style></head><body><p id='p' class='c'>x</p></body></html>")
    index, root = styles(html, {"https://bappeda.jambiprov.go.id/a.css": ".c{color:blue}"})
    assert index.value(by_id(root, "p"), "color") == "blue"
