"""Accessibility widgets of testbed pages: accessible, or broken by a seeded defect.

Sites with ``a11y_rich`` carry widgets an accessibility audit must judge, built the way
pemda sites build them (an announcement box styled in an inline <style>, a map iframe, a
service-standard table, the regional anthem as an audio clip, an agency drop-down,
icon buttons, share links) plus markup that looks suspicious but is fine (a
presentational image, a hidden banner, a tracking pixel in <noscript>, a field named by
aria-labelledby). Each opt-in defect of ``testbed.world.A11Y_EXTRA_DEFECTS`` breaks one
widget the way real sites break it. A site with neither gets "" from every function
here, so the pages of existing worlds stay byte for byte what they were.
"""

from __future__ import annotations

import struct
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from testbed.content import SiteModel
    from testbed.world import SiteSpec

ANTHEM_PATH = "/assets/media/mars-daerah.wav"
ANTHEM_SECONDS = 20
DEFAULT_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
SERVICE_TABLE_PATH = "/layanan/standar-pelayanan"

_STYLE_ACCESSIBLE = (
    ".pengumuman{background-color:#fff8e1;color:#5d4037;border-left:4px solid #f9a825;padding:8px 12px}"
    ".pengumuman .judul-pengumuman{color:#9c7a3c;font-size:24px;margin:0}"
    ".pengumuman .catatan{color:#707070}"
    ".pengumuman a{color:#1a4f8b}"
    ".label-baru{background-color:#c62828;color:#ffffff;font-weight:bold;padding:0 4px}"
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}"
)
_STYLE_LOW_CONTRAST = (
    ".pengumuman{background-color:#fff8e1;color:#5d4037;border-left:4px solid #f9a825;padding:8px 12px}"
    ".pengumuman .judul-pengumuman{color:#c8b68e;font-size:24px;margin:0}"
    ".pengumuman .catatan{color:#808080}"
    ".pengumuman a{color:#1a73e8}"
    ".label-baru{background-color:#ef9a9a;color:#ffffff;font-weight:bold;padding:0 4px}"
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}"
)


def _on(spec: SiteSpec, defect: str) -> bool:
    return defect in spec.a11y_defects


def active(spec: SiteSpec) -> bool:
    """Whether the site shows the accessibility widgets at all."""
    from testbed.world import A11Y_EXTRA_DEFECTS

    return spec.a11y_rich or any(d in spec.a11y_defects for d in A11Y_EXTRA_DEFECTS)


# --- head ----------------------------------------------------------------------------------


def html_lang_attribute(spec: SiteSpec) -> str:
    if _on(spec, "no_html_lang"):
        return ""
    if _on(spec, "invalid_lang"):
        return ' lang="bahasa"'
    return ' lang="id"'


def viewport_meta(spec: SiteSpec) -> str:
    if _on(spec, "zoom_disabled"):
        return ('<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, '
                'user-scalable=no">')
    return DEFAULT_VIEWPORT


def head_style(spec: SiteSpec) -> str:
    if not active(spec):
        return ""
    return "<style>" + (_STYLE_LOW_CONTRAST if _on(spec, "low_contrast") else _STYLE_ACCESSIBLE) + "</style>"


# --- every page -----------------------------------------------------------------------------


def search_button(spec: SiteSpec) -> str:
    if _on(spec, "empty_button"):
        return '<button type="submit" class="tombol-cari"><i class="fa fa-search"></i></button>'
    if spec.a11y_rich:
        return ('<button type="submit" class="tombol-cari" aria-label="Cari">'
                '<i class="fa fa-search" aria-hidden="true"></i></button>')
    return '<button type="submit">Cari</button>'


# --- page bodies -----------------------------------------------------------------------------


def announcement(model: SiteModel) -> str:
    """The announcement box of the home page and the news list."""
    if not active(model.spec):
        return ""
    return ('<div class="pengumuman" role="note"><p class="judul-pengumuman">Pengumuman</p>'
            '<p><span class="label-baru">Baru</span> Pelayanan tetap buka pada hari Sabtu pukul 08.00 - 12.00 '
            'WIB selama masa pendaftaran. <a href="/kontak">Hubungi kami</a> untuk informasi lebih lanjut.</p>'
            '<p class="catatan">Bawa dokumen asli dan fotokopinya.</p></div>')


def home_widgets(model: SiteModel) -> str:
    spec = model.spec
    if not active(spec):
        return ""
    parts = ['<section class="profil-media"><h2>Mars Daerah</h2>']
    if _on(spec, "autoplay_audio"):
        parts.append(f'<audio autoplay src="{ANTHEM_PATH}"></audio>')
    else:
        parts.append(f'<audio controls preload="metadata" src="{ANTHEM_PATH}">Peramban Anda tidak mendukung '
                     f'pemutar audio.</audio>')
    parts.append('<video class="latar" autoplay muted loop playsinline src="/assets/media/latar.mp4"></video>')
    parts.append('<iframe class="video-profil" width="560" height="315" title="Video profil" '
                 'src="https://www.youtube.com/embed/profil-daerah?rel=0"></iframe>')
    parts.append("</section>")
    parts.append(_agency_select(model))
    parts.append('<img src="/assets/img/ornamen.png" role="presentation" class="ornamen">'
                 '<div class="banner-lama" hidden><img src="/assets/img/banner-lama.jpg"></div>'
                 '<noscript><img src="/assets/img/pixel.gif" width="1" height="1"></noscript>')
    parts.append('<form class="langganan" action="/langganan" method="post">'
                 '<span id="label-surel">Langganan berita melalui surel</span>'
                 '<input type="email" name="surel" aria-labelledby="label-surel">'
                 '<label>Saya setuju menerima surel <input type="checkbox" name="setuju"></label>'
                 + ('<input type="image" src="/assets/img/kirim.png">' if _on(spec, "image_button_no_alt") else
                    '<input type="image" src="/assets/img/kirim.png" alt="Kirim langganan">')
                 + "</form>")
    return "".join(parts)


