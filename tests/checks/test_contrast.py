"""Colour contrast (WCAG 1.4.3) where both colours are declared in CSS pantau can read."""

from __future__ import annotations

import pytest

from checks.contrast import Colour, Judgement, color_contrast, contrast_ratio, judge, parse_colour
from checks.wcag.dom import Doc, parse_html

URL = "https://diskominfo.jambiprov.go.id/"


def doc_of(body: str, style: str = "", sheets: dict[str, str] | None = None) -> Doc:
    html = (f'<!DOCTYPE html><html lang="id"><head><title>Diskominfo</title><link rel="stylesheet" href="/s.css">'
            f"<style>{style}</style></head><body>{body}</body></html>")
    return Doc(parse_html(html), URL, sheets)


def ratio(first: str, second: str) -> float:
    return round(contrast_ratio(parse_colour(first), parse_colour(second)), 2)


@pytest.mark.parametrize("value, rgba", [
    ("#fff", (255, 255, 255, 1.0)), ("#0B3D6B", (11, 61, 107, 1.0)), ("#00000080", (0, 0, 0, 128 / 255)),
    ("rgb(11, 61, 107)", (11, 61, 107, 1.0)), ("rgba(0,0,0,.5)", (0, 0, 0, 0.5)), ("rgb(0 0 0 / 50%)", (0, 0, 0, 0.5)),
    ("rgb(100%, 0%, 0%)", (255, 0, 0, 1.0)), ("hsl(0, 100%, 50%)", (255, 0, 0, 1.0)), ("White", (255, 255, 255, 1.0)),
    ("transparent", (0, 0, 0, 0.0)), ("rebeccapurple", (102, 51, 153, 1.0)),
])
def test_colours_css_writes(value, rgba):
    colour = parse_colour(value)
    assert tuple(round(v, 3) for v in (colour.r, colour.g, colour.b, colour.a)) == tuple(round(v, 3) for v in rgba)


@pytest.mark.parametrize("value", ["currentcolor", "var(--warna)", "#12", "rgb(1,2)", "canvastext", None, ""])
def test_colours_that_cannot_be_known_statically(value):
    assert parse_colour(value) is None


def test_ratios_match_the_wcag_definition():
    assert ratio("#000", "#fff") == 21.0
    assert ratio("#fff", "#fff") == 1.0
    assert ratio("#767676", "#fff") == 4.54  # the lightest grey that passes on white
    assert ratio("#777777", "#ffffff") == 4.48
    assert ratio("#ffffff", "#0b3d6b") == ratio("#0b3d6b", "#ffffff") == 11.09


def test_a_translucent_colour_is_blended_over_what_is_behind_it():
    assert Colour(0, 0, 0, 0.5).over(Colour(255, 255, 255)).hex() == "#808080"


def test_grey_text_on_white_declared_inline_fails_and_dark_text_passes():
    doc = doc_of('<div style="background-color:#ffffff"><p id="abu" style="color:#999999">Jam pelayanan</p>'
                 '<p id="gelap" style="color:#333333">Alamat kantor</p></div>')
    assert [doc.css_path(e) for e in color_contrast(doc)] == ["#abu"]
    found = judge(doc, doc.by_id("abu"))
    assert (found.foreground.hex(), found.background.hex(), round(found.ratio, 2), found.required) == \
        ("#999999", "#ffffff", 2.85, 4.5)


def test_large_text_needs_only_three_to_one():
    style = ".pengumuman{background:#fff8e1;color:#9c7a3c}"  # 3.76:1
    doc = doc_of('<div class="pengumuman"><p id="besar" style="font-size:24px">Pengumuman</p>'
                 '<p id="tebal" style="font-size:19px;font-weight:bold">Penting</p>'
                 '<p id="kecil" style="font-size:18px;font-weight:bold">Catatan</p><h1 id="h1">Judul</h1>'
                 '<p id="biasa">Isi</p></div>', style)
    required = {i: judge(doc, doc.by_id(i)).required for i in ("besar", "tebal", "kecil", "h1", "biasa")}
    assert required == {"besar": 3.0, "tebal": 3.0, "kecil": 4.5, "h1": 3.0, "biasa": 4.5}
    assert [doc.css_path(e) for e in color_contrast(doc)] == ["#kecil", "#biasa"]


