"""exporter.lag: the ranked lag list and its Indonesian HTML page."""

from __future__ import annotations

import pytest

from exporter.lag import NoScoresError, lag_rows, render_lag_html, write_lag_report
from storage.db import open_db


@pytest.fixture
def db(lag_db):
    return open_db(lag_db, readonly=True)


def test_rows_are_ranked_worst_first_and_ties_share_a_rank(db):
    rows = lag_rows(db, 1)
    # 11 and 13 tie at 45.2: the one with the weaker availability comes first.
    assert [(r["rank"], r["site_id"], r["composite"]) for r in rows] == [
        (1, 12, 0.0), (2, 11, 45.2), (2, 13, 45.2), (4, 10, 82.5)]
    down = rows[0]
    assert (down["pemda"], down["unit_name"], down["role"]) == ("Kota Jambi", "PPID Kota Jambi", "ppid")
    assert [down[d] for d in ("availability", "accessibility", "interaction", "freshness")] == [0, 0, 0, 0]


def test_reasons_are_the_three_most_severe_failures_with_evidence(db):
    rows = {r["site_id"]: r for r in lag_rows(db, 1)}
    assert [(r["severity"], r["check_id"]) for r in rows[11]["reasons"]] == [
        ("critical", "freshness.newest_content"), ("high", "interaction.contact"),
        ("medium", "availability.latency")]
    assert rows[11]["reasons"][0]["evidence_url"] == "http://disdik.jambiprov.go.id/berita/rapat?id=3&p=1"
    assert rows[10]["reasons"][0]["message_id"].startswith("Konten tidak diperbarui sejak 2 Agustus 2026")


def test_a_down_site_is_explained_by_its_outage_not_by_missing_evidence(db):
    [down] = [r for r in lag_rows(db, 1) if r["site_id"] == 12]
    assert [r["message_id"] for r in down["reasons"]] == ["Situs tidak dapat dihubungi (koneksi ditolak)"]


def test_region_keeps_the_region_and_its_children(db):
    assert [r["site_id"] for r in lag_rows(db, 1, region="15")] == [12, 11, 10]
    assert [r["site_id"] for r in lag_rows(db, 1, region="15.71")] == [12]
    assert [r["site_id"] for r in lag_rows(db, 1, region="16")] == [13]


def test_default_run_is_the_latest_finished_crawl_and_it_is_not_scored(db):
    with pytest.raises(NoScoresError, match=r"run 2 has no scores yet; run `pantau score --run 2` first"):
        lag_rows(db)


def test_unknown_run(db):
    with pytest.raises(LookupError, match="no run with id 42"):
        lag_rows(db, 42)


def test_html_is_indonesian_with_every_reason_linked_to_its_evidence(db):
    rows = lag_rows(db, 1)
    page = render_lag_html(rows, {"run_id": 1, "run_finished_at": "2026-11-23T03:00:00+00:00",
                                  "region": None, "generated_at": "2026-11-24T08:00:00+00:00"})
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"id\">")
    assert "<title>Daftar Keterlambatan OPD</title>" in page
    header = ("<tr><th>Peringkat</th><th>Pemda</th><th>Unit</th><th>Skor</th><th>Ketersediaan</th>"
              "<th>Aksesibilitas</th><th>Interaksi</th><th>Kebaruan</th><th>Alasan</th></tr>")
    assert header in page
    assert "Perayapan #1, 23 November 2026 · 4 situs · dibuat 24 November 2026" in page
    assert ('<li><a href="http://disdik.jambiprov.go.id/berita/rapat?id=3&amp;p=1">Konten tidak diperbarui sejak '
            "3 Juni 2024 (903 hari lalu, sumber: tanggal tertulis di halaman)</a></li>") in page
    assert '<li><a href="https://ppid.jambikota.go.id/">Situs tidak dapat dihubungi (koneksi ditolak)</a></li>' in page
    assert page.index("PPID Kota Jambi") < page.index("Dinas Pendidikan") < page.index("Badan Perencanaan")
    assert '<td class="skor buruk">0,0</td>' in page and '<td class="skor baik">82,5</td>' in page
    assert '<td class="skor sedang">70</td>' in page


def test_html_escapes_crawled_text_and_never_links_a_script_url(db):
    page = render_lag_html(lag_rows(db, 1, region="16"), {"run_id": 1})
    assert "<script>" not in page and "javascript:" not in page
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; [red]9 dari 10 gambar tanpa teks alternatif</li>" in page


def test_html_of_an_empty_list_says_so():
    page = render_lag_html([], {"run_id": 5, "region": "99", "region_name": "Entah"})
    assert '<tr><td colspan="9">Tidak ada data.</td></tr>' in page
    assert "Wilayah 99 Entah · 0 situs" in page


def test_write_lag_report_names_the_file_after_run_and_date(db, tmp_path, capsys):
    path = write_lag_report(db, run_id=1, region="15", out_dir=tmp_path / "reports", console=True)
    assert path == tmp_path / "reports" / "lag-1-2026-11-23.html"
    html = path.read_text(encoding="utf-8")
    assert "Wilayah 15 Provinsi Jambi · 3 situs" in html and "Sumatera Selatan" not in html
    printed = capsys.readouterr().out
    assert "Daftar Keterlambatan OPD" in printed and "PPID Kota Jambi" in printed


def test_write_lag_report_refuses_an_unknown_region(db, tmp_path):
    with pytest.raises(LookupError, match="unknown region '99'"):
        write_lag_report(db, run_id=1, region="99", out_dir=tmp_path / "reports")
    assert not (tmp_path / "reports").exists()