def _agency_select(model: SiteModel) -> str:
    options = "".join(f"<option>{escape(name)}</option>" for name in
                      ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Kependudukan dan Pencatatan Sipil"))
    if _on(model.spec, "unlabeled_select"):
        return (f'<form class="pilih-opd" action="/perangkat-daerah" method="get"><select name="opd">'
                f"<option>-- Pilih Perangkat Daerah --</option>{options}</select>"
                '<button type="submit">Buka</button></form>')
    return ('<form class="pilih-opd" action="/perangkat-daerah" method="get">'
            '<label for="pilih-opd">Pilih perangkat daerah</label>'
            f'<select id="pilih-opd" name="opd">{options}</select><button type="submit">Buka</button></form>')


def share_block(model: SiteModel, position: str, icon_link) -> str:
    """Share links above and below an article; one template included twice."""
    spec = model.spec
    if not active(spec):
        return ""
    ident = "bagikan" if _on(spec, "duplicate_id") else f"bagikan-{position}"
    button = ('<button type="button" class="cetak"><i class="fa fa-print"></i></button>'
              if _on(spec, "empty_button") else
              '<button type="button" class="cetak" title="Cetak berita"><i class="fa fa-print"></i></button>')
    return (f'<div class="bagikan" id="{ident}"><span class="sr-only">Bagikan berita ini</span>'
            + icon_link(model, "https://www.facebook.com/sharer/sharer.php", "facebook", "Bagikan ke Facebook")
            + icon_link(model, "https://x.com/intent/post", "twitter", "Bagikan ke X")
            + '<a href="/rss.xml" class="ikon" title="RSS Berita"><i class="fa fa-rss"></i></a>'
            + button + "</div>")


def static_page_widgets(model: SiteModel, path: str) -> str:
    """The widgets of a fixed page: opening hours and map on /kontak, tables on two others."""
    if path == "/kontak":
        return contact_widgets(model)
    if path == SERVICE_TABLE_PATH:
        return service_table(model)
    if path == "/profil":
        return profile_table(model)
    return ""


def contact_widgets(model: SiteModel) -> str:
    spec = model.spec
    if not active(spec):
        return ""
    note = "#c8e6c9" if _on(spec, "low_contrast") else "#e8f5e9"
    title = "" if _on(spec, "iframe_no_title") else ' title="Peta lokasi kantor"'
    return ('<div class="jam-layanan" style="background-color:#2e7d32;color:#ffffff;padding:8px">'
            "<p>Jam pelayanan: Senin - Jumat, 08.00 - 16.00 WIB</p>"
            f'<small style="color:{note}">Istirahat pukul 12.00 - 13.00 WIB</small></div>'
            f'<h2>Lokasi</h2><iframe class="peta" width="600" height="300"{title} '
            'src="https://www.google.com/maps/embed?pb=lokasi-kantor"></iframe>')


def service_table(model: SiteModel) -> str:
    """The service standard table of /layanan/standar-pelayanan."""
    spec = model.spec
    if not active(spec):
        return ""
    rows = [("1", "Surat Keterangan", "1 hari kerja", "Gratis"),
            ("2", "Rekomendasi Izin", "3 hari kerja", "Gratis"),
            ("3", "Legalisasi Dokumen", "1 hari kerja", "Gratis"),
            ("4", "Konsultasi Teknis", "Sesuai jadwal", "Gratis")]
    head = ("No", "Jenis Layanan", "Waktu Penyelesaian", "Biaya")
    if _on(spec, "table_no_headers"):
        cells = "".join(f"<td><strong>{h}</strong></td>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f'<table class="tabel-layanan" border="1"><tr>{cells}</tr>{body}</table>'
    cells = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="tabel-layanan"><caption>Standar waktu dan biaya layanan</caption>'
            f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>")


def profile_table(model: SiteModel) -> str:
    """A two-column layout table of the office's identity: not a data table, nothing to flag."""
    if not active(model.spec):
        return ""
    return ('<table class="identitas"><tr><td>Alamat</td><td>' + escape(model.address) + "</td></tr>"
            "<tr><td>Telepon</td><td>" + escape(model.phone) + "</td></tr></table>")


# --- media -------------------------------------------------------------------------------------


def anthem_wav(seconds: int = ANTHEM_SECONDS, rate: int = 8000) -> bytes:
    """A quiet 8-bit mono WAV file of ``seconds``: long enough that autoplaying it needs controls."""
    frames = bytes([128]) * (seconds * rate)
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVE"
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    return header + fmt + b"data" + struct.pack("<I", len(frames)) + frames