def test_a_ratio_must_be_above_the_threshold_as_axe_core_compares():
    white, grey = Colour(255, 255, 255), Colour(118, 118, 118)
    assert not Judgement(grey, white, 4.5, 4.5, 16.0, False).passes
    assert Judgement(grey, white, 4.5001, 4.5, 16.0, False).passes


def test_links_take_the_browser_link_colour_unless_styled():
    doc = doc_of('<div class="topbar"><a id="surel" href="mailto:diskominfo@jambiprov.go.id">diskominfo@jambiprov.go.id'
                 '</a><a id="telp" class="putih" href="tel:0741">(0741) 123</a><span id="teks">Hubungi kami</span></div>',
                 ".topbar{background:#0b3d6b;color:#ffffff} .putih{color:#fff}")
    assert [doc.css_path(e) for e in color_contrast(doc)] == ["#surel"]  # #0000ee on dark blue


def test_background_from_a_linked_sheet_is_used_when_supplied():
    body = '<div class="kotak"><p id="p" style="color:#c8e6c9">Istirahat 12.00 - 13.00</p></div>'
    assert color_contrast(doc_of(body)) is None  # no background anywhere: nothing judged
    sheets = {"https://diskominfo.jambiprov.go.id/s.css": ".kotak{background-color:#2e7d32}"}
    doc = doc_of(body, sheets=sheets)
    assert [doc.css_path(e) for e in color_contrast(doc)] == ["#p"]


@pytest.mark.parametrize("markup", [
    '<div style="background:#fff url(/batik.png)"><p style="color:#aaa">Teks di atas gambar</p></div>',
    '<div style="background-color:#fff;opacity:.8"><p style="color:#aaa">Teks transparan</p></div>',
    '<div style="background-color:#fff"><p style="color:#aaa;text-shadow:0 0 2px #000">Bayangan</p></div>',
    '<div style="background-color:#fff"><span style="position:absolute;color:#aaa">Lencana</span></div>',
    '<div style="background-color:#fff"><p>Warna teks dari lembar gaya luar</p></div>',
    '<div style="background-color:#fff"><p style="color:#eee">»</p></div>',  # a lone glyph
    '<div style="background-color:#fff"><p style="color:#fff">teks tersembunyi</p></div>',  # same colour
    '<div style="background-color:#fff"><button disabled style="color:#ccc;background:#fff">Kirim</button></div>',
    '<div style="background-color:#fff;display:none"><p style="color:#aaa">Tersembunyi</p></div>',
    '<div style="background-color:#fff"><p style="color:var(--abu)">Variabel</p></div>',
])
def test_texts_whose_rendered_colours_are_uncertain_are_not_judged(markup):
    assert color_contrast(doc_of(markup)) is None


def test_legacy_font_and_bgcolor_attributes_are_judged():
    doc = doc_of('<table bgcolor="#003366"><tr><td><font id="f" color="#336699">Pengumuman lama</font></td>'
                 '<td><font color="#ffffff">Terbaca</font></td></tr></table>')
    assert [doc.css_path(e) for e in color_contrast(doc)] == ["#f"]


def test_a_semi_transparent_background_is_composited_over_the_opaque_one_below():
    doc = doc_of('<div style="background:#000"><div style="background:rgba(255,255,255,.5)">'
                 '<p id="p" style="color:#777">Teks</p></div></div>')
    found = judge(doc, doc.by_id("p"))
    assert found.background.hex() == "#808080" and not found.passes
