"""``pantau report lag`` through click's test runner."""

from __future__ import annotations

from click.testing import CliRunner

from exporter.cli_report import report


def run(*args: str):
    return CliRunner().invoke(report, list(args), catch_exceptions=False)


def test_lag_prints_the_table_and_writes_the_html(lag_db, tmp_path):
    out = tmp_path / "lag.html"
    result = run("lag", "--db", str(lag_db), "--run", "1", "--html", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2:] == [f"database: {lag_db}", f"report: {out}"]
    assert "Daftar Keterlambatan OPD" in result.output
    table = result.output
    assert table.index("PPID Kota Jambi") < table.index("Dinas Pendidikan") < table.index("Badan Perencanaan")
    assert "Situs tidak dapat dihubungi (koneksi ditolak)" in table
    assert "[red]9 dari 10 gambar" in table  # crawled text is not rich markup
    html = out.read_text(encoding="utf-8")
    assert '<a href="https://ppid.jambikota.go.id/">Situs tidak dapat dihubungi (koneksi ditolak)</a>' in html


def test_lag_default_html_path_is_under_var_reports(lag_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("lag", "--db", str(lag_db), "--run", "1", "--region", "15.71")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "report: var/reports/lag-1-2026-11-23.html"
    html = (tmp_path / "var/reports/lag-1-2026-11-23.html").read_text(encoding="utf-8")
    assert "PPID Kota Jambi" in html and "Dinas Pendidikan" not in html
    assert "Wilayah 15.71 Kota Jambi" in html


def test_lag_of_an_unscored_run_tells_to_score_it(lag_db):
    result = CliRunner().invoke(report, ["lag", "--db", str(lag_db)])
    assert result.exit_code == 1
    assert "run 2 has no scores yet; run `pantau score --run 2` first" in result.output


def test_lag_rejects_an_unknown_region_and_a_missing_database(lag_db, tmp_path):
    result = CliRunner().invoke(report, ["lag", "--db", str(lag_db), "--run", "1", "--region", "99"])
    assert (result.exit_code, result.output.strip()) == (1, f"Error: {lag_db}: unknown region '99'")
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(report, ["lag", "--db", str(missing)])
    assert result.exit_code == 1 and "no such database" in result.output
    assert not missing.exists()
