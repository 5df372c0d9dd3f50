"""``pantau sites``: import, import-national and list, driven through click."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from crawler.cli_sites import sites
from crawler.registry import COLUMNS, NATIONAL_CSV

README = NATIONAL_CSV.with_name("README.md")

HEADER = ",".join(COLUMNS)
GOOD = f"""
{HEADER}
15,Jambi,provinsi,,Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
15,Jambi,provinsi,,PPID Provinsi Jambi,ppid,ppid,https://ppid.jambiprov.go.id/,ppid,confirmed
15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed
15.06,Kabupaten Tanjung Jabung Barat,kabupaten,15,Portal Kabupaten Tanjung Jabung Barat,portal,portal,https://tanjungjabungbaratkab.go.id/,portal,guessed
16,Sumatera Selatan,provinsi,,Portal Provinsi Sumatera Selatan,portal,portal,https://www.sumselprov.go.id/,portal,confirmed
"""


@pytest.fixture
def runner():
    return CliRunner(env={"COLUMNS": "200", "PANTAU_DB": None})


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "pantau.db")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(path)


def run(runner, *args):
    return runner.invoke(sites, list(args), catch_exceptions=False)


def test_import_of_a_clean_file_exits_0(runner, db_path, tmp_path):
    path = write(tmp_path, "jambi.csv", GOOD)
    result = run(runner, "import", path, "--db", db_path)
    assert result.exit_code == 0
    assert result.stdout == f"{path}: imported 5 sites, 0 rows rejected (4 regions, 5 units, 5 new sites)\n"
    assert result.stderr == ""


def test_import_reports_bad_rows_on_stderr_and_exits_1(runner, db_path, tmp_path):
    path = write(
        tmp_path,
        "jambi.csv",
        f"""
        {HEADER}
        15,Jambi,provinsi,,Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
        15.71,Kota Jambi,kota,,Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed
        15.09,Kabupaten Tebo,kabupaten,15,Portal Kabupaten Tebo,portal,portal,https://tebokab.go.id/,portal,confirmed
        16.71,Kota Palembang,kota,16,Portal Kota Palembang,portal,portal,https://palembang.go.id/,portal,confirmed
        """,
    )
    result = run(runner, "import", path, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3: region_parent is empty (a kabupaten/kota needs its province code)\n"
        f"{path}:5: region_parent '16' is neither in the file nor in the database\n"
    )
    assert result.stdout == f"{path}: imported 2 sites, 2 rows rejected (2 regions, 2 units, 2 new sites)\n"
    listed = run(runner, "list", "--format", "csv", "--db", db_path)
    assert [line.split(",")[7] for line in listed.stdout.splitlines()[1:]] == [
        "https://www.jambiprov.go.id/",
        "https://tebokab.go.id/",
    ]


def test_import_refuses_an_unusable_file_naming_it(runner, db_path, tmp_path):
    notes = write(tmp_path, "notes.txt", "jambikota.go.id\n")
    result = run(runner, "import", notes, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {notes}: unknown file type '.txt' (expected .csv, .yaml or .yml)\n"
    short = write(tmp_path, "short.csv", "region_code,region_name\n15,Jambi\n")
    result = run(runner, "import", short, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {short}: missing column(s) region_kind, region_parent,")


def test_import_twice_adds_nothing(runner, db_path, tmp_path):
    path = write(tmp_path, "jambi.csv", GOOD)
    run(runner, "import", path, "--db", db_path)
    first = run(runner, "list", "--format", "csv", "--db", db_path).stdout
    again = run(runner, "import", path, "--db", db_path)
    assert again.stdout == f"{path}: imported 5 sites, 0 rows rejected (4 regions, 5 units, 0 new sites)\n"
    assert run(runner, "list", "--format", "csv", "--db", db_path).stdout == first


def test_list_as_csv_is_the_registry_format_and_imports_again(runner, db_path, tmp_path):
    run(runner, "import", write(tmp_path, "jambi.csv", GOOD), "--db", db_path)
    listed = run(runner, "list", "--region", "15", "--format", "csv", "--db", db_path)
    assert listed.exit_code == 0
    assert listed.stdout == textwrap.dedent(
        f"""\
        {HEADER}
        15,Jambi,provinsi,,Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
        15,Jambi,provinsi,,PPID Provinsi Jambi,ppid,ppid,https://ppid.jambiprov.go.id/,ppid,confirmed
        15.06,Kabupaten Tanjung Jabung Barat,kabupaten,15,Portal Kabupaten Tanjung Jabung Barat,portal,portal,https://tanjungjabungbaratkab.go.id/,portal,guessed
        15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed
        """
    )
    copy = write(tmp_path, "copy.csv", listed.stdout)
    other_db = str(tmp_path / "other.db")
    assert run(runner, "import", copy, "--db", other_db).exit_code == 0
    assert run(runner, "list", "--format", "csv", "--db", other_db).stdout == listed.stdout


def test_list_as_table_shows_each_site_and_a_count(runner, db_path, tmp_path):
    run(runner, "import", write(tmp_path, "jambi.csv", GOOD), "--db", db_path)
    result = run(runner, "list", "--region", "15", "--role", "portal", "--db", db_path)
    assert result.exit_code == 0
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[0] == ["code", "pemda", "unit", "role", "url", "status"]
    assert [(line[0], line[-2], line[-1]) for line in lines[1:-1]] == [
        ("15", "https://www.jambiprov.go.id/", "confirmed"),
        ("15.06", "https://tanjungjabungbaratkab.go.id/", "guessed"),
        ("15.71", "https://jambikota.go.id/", "confirmed"),
    ]
    assert lines[-1] == "3 sites of 3 pemda".split()


def test_list_filters_by_status(runner, db_path, tmp_path):
    run(runner, "import", write(tmp_path, "jambi.csv", GOOD), "--db", db_path)
    result = run(runner, "list", "--status", "guessed", "--format", "csv", "--db", db_path)
    assert [line.split(",")[7] for line in result.stdout.splitlines()[1:]] == ["https://tanjungjabungbaratkab.go.id/"]


def test_list_refuses_a_malformed_region(runner, db_path):
    result = run(runner, "list", "--region", "jambi", "--db", db_path)
    assert result.exit_code == 2
    assert "Invalid value for '--region': 'jambi' is not a region code like 15 or 15.71" in result.stderr


def test_import_national_loads_the_shipped_list(runner, db_path):
    result = run(runner, "import-national", "--db", db_path)
    assert result.exit_code == 0
    assert result.stdout == f"{NATIONAL_CSV}: imported 576 sites, 0 rows rejected (552 regions, 582 units, 576 new sites)\n"
    jambi = run(runner, "list", "--region", "15", "--role", "portal", "--db", db_path)
    assert jambi.stdout.splitlines()[-1] == "12 sites of 12 pemda"


def test_every_sites_command_and_option_is_documented():
    readme = README.read_text(encoding="utf-8")
    for name, command in sites.commands.items():
        assert f"pantau sites {name}" in readme, name
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--"):
                    assert flag in readme, f"{name} {flag}"
