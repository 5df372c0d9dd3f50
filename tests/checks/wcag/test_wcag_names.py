"""Name rules: images (1.1.1), form fields (1.3.1, 4.1.2, 3.3.2), links (2.4.4), buttons and frames (4.1.2)."""

from __future__ import annotations

import pytest
from wcag_helpers import failing, page


# --- images -------------------------------------------------------------------------------------


def test_images_with_alt_text_or_empty_decorative_alt_pass():
    body = ('<img src="/berita/posyandu.jpg" alt="Petugas menimbang balita di posyandu">'
            '<img src="/hiasan/garis.png" alt="">'
            '<img src="/ikon/kalender.png" role="presentation">'
            '<img src="/grafik.png" aria-label="Grafik cakupan imunisasi 2026">'
            '<span id="ket">Peta sebaran kasus DBD</span><img src="/peta.png" aria-labelledby="ket">'
            '<img src="/foto.jpg" title="Kepala Dinas">')
    assert failing("image-alt", page(body)) == []


def test_images_without_alt_fail_each_with_its_path():
    body = ('<ul class="galeri"><li><img src="/galeri/1.jpg"></li><li><img src="/galeri/2.jpg" alt="Rapat">'
            '</li><li><img src="/galeri/3.jpg"></li></ul>')
    assert failing("image-alt", page(body)) == ["#konten > ul > li:nth-of-type(1) > img",
                                                 "#konten > ul > li:nth-of-type(3) > img"]


def test_an_alt_of_only_spaces_is_not_a_text_alternative():
    assert failing("image-alt", page('<img src="/banner.jpg" alt=" ">')) == ["#konten > img"]


def test_hidden_images_and_tracking_pixels_in_noscript_are_not_judged():
    body = ('<div class="slider" style="display:none"><img src="/slide2.jpg"></div>'
            '<div hidden><img src="/lama.jpg"></div><img src="/dekor.png" aria-hidden="true">'
            '<noscript><img height="1" width="1" src="https://www.facebook.com/tr?id=1&ev=PageView"></noscript>')
    assert failing("image-alt", page(body)) == []


def test_a_page_whose_only_image_is_the_logo_is_judged_on_it():
    html = page("<p>Teks</p>").replace(' alt="Logo Dinas Kesehatan"', "")
    assert failing("image-alt", html) == ["html > body > header > a > img"]


def test_image_buttons_need_alt_text():
    ok = '<form action="/cari"><input type="text" name="q" aria-label="Cari"><input type="image" src="/cari.png" alt="Cari"></form>'
    bad = '<form action="/cari"><input type="text" name="q" aria-label="Cari"><input type="image" src="/cari.png"></form>'
    assert failing("input-image-alt", page(ok)) == []
    assert failing("input-image-alt", page(bad)) == ["#konten > form > input:nth-of-type(2)"]
    assert failing("input-image-alt", page("<p>x</p>")) is None


# --- form fields --------------------------------------------------------------------------------

LABELLED_FORM = (
    '<form class="form-pengaduan" action="/pengaduan" method="post">'
    '<label for="nama">Nama lengkap</label><input type="text" id="nama" name="nama">'
    '<label>Email <input type="email" name="email"></label>'
    '<span id="lbl-hp">Nomor HP</span><input type="tel" name="hp" aria-labelledby="lbl-hp">'
    '<input type="text" name="nik" aria-label="NIK">'
    '<input type="text" name="rt" title="RT/RW">'
    '<label for="opd">Perangkat daerah</label><select id="opd" name="opd"><option>Dinkes</option></select>'
    '<label for="isi">Isi pengaduan</label><textarea id="isi" name="isi"></textarea>'
    '<input type="hidden" name="token" value="abc"><input type="submit" value="Kirim"></form>')


def test_a_form_whose_fields_all_have_names_passes():
    assert failing("label", page(LABELLED_FORM)) == []
    assert failing("label-placeholder-only", page(LABELLED_FORM)) is None


def test_fields_without_any_name_fail():
    body = ('<form action="/cari"><input type="text" name="q"><select name="tahun"><option>2026</option></select>'
            '<textarea name="pesan"></textarea><button type="submit">Cari</button></form>')
    assert failing("label", page(body)) == ["#konten > form > input", "#konten > form > select",
                                             "#konten > form > textarea"]


def test_a_placeholder_names_a_field_but_is_flagged_as_the_only_label():
    body = '<form action="/cari"><input type="text" name="q" placeholder="Cari berita..."><button>Cari</button></form>'
    assert failing("label", page(body)) == []
    assert failing("label-placeholder-only", page(body)) == ["#konten > form > input"]


def test_a_labelled_field_may_also_have_a_placeholder():
    body = ('<form action="/cari"><label for="q">Cari berita</label><input id="q" name="q" placeholder="mis. stunting">'
            '<input name="tahun" aria-label="Tahun" placeholder="2026"></form>')
    assert failing("label-placeholder-only", page(body)) == []


