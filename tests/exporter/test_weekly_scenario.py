"""Four simulated weeks on the testbed: the weekly report and the reprimand ladder end to end.

The scenario ships with the testbed (testbed/worlds/weeks.yaml and weeks-1..4.yaml): five
OPD sites of Provinsi Jambi. disdik answers HTTP 500 in weeks 1-2 and is fixed from week 3;
dinkes stopped publishing on 14 October and its newest content ages week by week; dlh is
down all four weeks. Each week the testbed is served on the same ports with that week's
overlay, the real `pantau crawl` runs, the run is moved to that week's Wednesday
(`backdate_run`) and scored there, and `pantau report weekly` judges the week. The stale
rule is set to 25 days so that dinkes lags from week 3 only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from weekly_helpers import ServerThread

from crawler.cli_schedule import backdate_run
from crawler.registry import import_file
from crawler.score import score_run
from exporter.cli_report import report
from storage.db import open_db
from testbed.overlay import load_world_with_overlays

REPO = Path(__file__).resolve().parents[2]
WORLDS = REPO / "testbed" / "worlds"
# (ISO week, when the crawl ran: Wednesday 10:00 WIB, the end of the week: Monday 00:00 WIB)
WEEKS = [
    ("2026-W44", "2026-10-28T03:00:00+00:00", "2026-11-02T00:00:00+07:00"),
    ("2026-W45", "2026-11-04T03:00:00+00:00", "2026-11-09T00:00:00+07:00"),
    ("2026-W46", "2026-11-11T03:00:00+00:00", "2026-11-16T00:00:00+07:00"),
    ("2026-W47", "2026-11-18T03:00:00+00:00", "2026-11-23T00:00:00+07:00"),
]
RULES = "rules:\n  stale_content: {max_age_days: 25}\n"
NAMES = {"Dinas Komunikasi dan Informatika": "diskominfo", "Badan Perencanaan Pembangunan Daerah": "bappeda",
         "Dinas Pendidikan": "disdik", "Dinas Kesehatan": "dinkes", "Dinas Lingkungan Hidup": "dlh"}


def crawl(db_path: Path, hosts: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path), "--hosts-file", str(hosts),
         "--allow-private", "--no-progress", "--no-score", "--set", "AUTOTHROTTLE_START_DELAY=0.01",
         "--set", "LOG_LEVEL=WARNING"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.search(r"crawl run (\d+) finished", result.stdout).group(1))


def weekly(*args: str):
    result = CliRunner().invoke(report, ["weekly", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("weeks")
    db_path, out, rules = root / "pantau.db", root / "laporan", root / "aturan.yaml"
    rules.write_text(RULES, encoding="utf-8")
    db = open_db(db_path)
    ports: dict = {}
    for n, (week, crawled_at, _) in enumerate(WEEKS, start=1):
        world = load_world_with_overlays(WORLDS / "weeks.yaml", [WORLDS / f"weeks-{n}.yaml"])
        server = ServerThread(world, **ports)
        try:
            testbed = server.testbed
            ports = ports or {"http_port": testbed.http_port, "down_port": testbed.down_port}
            testbed.write_files(root / "testbed")
            if n == 1:
                assert import_file(db, root / "testbed" / "registry.csv").ok
            run_id = crawl(db_path, root / "testbed" / "hosts.txt")
        finally:
            server.stop()
        backdate_run(db, run_id, dt.datetime.fromisoformat(crawled_at))
        score_run(db, run_id)
    outputs = {}
    for week, _, end in WEEKS:
        outputs[week] = weekly("--db", str(db_path), "--week", week, "--region", "15", "--as-of", end,
                               "--rules", str(rules), "--out", str(out)).output
    return {"db": db_path, "out": out, "rules": rules, "outputs": outputs, "root": root}


def status_table(db_path: Path) -> dict:
    db = open_db(db_path, readonly=True)
    rows = db.query("select w.week, u.short_name, w.lagging, w.level, w.streak, w.change from weekly_status w "
                    "join units u on u.id = w.unit_id order by w.week, u.short_name")
    table: dict = {}
    for row in rows:
        table.setdefault(row["week"], {})[row["short_name"]] = (row["lagging"], row["level"], row["streak"],
                                                                 row["change"])
    return table


def test_the_ladder_climbs_and_descends_week_by_week_and_only_dlh_reaches_teguran_iii(scenario):
    # (lagging, reprimand level, lagging weeks in a row, change since last week)
    assert status_table(scenario["db"]) == {
        "2026-W44": {"bappeda": (0, 0, 0, "same"), "dinkes": (0, 0, 0, "same"), "disdik": (1, 1, 1, "new"),
                     "diskominfo": (0, 0, 0, "same"), "dlh": (1, 1, 1, "new")},
        "2026-W45": {"bappeda": (0, 0, 0, "same"), "dinkes": (0, 0, 0, "same"), "disdik": (1, 2, 2, "same"),
                     "diskominfo": (0, 0, 0, "same"), "dlh": (1, 2, 2, "same")},
        "2026-W46": {"bappeda": (0, 0, 0, "same"), "dinkes": (1, 1, 1, "new"), "disdik": (0, 1, 0, "resolved"),
                     "diskominfo": (0, 0, 0, "same"), "dlh": (1, 3, 3, "same")},
        "2026-W47": {"bappeda": (0, 0, 0, "same"), "dinkes": (1, 2, 2, "worse"), "disdik": (0, 0, 0, "same"),
                     "diskominfo": (0, 0, 0, "same"), "dlh": (1, 3, 4, "same")},
    }


def test_every_step_of_the_ladder_is_stored_with_its_date_reasons_and_deadline(scenario):
    db = open_db(scenario["db"], readonly=True)
    steps = [(r["week"], r["short_name"], r["action"], r["from_level"], r["to_level"], r["decided_on"], r["deadline"],
              [reason["rule"] for reason in json.loads(r["reasons"])])
             for r in db.query("select r.*, u.short_name from reprimands r join units u on u.id = r.unit_id "
                               "order by r.week, u.short_name")]
    assert steps == [
        ("2026-W44", "disdik", "escalate", 0, 1, "2026-11-02", "2026-11-16", ["downtime", "low_score"]),
        ("2026-W44", "dlh", "escalate", 0, 1, "2026-11-02", "2026-11-16", ["downtime", "low_score"]),
        ("2026-W45", "disdik", "escalate", 1, 2, "2026-11-09", "2026-11-16", ["downtime", "low_score"]),
        ("2026-W45", "dlh", "escalate", 1, 2, "2026-11-09", "2026-11-16", ["downtime", "low_score"]),
        ("2026-W46", "dinkes", "escalate", 0, 1, "2026-11-16", "2026-11-30", ["stale_content"]),
        ("2026-W46", "disdik", "step_down", 2, 1, "2026-11-16", None, ["fixed"]),
        ("2026-W46", "dlh", "escalate", 2, 3, "2026-11-16", "2026-11-23", ["downtime", "low_score"]),
        ("2026-W47", "dinkes", "escalate", 1, 2, "2026-11-23", "2026-11-30", ["stale_content"]),
        ("2026-W47", "disdik", "step_down", 1, 0, "2026-11-23", None, ["fixed"]),
    ]


def sheet(path: Path, name: str = "Daftar") -> list[list]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook[name].iter_rows(values_only=True)]


def site_url(db_path: Path, short: str) -> str:
    db = open_db(db_path, readonly=True)
    return next(db.query("select s.url from sites s join units u on u.id = s.unit_id where u.short_name = ?",
                         [short]))["url"]


def test_each_week_s_workbook_ranks_the_units_worst_first(scenario):
    ranking = {}
    for week, _, _ in WEEKS:
        rows = sheet(scenario["out"] / week / f"laporan-mingguan-{week}-15.xlsx")
        assert rows[0][:4] == ["Peringkat", "Kode wilayah", "Pemda", "Unit"]
        assert [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5]
        ranking[week] = [NAMES[row[3]] for row in rows[1:]]
    assert ranking == {
        "2026-W44": ["dlh", "disdik", "bappeda", "dinkes", "diskominfo"],
        "2026-W45": ["dlh", "disdik", "bappeda", "dinkes", "diskominfo"],
        # disdik is fixed but still under Teguran I: it ranks above the units never reprimanded
        "2026-W46": ["dlh", "dinkes", "disdik", "bappeda", "diskominfo"],
        "2026-W47": ["dlh", "dinkes", "bappeda", "diskominfo", "disdik"],
    }


def test_the_workbook_says_what_each_unit_lacks_and_how_it_changed(scenario):
    rows = sheet(scenario["out"] / "2026-W47" / "laporan-mingguan-2026-W47-15.xlsx")
    dlh, dinkes = rows[1], rows[2]
    assert dlh == [1, "15", "Provinsi Jambi", "Dinas Lingkungan Hidup", "dlh", "opd", site_url(scenario["db"], "dlh"),
                   0.0, 0.0, "Tertinggal", "Tetap", 4, "Teguran III",
                   "Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)\n"
                   "Skor gabungan 0 di bawah batas 50"]
    assert dinkes[9:14] == ["Tertinggal", "Memburuk", 2, "Teguran II",
                            "Konten tidak diperbarui sejak 14 Oktober 2026 (35 hari; batas 25 hari)"]
    assert dinkes[7] < dinkes[8]  # the aged content now costs freshness points
    assert rows[5][9:13] == ["Tidak tertinggal", "Tetap", 0, "-"]
    reasons = sheet(scenario["out"] / "2026-W47" / "laporan-mingguan-2026-W47-15.xlsx", "Alasan")
    assert reasons[0] == ["Peringkat", "Unit", "Aturan", "Alasan", "Bukti", "Tautan bukti"]
    assert reasons[1] == [1, "Dinas Lingkungan Hidup", "downtime",
                          "Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)",
                          "Situs tidak dapat dihubungi (koneksi ditolak)", site_url(scenario["db"], "dlh")]
    stale = [row for row in reasons if row[2] == "stale_content"]
    assert len(stale) == 1 and stale[0][5].startswith(site_url(scenario["db"], "dinkes"))
    steps = sheet(scenario["out"] / "2026-W47" / "laporan-mingguan-2026-W47-15.xlsx", "Teguran")
    assert [row[:7] for row in steps[1:]] == [
        ["Dinas Kesehatan", "2026-W47", "2026-11-23", "naik", "Teguran I", "Teguran II", "2026-11-30"],
        ["Dinas Pendidikan", "2026-W47", "2026-11-23", "turun", "Teguran I", "-", None],
    ]


def test_the_html_report_shows_ranking_changes_trends_and_evidence_links(scenario):
    html = (scenario["out"] / "2026-W46" / "laporan-mingguan-2026-W46-15.html").read_text(encoding="utf-8")
    assert "<title>Laporan Mingguan Keterlambatan OPD — Provinsi Jambi — 2026-W46</title>" in html
    assert "Minggu ke-46 tahun 2026 (9–15 November 2026) · keadaan per 16 November 2026 pukul 00.00 WIB" in html
    body = html[html.index("Daftar unit, dari yang paling tertinggal"):]
    order = [body.index(name) for name in ("Dinas Lingkungan Hidup", "Dinas Kesehatan", "Dinas Pendidikan",
                                           "Badan Perencanaan", "Dinas Komunikasi")]
    assert order == sorted(order)
    assert "Teguran III (naik dari Teguran II)" in html and "Teguran I (turun dari Teguran II)" in html
    assert "<td>Baru tertinggal</td>" in html and "<td>Sudah tidak tertinggal</td>" in html
    assert f'<a href="{site_url(scenario["db"], "dlh")}">Situs tidak dapat dihubungi (koneksi ditolak)</a>' in html
    assert html.count('<td class="tren"><svg') == 5 and html.count("<svg") == 6  # five trends, one summary
    assert "surat-teguran/teguran-III-15-dlh-2026-W46.pdf" in html
    assert "konten terbaru lebih tua dari 25 hari" in html  # the configured criteria are printed


def test_the_pdf_report_renders_and_reads_back(scenario, tmp_path):
    from matplotlib.image import imread
    from pypdf import PdfReader

    pdf = scenario["out"] / "2026-W47" / "laporan-mingguan-2026-W47-15.pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Laporan Mingguan Keterlambatan OPD" in text and "Dinas Lingkungan Hidup" in text
    assert "Teguran III" in text and "Konten tidak diperbarui sejak 14 Oktober 2026" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "halaman")],
                   check=True, timeout=60)
    [png] = tmp_path.glob("halaman*.png")
    pixels = imread(png)
    height, width = pixels.shape[:2]
    assert width > height  # A4 landscape
    assert (pixels[..., :3].mean(axis=2) < 0.5).mean() > 0.01  # ink on the page: text, table, chart


def test_a_draft_letter_is_written_for_every_escalation_and_teguran_iii_goes_to_dlh_only(scenario):
    letters = sorted(p.name for p in scenario["out"].glob("*/surat-teguran/*"))
    assert letters == [f"{stem}.{ext}" for stem in sorted([
        "teguran-I-15-disdik-2026-W44", "teguran-I-15-dlh-2026-W44", "teguran-II-15-disdik-2026-W45",
        "teguran-II-15-dlh-2026-W45", "teguran-I-15-dinkes-2026-W46", "teguran-III-15-dlh-2026-W46",
        "teguran-II-15-dinkes-2026-W47"]) for ext in ("docx", "pdf")]
    db = open_db(scenario["db"], readonly=True)
    stored = [row["letter_pdf"] for row in db.query("select letter_pdf from reprimands where action = 'escalate' "
                                                     "order by week, unit_id")]
    assert all(path and Path(path).exists() for path in stored) and len(stored) == 7


def test_the_teguran_iii_letter_names_the_head_of_the_opd_the_findings_and_the_deadline(scenario, tmp_path):
    import docx
    from pypdf import PdfReader

    stem = scenario["out"] / "2026-W46" / "surat-teguran" / "teguran-III-15-dlh-2026-W46"
    document = docx.Document(str(stem) + ".docx")
    text = "\n".join(p.text for p in document.paragraphs)
    url = site_url(scenario["db"], "dlh")
    for expected in ("PEMERINTAH PROVINSI JAMBI", "Jambi, 16 November 2026", "Yth. Kepala Dinas Lingkungan Hidup",
                     "tertinggal selama 3 minggu berturut-turut, yaitu sejak minggu 2026-W44 sampai dengan minggu "
                     "2026-W46 (9–15 November 2026)", "Teguran Ketiga",
                     "1. Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)",
                     "paling lambat tanggal 23 November 2026 (7 hari", "[NAMA SEKRETARIS DAERAH]"):
        assert expected in text, expected
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Nomor", ":", "[kode klasifikasi]/[nomor]/SETDA/2026"]
    assert rows[3] == ["Perihal", ":", "Teguran Ketiga (Teguran III) atas Pengelolaan Situs Web"]
    with zipfile.ZipFile(str(stem) + ".docx") as package:
        assert f'Target="{url}" TargetMode="External"' in package.read("word/_rels/document.xml.rels").decode()
    pdf_text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(stem) + ".pdf").pages).split())
    assert "Kepala Dinas Lingkungan Hidup" in pdf_text and "23 November 2026" in pdf_text
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(stem) + ".pdf", str(tmp_path / "s")],
                   check=True, timeout=60)
    assert list(tmp_path.glob("s*.png"))


def test_the_index_lists_every_week_newest_first(scenario):
    index = (scenario["out"] / "index.html").read_text(encoding="utf-8")
    weeks = re.findall(r"<tr><td>(\d{4}-W\d{2})</td>", index)
    assert weeks == ["2026-W47", "2026-W46", "2026-W45", "2026-W44"]
    assert ('<a href="2026-W44/laporan-mingguan-2026-W44-15.html">HTML</a> · '
            '<a href="2026-W44/laporan-mingguan-2026-W44-15.pdf">PDF</a> · '
            '<a href="2026-W44/laporan-mingguan-2026-W44-15.xlsx">XLSX</a>') in index


def test_the_command_prints_the_lagging_units_and_the_steps(scenario):
    lines = scenario["outputs"]["2026-W47"].splitlines()
    assert lines[:5] == [
        "Laporan Mingguan Keterlambatan OPD — Provinsi Jambi — 2026-W47: 5 of 5 units judged, 2 lagging",
        "  Dinas Lingkungan Hidup: Teguran III, 4 week(s) in a row, downtime, low_score",
        "  Dinas Kesehatan: Teguran II, 2 week(s) in a row, stale_content",
        "  step: Dinas Kesehatan escalate Teguran I -> Teguran II",
        "  step: Dinas Pendidikan step_down Teguran I -> -",
    ]


def snapshot(db_path: Path, out: Path) -> dict:
    db = open_db(db_path, readonly=True)
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return {"status": list(db.query("select * from weekly_status order by week, unit_id")),
            "reprimands": list(db.query("select * from reprimands order by id")), "files": files}


def test_judging_a_week_again_gives_the_same_result_and_never_climbs_twice(scenario):
    before = snapshot(scenario["db"], scenario["out"])
    for week, _, end in (WEEKS[3], WEEKS[2], WEEKS[3]):
        weekly("--db", str(scenario["db"]), "--week", week, "--region", "15", "--as-of", end,
               "--rules", str(scenario["rules"]), "--out", str(scenario["out"]))
    after = snapshot(scenario["db"], scenario["out"])
    assert after["status"] == before["status"]
    assert after["reprimands"] == before["reprimands"]
    assert after["files"].keys() == before["files"].keys()
    changed = [name for name in before["files"] if before["files"][name] != after["files"][name]]
    assert changed == []
