"""Content rules: data tables (1.3.1), links to PDF files (2.4.4), media that plays by itself (1.4.2)."""

from __future__ import annotations

import pytest
from wcag_helpers import failing, page

from checks.wcag.content import table_grid, table_rows
from checks.wcag.dom import parse_html

ROWS = [("1", "Surat Keterangan Sehat", "1 hari", "Gratis"), ("2", "Izin Praktik Bidan", "5 hari", "Gratis"),
        ("3", "Rekomendasi Apotek", "7 hari", "Gratis")]


def body_rows(rows=ROWS) -> str:
    return "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)


def test_a_service_table_with_a_header_row_passes():
    table = ('<table class="tabel-layanan"><caption>Standar pelayanan</caption><thead><tr><th scope="col">No</th>'
             '<th scope="col">Layanan</th><th scope="col">Waktu</th><th scope="col">Biaya</th></tr></thead>'
             f"<tbody>{body_rows()}</tbody></table>")
    assert failing("td-has-header", page(table)) == []


def test_row_headers_serve_as_well():
    rows = "".join(f"<tr><th>{r[1]}</th><td>{r[2]}</td><td>{r[3]}</td></tr>" for r in ROWS)
    assert failing("td-has-header", page(f'<table border="1">{rows}</table>')) == []


def test_a_first_row_of_plain_cells_has_no_header_above_it():
    rows = "".join(f"<tr><th>{r[1]}</th><td>{r[2]}</td><td>{r[3]}</td></tr>" for r in ROWS)
    table = f'<table border="1"><tr><td></td><td>Waktu</td><td>Biaya</td></tr>{rows}</table>'
    assert failing("td-has-header", page(table)) == ["#konten > table"]
    assert failing("td-has-header", page(table.replace("<td>Waktu</td><td>Biaya</td>",
                                                       "<th>Waktu</th><th>Biaya</th>"))) == []


def test_a_wysiwyg_table_with_bold_cells_instead_of_headers_fails():
    head = "<tr>" + "".join(f"<td><strong>{h}</strong></td>" for h in ("No", "Layanan", "Waktu", "Biaya")) + "</tr>"
    table = f'<p>Standar pelayanan:</p><table border="1">{head}{body_rows()}</table>'
    assert failing("td-has-header", page(table)) == ["#konten > table"]


def test_a_headerless_table_wide_enough_to_be_data_fails_even_without_borders():
    cells = "".join("<tr>" + "".join(f"<td>{d}</td>" for d in range(w, w + 7)) + "</tr>" for w in (1, 8, 15, 22))
    assert failing("td-has-header", page(f'<table class="kalender">{cells}</table>')) == ["#konten > table"]


@pytest.mark.parametrize("table", [
    # a layout table: two columns of label and value
    '<table class="identitas"><tr><td>Alamat</td><td>Jl. Sudirman 1</td></tr><tr><td>Telepon</td><td>(0741) 1</td>'
    '</tr><tr><td>Email</td><td>dinkes@jambiprov.go.id</td></tr></table>',
    # marked as presentation
    f'<table role="presentation" border="1">{body_rows()}</table>',
    # small: fewer than three rows
    f'<table border="1">{body_rows(ROWS[:2])}</table>',
    # spans the page: a layout grid
    f'<table width="100%">{body_rows(ROWS * 4)}</table>',
])
def test_tables_that_are_not_data_tables_of_3x3_or_more_are_not_judged(table):
    assert failing("td-has-header", page(table)) is None


def test_the_grid_places_spanning_cells_in_every_slot_they_cover():
    root = parse_html('<table><tr><td rowspan="2">A</td><td colspan="2">B</td></tr><tr><td>C</td><td>D</td></tr>'
                      "</table>")
    grid = table_grid(table_rows(root.find(".//table")))
    assert [[cell.text for cell in row] for row in grid] == [["A", "B", "B"], ["A", "C", "D"]]


def test_thead_rows_come_first_and_tfoot_rows_last():
    root = parse_html("<table><tfoot><tr><td>F</td></tr></tfoot><tbody><tr><td>B</td></tr></tbody>"
                      "<thead><tr><td>H</td></tr></thead></table>")
    assert [row[0].text for row in table_rows(root.find(".//table"))] == ["H", "B", "F"]


def test_links_to_pdf_files_must_say_pdf():
    body = ('<ul class="dokumen"><li><a href="/files/dokumen/LKjIP_2025.pdf">LKjIP_2025.pdf</a></li>'
            '<li><a href="/files/dokumen/Renstra_2021-2026.pdf">Rencana Strategis 2021-2026 (PDF, 2 MB)</a></li>'
            '<li><a href="/unduh?id=7" type="application/pdf">Perjanjian Kinerja</a></li>'
            '<li><a href="/files/dokumen/DPA_2026.PDF" title="Unduh DPA 2026 (PDF)">DPA 2026</a></li>'
            '<li><a href="/files/dokumen/APBD_2026.pdf">APBD Tahun Anggaran 2026</a></li>'
            '<li><a href="/files/dokumen/RKPD_2027.pdf#page=2" aria-describedby="ket-pdf">RKPD 2027</a></li></ul>'
            '<p id="ket-pdf">Berkas dalam format PDF.</p><a href="/berita/pdf-baru">Berita</a>')
    assert failing("link-pdf-unmarked", page(body)) == ["#konten > ul > li:nth-of-type(3) > a",
                                                         "#konten > ul > li:nth-of-type(5) > a"]


def test_a_page_without_pdf_links_has_nothing_to_judge_there():
    assert failing("link-pdf-unmarked", page('<a href="/dokumen">Dokumen</a>')) is None


@pytest.mark.parametrize("media, fails", [
    ('<audio autoplay src="/media/mars-jambi.mp3"></audio>', True),
    ('<audio autoplay loop src="/media/mars-jambi.mp3"></audio>', True),
    ('<video autoplay><source src="/media/profil.mp4" type="video/mp4"></video>', True),
    ('<audio autoplay controls src="/media/mars-jambi.mp3"></audio>', False),
    ('<audio autoplay loop controls src="/media/mars-jambi.mp3"></audio>', False),
    ('<audio autoplay src="/media/bel.mp3#t=0,2"></audio>', False),  # plays two seconds
    ('<audio autoplay src="/media/mars.mp3#t=0,30"></audio>', True),
])
def test_autoplaying_sound_needs_controls_or_to_stop_within_three_seconds(media, fails):
    found = failing("no-autoplay-audio", page(media))
    assert found == ([found[0]] if fails else []) and (not fails or found[0].endswith(("audio", "video")))


@pytest.mark.parametrize("media", ['<audio controls src="/media/mars.mp3"></audio>', '<video autoplay></video>',
                                   '<video autoplay muted loop playsinline src="/media/latar.mp4"></video>'])
def test_media_that_does_not_start_itself_is_silent_or_has_no_source_is_not_judged(media):
    assert failing("no-autoplay-audio", page(media)) is None


def test_embedded_players_told_to_autoplay_with_sound_fail():
    body = ('<iframe title="Video profil" src="https://www.youtube.com/embed/abc?autoplay=1&rel=0"></iframe>'
            '<iframe title="Latar" src="https://www.youtube.com/embed/def?autoplay=1&mute=1"></iframe>'
            '<iframe title="Peta" src="https://www.google.com/maps/embed?pb=1"></iframe>')
    assert failing("embed-autoplay", page(body)) == ["#konten > iframe:nth-of-type(1)"]
    assert failing("embed-autoplay", page('<iframe title="Video" src="https://www.youtube.com/embed/a"></iframe>')) \
        is None