def test_a_label_pointing_at_another_field_or_hidden_with_display_none_does_not_name_it():
    body = ('<form><label for="lain">Nama</label><input type="text" id="nama" name="nama">'
            '<label for="kota" style="display:none">Kota</label><input type="text" id="kota" name="kota"></form>')
    assert failing("label", page(body)) == ["#nama", "#kota"]


def test_a_page_without_form_fields_has_nothing_to_label():
    assert failing("label", page('<form><input type="hidden" name="x"><input type="submit"></form>')) is None


# --- links --------------------------------------------------------------------------------------


def test_links_with_text_image_alt_aria_label_or_title_pass():
    body = ('<a href="/berita/1">Posyandu serentak</a>'
            '<a href="/"><img src="/logo.png" alt="Beranda"></a>'
            '<a href="https://www.facebook.com/dinkesjambi" aria-label="Facebook"><i class="fa fa-facebook"></i></a>'
            '<a href="/rss.xml" title="RSS Berita"><i class="fa fa-rss"></i></a>'
            '<a href="https://x.com/dinkes"><span class="sr-only">X (Twitter)</span><i class="fa fa-x"></i></a>'
            '<a href="/peta"><svg><title>Peta lokasi</title></svg></a>'
            '<a name="atas"></a>')  # no href: not a link
    assert failing("link-name", page(body)) == []


def test_icon_only_and_empty_links_fail():
    body = ('<p class="sosmed"><a href="https://www.facebook.com/dinkes" class="ikon"><i class="fa fa-facebook">'
            '</i></a><a href="https://www.instagram.com/dinkes" class="ikon"><i class="fa fa-instagram"></i></a></p>'
            '<a href="/"><img src="/logo-kecil.png" alt=""></a><a href="#atas" class="ikon">  </a>'
            '<a href="/x"><span aria-hidden="true">Teks tersembunyi</span></a>')
    assert failing("link-name", page(body)) == ["#konten > p > a:nth-of-type(1)", "#konten > p > a:nth-of-type(2)",
                                                 "#konten > a:nth-of-type(1)", "#konten > a:nth-of-type(2)",
                                                 "#konten > a:nth-of-type(3)"]


def test_a_hidden_icon_link_is_not_judged():
    body = '<p>Teks</p><a href="#atas" class="ke-atas" aria-hidden="true" tabindex="-1"><i class="fa fa-up"></i></a>'
    assert failing("link-name", page(body)) == []


# --- buttons --------------------------------------------------------------------------------------


def test_buttons_with_text_aria_label_title_or_value_pass():
    body = ('<form><input type="text" name="q" aria-label="Cari"><button type="submit">Cari</button>'
            '<button type="button" aria-label="Tutup menu"><i class="fa fa-times"></i></button>'
            '<button type="button" title="Cetak"><i class="fa fa-print"></i></button>'
            '<input type="submit" value="Kirim"><input type="submit"><input type="reset"></form>')
    assert failing("button-name", page(body)) == []


def test_icon_buttons_and_empty_values_fail():
    body = ('<form><input type="text" name="q" aria-label="Cari"><button type="submit"><i class="fa fa-search">'
            '</i></button><input type="button" class="toggle"><input type="submit" value=""></form>')
    assert failing("button-name", page(body)) == ["#konten > form > button", "#konten > form > input:nth-of-type(2)",
                                                   "#konten > form > input:nth-of-type(3)"]


# --- frames ---------------------------------------------------------------------------------------


def test_iframes_need_a_title():
    ok = ('<iframe src="https://www.google.com/maps/embed?pb=1" title="Peta lokasi kantor"></iframe>'
          '<iframe src="https://www.youtube.com/embed/abc" aria-label="Video profil"></iframe>')
    bad = '<iframe src="https://www.google.com/maps/embed?pb=1" width="600" height="450"></iframe>'
    assert failing("frame-title", page(ok)) == []
    assert failing("frame-title", page(bad)) == ["#konten > iframe"]
    assert failing("frame-title", page(bad.replace("<iframe", '<iframe title="  "'))) == ["#konten > iframe"]


def test_hidden_iframes_and_iframes_out_of_the_tab_order_are_not_judged():
    body = ('<iframe src="https://www.googletagmanager.com/ns.html" style="display:none"></iframe>'
            '<iframe src="/widget" tabindex="-1"></iframe>')
    assert failing("frame-title", page(body)) is None


@pytest.mark.parametrize("rule", ["image-alt", "link-name", "button-name", "frame-title", "label"])
def test_a_page_without_the_element_has_nothing_to_judge(rule):
    html = page("<p>Halaman ini sedang dalam perbaikan.</p>").replace('<a href="/" class="logo"><img src="/logo.png" '
                                                                     'alt="Logo Dinas Kesehatan"></a>', "")
    assert failing(rule, html) is None
