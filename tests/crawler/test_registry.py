"""The registry: reading registry files, importing them, listing what is watched,
and the shipped national list."""

from __future__ import annotations

import csv
import os
import textwrap
from pathlib import Path

import pytest

from crawler import build_registry
from crawler.registry import (
    COLUMNS,
    NATIONAL_CSV,
    RegistryFormatError,
    import_file,
    list_sites,
    normalize_url,
    read_rows,
    registry_hosts,
)
from storage.db import open_db

HEADER = ",".join(COLUMNS)
JAMBI = "15,Jambi,provinsi,"
KOTA_JAMBI = "15.71,Kota Jambi,kota,15"
SOURCES_DIR = Path(os.environ.get("PANTAU_REGISTRY_SOURCES", "/work/shared/domain/registry"))


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "pantau.db")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def sites_of(db) -> list[tuple[str, str, str, str, str]]:
    return [
        (s["region_code"], s["unit_short"], s["url"], s["role"], s["domain_status"]) for s in list_sites(db)
    ]


def counts(db) -> dict[str, int]:
    return {table: db[table].count for table in ("regions", "units", "sites")}


# -- bad rows among good ones ------------------------------------------------------


def test_csv_bad_rows_are_reported_by_physical_line_and_the_good_rows_still_import(db, tmp_path):
    path = write(
        tmp_path,
        "jambi.csv",
        f"""
        {HEADER}
        {JAMBI},Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
        {KOTA_JAMBI},Portal Kota Jambi,portal,portal,jambikota.go.id,portal,confirmed

        15.72,"Kota Sungai
        Penuh",kota,15,Portal Kota Sungai Penuh,portal,portal,https://sungaipenuhkota.go.id/,portal,confirmed
        15.09,Kabupaten Tebo,kabupaten,15,PPID Kabupaten Tebo,ppid,ppid,https://ppidv2.tebokab.go.id/,ppid,confirmed
        15.09,Kabupaten Tebo,kabupaten,15,Portal Kabupaten Tebo,portal,portal,https://tebokab.go.id/,portal
        15.06,Kabupaten Tanjung Jabung Barat,kabupaten,15,Portal Kabupaten Tanjung Jabung Barat,portal,portal,,,
        """,
    )
    result = import_file(db, path)
    assert [str(error) for error in result.errors] == [
        f"{path}:3: url 'jambikota.go.id' is not an absolute http(s) URL with a host",
        f"{path}:5: region_name must fit on one line",
        f"{path}:8: expected 10 fields, found 9",
    ]
    assert sites_of(db) == [
        ("15", "portal", "https://www.jambiprov.go.id/", "portal", "confirmed"),
        ("15.09", "ppid", "https://ppidv2.tebokab.go.id/", "ppid", "confirmed"),
    ]
    # The row without a URL still records its pemda and portal unit.
    assert db["regions"].get("15.06")["name"] == "Kabupaten Tanjung Jabung Barat"
    assert [u["short_name"] for u in db["units"].rows_where("region_code = '15.06'")] == ["portal"]
    assert (result.sites, result.rejected, result.regions, result.units) == (2, 3, 3, 3)
    assert result.summary() == "imported 2 sites, 3 rows rejected (3 regions, 3 units, 2 new sites)"


def test_yaml_bad_rows_are_reported_at_the_line_where_their_mapping_starts(db, tmp_path):
    path = write(
        tmp_path,
        "jambi.yaml",
        """
        # Jambi, by hand
        - region_code: "15"
          region_name: Jambi
          region_kind: provinsi
          unit_name: Portal Provinsi Jambi
          unit_short: portal
          unit_kind: portal
          url: https://www.jambiprov.go.id/
          role: portal
          domain_status: confirmed
        - region_code: 15.10
          region_name: Kabupaten Contoh
          region_kind: kabupaten
          region_parent: 15
          unit_name: Portal Kabupaten Contoh
          unit_short: portal
          unit_kind: portal
          url: https://contohkab.go.id
          role: portal
          domain_status: guessed
        - region_code: "15.71"
          region_name: Kota Jambi
          region_kind: kota
          region_parent: "15"
          unit_name: Portal Kota Jambi
          unit_short: portal
          unit_kind: portal
          url: https://jambikota.go.id/
          role: portal
          domain_status: confirmed
          status: ok
        - just a string
        - {region_code: "15.72", region_name: [Kota, Sungai Penuh], region_kind: kota, region_parent: "15",
           unit_name: Portal Kota Sungai Penuh, unit_short: portal, unit_kind: portal}
        - region_code: "15.04"
          region_name: Kabupaten Batanghari
          region_kind: kabupaten
          region_parent: "15"
          unit_name: PPID Kabupaten Batanghari
          unit_short: ppid
          unit_kind: ppid
          url: https://ppid.batangharikab.go.id/
          role: ppid
        """,
    )
    result = import_file(db, path)
    assert [str(error) for error in result.errors] == [
        f"{path}:21: unknown key 'status'",
        f"{path}:32: expected a mapping of column names to values",
        f"{path}:33: region_name must be a plain value, not a list or mapping",
        f"{path}:35: domain_status is empty (needed when url is given)",
    ]
    # 15.10 is read as written, not as the number 15.1; a bare host gets its "/" path.
    assert sites_of(db) == [
        ("15", "portal", "https://www.jambiprov.go.id/", "portal", "confirmed"),
        ("15.10", "portal", "https://contohkab.go.id/", "portal", "guessed"),
    ]


BAD_ROWS = [
    (
        "1571,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,,,",
        "region_code '1571' is not a Kemendagri code like '15' or '15.71'",
    ),
    (
        "15.71,Kota Jambi,kecamatan,15,Portal Kota Jambi,portal,portal,,,",
        "region_kind 'kecamatan' is not one of provinsi, kabupaten, kota",
    ),
    (
        "15.71,Kota Jambi,provinsi,15,Portal Kota Jambi,portal,portal,,,",
        "region_code '15.71' is a kabupaten/kota code but region_kind is 'provinsi'",
    ),
    (
        "16,Sumatera Selatan,kota,,Portal Sumatera Selatan,portal,portal,,,",
        "region_code '16' is a province code but region_kind is 'kota'",
    ),
    (
        "16,Sumatera Selatan,provinsi,15,Portal Sumatera Selatan,portal,portal,,,",
        "region_parent must be empty for a province (got '15')",
    ),
    (
        "15.71,Kota Jambi,kota,,Portal Kota Jambi,portal,portal,,,",
        "region_parent is empty (a kabupaten/kota needs its province code)",
    ),
    (
        "15.71,Kota Jambi,kota,16,Portal Kota Jambi,portal,portal,,,",
        "region_parent '16' does not match region_code '15.71' (expected '15')",
    ),
    (
        "16.71,Kota Palembang,kota,16,Portal Kota Palembang,portal,portal,,,",
        "region_parent '16' is neither in the file nor in the database",
    ),
    (
        ",Kota Jambi,kota,15,,portal,portal,,,",
        "region_code is empty; unit_name is empty",
    ),
    (
        "15.71,Kota Jambi,kota,15,Dinas Kominfo,Dinas Kominfo,dinas,,,",
        "unit_short 'Dinas Kominfo' must be lower-case letters, digits, '.', '-' or '_'; "
        "unit_kind 'dinas' is not one of portal, opd, ppid",
    ),
    (
        "15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,ftp://jambikota.go.id/,portal,confirmed",
        "url 'ftp://jambikota.go.id/' is not an absolute http(s) URL with a host",
    ),
    (
        "15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,https:///berita,portal,confirmed",
        "url 'https:///berita' is not an absolute http(s) URL with a host",
    ),
    (
        "15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,https://admin:rahasia@jambikota.go.id/,portal,confirmed",
        "url 'https://admin:rahasia@jambikota.go.id/' is not an absolute http(s) URL with a host",
    ),
    (
        "15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,https://jambikota.go.id/,,maybe",
        "role is empty (needed when url is given); domain_status 'maybe' is not one of confirmed, guessed",
    ),
    (
        "15.71,Kota Jambi,kota,15,Portal Kota Jambi,portal,portal,,portal,guessed",
        "role 'portal' is given without a url; domain_status 'guessed' is given without a url",
    ),
    (
        "15,Provinsi Jambi,provinsi,,PPID Provinsi Jambi,ppid,ppid,https://ppid.jambiprov.go.id/,ppid,confirmed",
        "region 15 is described as 'Provinsi Jambi' (provinsi) here but as 'Jambi' (provinsi) on line 2",
    ),
    (
        "15,Jambi,provinsi,,Portal Jambi,portal,ppid,https://ppid.jambiprov.go.id/,ppid,confirmed",
        "unit 15/portal is 'Portal Jambi' (ppid) here but 'Portal Provinsi Jambi' (portal) on line 2",
    ),
    (
        "15,Jambi,provinsi,,PPID Provinsi Jambi,ppid,ppid,HTTPS://WWW.JambiProv.go.id,ppid,confirmed",
        "url https://www.jambiprov.go.id/ is already listed on line 2",
    ),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS, ids=[message for _, message in BAD_ROWS])
def test_each_bad_row_gets_its_exact_message(db, tmp_path, row, message):
    path = write(
        tmp_path,
        "one.csv",
        f"""
        {HEADER}
        {JAMBI},Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
        {row}
        """,
    )
    result = import_file(db, path)
    assert [str(error) for error in result.errors] == [f"{path}:3: {message}"]
    assert sites_of(db) == [("15", "portal", "https://www.jambiprov.go.id/", "portal", "confirmed")]


def test_a_parent_already_in_the_database_is_enough(db, tmp_path):
    province = write(
        tmp_path, "jambi.csv", f"{HEADER}\n{JAMBI},Portal Provinsi Jambi,portal,portal,,,\n"
    )
    kota = write(
        tmp_path,
        "kota.csv",
        f"{HEADER}\n{KOTA_JAMBI},Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed\n",
    )
    assert import_file(db, province).ok
    result = import_file(db, kota)
    assert result.ok
    assert sites_of(db) == [("15.71", "portal", "https://jambikota.go.id/", "portal", "confirmed")]


# -- file-level errors -------------------------------------------------------------


def test_unusable_files_are_refused_with_their_name(tmp_path):
    cases = {
        "list.txt": (HEADER, "list.txt: unknown file type '.txt' (expected .csv, .yaml or .yml)"),
        "empty.csv": ("", "empty.csv: empty file, expected a header row"),
        "short.csv": (
            "region_code,region_name,region_kind,region_parent,unit_name,unit_short,unit_kind,url",
            "short.csv: missing column(s) role, domain_status; the header must name " + ", ".join(COLUMNS),
        ),
        "typo.csv": (HEADER + ",catatan", "typo.csv: unknown column(s) catatan"),
        "twice.csv": (HEADER + ",url", "twice.csv: column(s) named twice in the header: url"),
        "mapping.yaml": ("region_code: '15'\n", "mapping.yaml:1: expected a YAML list of mappings, one per site"),
        "broken.yaml": ("- region_code: '15\n- x\n", "broken.yaml:3: not valid YAML (found unexpected end of stream)"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RegistryFormatError) as caught:
            read_rows(path)
        assert str(caught.value) == f"{tmp_path}/{message}", name


def test_an_empty_yaml_file_has_no_rows(tmp_path):
    path = write(tmp_path, "nothing.yaml", "# nothing yet\n")
    assert read_rows(path) == ([], [])


def test_a_bom_and_an_ignored_source_column_are_accepted(db, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        f"\ufeff{HEADER},source\n{JAMBI},Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed,seeder\n",
        encoding="utf-8",
    )
    assert import_file(db, path).ok
    assert sites_of(db) == [("15", "portal", "https://www.jambiprov.go.id/", "portal", "confirmed")]


def test_urls_are_normalized_only_in_scheme_host_and_empty_path():
    assert normalize_url("HTTPS://PPID.JambiKota.go.id") == ("https://ppid.jambikota.go.id/", "ppid.jambikota.go.id")
    assert normalize_url("http://jambikota.go.id:8080/PPID/?x=1#top") == (
        "http://jambikota.go.id:8080/PPID/?x=1",
        "jambikota.go.id",
    )
    assert normalize_url("https://jambi kota.go.id/") is None
    assert normalize_url("https://jambikota.go.id:99999/") is None
    assert normalize_url("mailto:ppid@jambikota.go.id") is None


# -- idempotence -------------------------------------------------------------------

TWO_SITES = f"""
{HEADER}
{JAMBI},Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
{KOTA_JAMBI},Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,guessed
"""


def test_reimporting_a_file_changes_nothing(db, tmp_path):
    path = write(tmp_path, "jambi.csv", TWO_SITES)
    first = import_file(db, path)
    before = (sites_of(db), list(db["units"].rows), list(db["regions"].rows))
    second = import_file(db, path)
    assert (first.new_sites, second.new_sites, second.sites) == (2, 0, 2)
    assert (sites_of(db), list(db["units"].rows), list(db["regions"].rows)) == before
    assert counts(db) == {"regions": 2, "units": 2, "sites": 2}


def test_reimporting_an_edited_file_updates_in_place_and_keeps_ids(db, tmp_path):
    import_file(db, write(tmp_path, "jambi.csv", TWO_SITES))
    ids = {s["url"]: (s["id"], s["unit_id"]) for s in list_sites(db)}
    db.execute("UPDATE sites SET active = 0 WHERE url = 'https://jambikota.go.id/'")
    db.conn.commit()
    edited = TWO_SITES.replace("15,Jambi,", "15,Provinsi Jambi,").replace(
        "Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,guessed",
        "Portal Pemerintah Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed",
    )
    result = import_file(db, write(tmp_path, "jambi-edited.csv", edited))
    assert result.ok and result.new_sites == 0
    assert counts(db) == {"regions": 2, "units": 2, "sites": 2}
    assert [(s["region_name"], s["unit_name"], s["domain_status"], s["active"]) for s in list_sites(db)] == [
        ("Provinsi Jambi", "Portal Provinsi Jambi", "confirmed", 1),
        ("Kota Jambi", "Portal Pemerintah Kota Jambi", "confirmed", 0),
    ]
    assert {s["url"]: (s["id"], s["unit_id"]) for s in list_sites(db)} == ids


def test_a_file_is_written_in_one_transaction(db, tmp_path):
    path = write(tmp_path, "jambi.csv", TWO_SITES)
    # The second site's insert fails after the first region, unit and site were written.
    db.execute("CREATE TRIGGER no_kota BEFORE INSERT ON sites WHEN NEW.host = 'jambikota.go.id' "
               "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(Exception, match="refused"):
        import_file(db, path)
    assert counts(db) == {"regions": 0, "units": 0, "sites": 0}


# -- listing -----------------------------------------------------------------------

MIXED = f"""
{HEADER}
{JAMBI},Portal Provinsi Jambi,portal,portal,https://www.jambiprov.go.id/,portal,confirmed
{JAMBI},Diskominfo Provinsi Jambi,diskominfo,opd,https://diskominfo.jambiprov.go.id/,opd,confirmed
{JAMBI},PPID Provinsi Jambi,ppid,ppid,https://ppid.jambiprov.go.id/,ppid,confirmed
15.06,Kabupaten Tanjung Jabung Barat,kabupaten,15,Portal Kabupaten Tanjung Jabung Barat,portal,portal,https://tanjungjabungbaratkab.go.id/,portal,guessed
{KOTA_JAMBI},Portal Kota Jambi,portal,portal,https://jambikota.go.id/,portal,confirmed
16,Sumatera Selatan,provinsi,,Portal Provinsi Sumatera Selatan,portal,portal,https://www.sumselprov.go.id/,portal,confirmed
16.71,Kota Palembang,kota,16,Portal Kota Palembang,portal,portal,https://palembang.go.id/,portal,confirmed
31.71,Kota Administrasi Jakarta Pusat,kota,31,Portal Kota Administrasi Jakarta Pusat,portal,portal,,,
31,Daerah Khusus Ibukota Jakarta,provinsi,,Portal Provinsi Daerah Khusus Ibukota Jakarta,portal,portal,https://www.jakarta.go.id/,portal,confirmed
"""


@pytest.fixture
def mixed(db, tmp_path):
    assert import_file(db, write(tmp_path, "mixed.csv", MIXED)).ok
    return db


def urls(rows) -> list[str]:
    return [row["url"] for row in rows]


def test_list_orders_by_region_then_portal_ppid_opd(mixed):
    assert urls(list_sites(mixed)) == [
        "https://www.jambiprov.go.id/",
        "https://ppid.jambiprov.go.id/",
        "https://diskominfo.jambiprov.go.id/",
        "https://tanjungjabungbaratkab.go.id/",
        "https://jambikota.go.id/",
        "https://www.sumselprov.go.id/",
        "https://palembang.go.id/",
        "https://www.jakarta.go.id/",
    ]


def test_list_region_takes_the_province_with_its_kabupaten_and_kota(mixed):
    assert urls(list_sites(mixed, region="16")) == ["https://www.sumselprov.go.id/", "https://palembang.go.id/"]
    assert urls(list_sites(mixed, region="15.71")) == ["https://jambikota.go.id/"]
    assert urls(list_sites(mixed, region="1")) == []
    assert urls(list_sites(mixed, region="31")) == ["https://www.jakarta.go.id/"]


def test_list_filters_by_role_and_status_together(mixed):
    assert urls(list_sites(mixed, role="opd")) == ["https://diskominfo.jambiprov.go.id/"]
    assert urls(list_sites(mixed, status="guessed")) == ["https://tanjungjabungbaratkab.go.id/"]
    assert urls(list_sites(mixed, region="15", role="portal", status="confirmed")) == [
        "https://www.jambiprov.go.id/",
        "https://jambikota.go.id/",
    ]


def test_listed_rows_carry_the_import_columns_and_the_site_id(mixed):
    row = list_sites(mixed, region="15.71")[0]
    assert {name: row[name] for name in COLUMNS} == {
        "region_code": "15.71",
        "region_name": "Kota Jambi",
        "region_kind": "kota",
        "region_parent": "15",
        "unit_name": "Portal Kota Jambi",
        "unit_short": "portal",
        "unit_kind": "portal",
        "url": "https://jambikota.go.id/",
        "role": "portal",
        "domain_status": "confirmed",
    }
    assert (row["host"], row["active"]) == ("jambikota.go.id", 1)
    assert mixed["sites"].get(row["id"])["url"] == row["url"]


def test_registry_hosts_are_the_hosts_of_active_sites(mixed):
    mixed.execute("UPDATE sites SET active = 0 WHERE host = 'palembang.go.id'")
    mixed.conn.commit()
    assert registry_hosts(mixed) == {
        "www.jambiprov.go.id",
        "ppid.jambiprov.go.id",
        "diskominfo.jambiprov.go.id",
        "tanjungjabungbaratkab.go.id",
        "jambikota.go.id",
        "www.sumselprov.go.id",
        "www.jakarta.go.id",
    }
    assert "palembang.go.id" in registry_hosts(mixed, active_only=False)


# -- the national list -------------------------------------------------------------

JAMBI_NATIONAL = [
    ("15", "portal", "https://www.jambiprov.go.id/"),
    ("15", "ppid", "https://ppid.jambiprov.go.id/"),
    ("15", "bapenda", "https://bapenda.jambiprov.go.id/"),
    ("15", "disdik", "https://disdik.jambiprov.go.id/"),
    ("15", "diskominfo", "https://diskominfo.jambiprov.go.id/"),
    ("15", "kesra", "https://kesra.jambiprov.go.id/"),
    ("15.01", "portal", "https://kerincikab.go.id/"),
    ("15.02", "portal", "https://meranginkab.go.id/"),
    ("15.02", "bkpsdmd", "https://bkpsdmd.meranginkab.go.id/"),
    ("15.02", "bpbd", "https://bpbd.meranginkab.go.id/"),
    ("15.02", "disparpora", "https://disparpora.meranginkab.go.id/"),
    ("15.03", "portal", "https://sarolangunkab.go.id/"),
    ("15.04", "portal", "https://www.batangharikab.go.id/"),
    ("15.04", "ppid", "https://ppid.batangharikab.go.id/"),
    ("15.04", "dukcapil", "https://dukcapil.batangharikab.go.id/"),
    ("15.04", "nakertrans", "https://nakertrans.batangharikab.go.id/"),
    ("15.05", "portal", "https://www.muarojambikab.go.id/"),
    ("15.05", "bpkad", "https://bpkad.muarojambikab.go.id/"),
    ("15.06", "portal", "https://tanjabbarkab.go.id/"),
    ("15.07", "portal", "https://www.tanjabtimkab.go.id/"),
    ("15.07", "ppid", "https://ppid.tanjabtimkab.go.id/"),
    *[
        ("15.07", label, f"https://{label}.tanjabtimkab.go.id/")
        for label in (
            "bappeda bkd bkpsdmd disbudparpora dishub diskominfo disnak dlh dpmd dpmptsp dukcapil "
            "nakertrans polpp sekretariatdprd setda"
        ).split()
    ],
    ("15.08", "portal", "https://bungokab.go.id/"),
    ("15.09", "portal", "https://tebokab.go.id/"),
    ("15.09", "ppid", "https://ppidv2.tebokab.go.id/"),
    ("15.71", "portal", "https://jambikota.go.id/"),
    ("15.71", "ppid", "https://ppid.jambikota.go.id/"),
    ("15.72", "portal", "https://sungaipenuhkota.go.id/"),
]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("national") / "pantau.db")
    result = import_file(db, NATIONAL_CSV)
    assert result.errors == []
    return db, result


def test_the_national_list_has_every_kemendagri_region_with_a_portal_unit(national):
    db, result = national
    kinds = {row["kind"]: row["n"] for row in db.query("SELECT kind, count(*) AS n FROM regions GROUP BY kind")}
    assert kinds == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    assert db["units"].count_where("short_name = 'portal' AND kind = 'portal'") == 552
    assert (result.regions, result.units, result.sites) == (552, 582, 576)


def test_jambi_lists_its_twelve_pemda_portals_and_its_opd_and_ppid_sites(national):
    db, _ = national
    rows = list_sites(db, region="15")
    assert [(row["region_code"], row["unit_short"], row["url"]) for row in rows] == JAMBI_NATIONAL
    portals = [row for row in rows if row["role"] == "portal"]
    assert len(portals) == 12 and {row["domain_status"] for row in rows} == {"confirmed"}
    assert [row["unit_name"] for row in portals][:2] == ["Portal Provinsi Jambi", "Portal Kabupaten Kerinci"]


def test_dki_jakartas_administrative_units_have_no_site(national):
    db, _ = national
    assert urls(list_sites(db, region="31")) == ["https://www.jakarta.go.id/"]
    assert db["regions"].count_where("parent = '31'") == 6


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason=f"registry sources not at {SOURCES_DIR}")
def test_the_shipped_national_list_is_the_builders_output():
    rows, _ = build_registry.build(SOURCES_DIR)
    assert build_registry.render(rows) == NATIONAL_CSV.read_text(encoding="utf-8")


# -- the builder's rules, on a miniature source set --------------------------------


def mini_sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    files = {
        build_registry.WILAYAH: """
            kode,nama,jenis,kode_prov,nama_prov
            15,Jambi,provinsi,15,Jambi
            15.06,Kabupaten Tanjung Jabung Barat,kabupaten,15,Jambi
            15.07,Kabupaten Tanjung Jabung Timur,kabupaten,15,Jambi
            15.71,Kota Jambi,kota,15,Jambi
            31,Daerah Khusus Ibukota Jakarta,provinsi,31,Daerah Khusus Ibukota Jakarta
            31.71,Kota Administrasi Jakarta Pusat,kota,31,Daerah Khusus Ibukota Jakarta
            94,Papua Tengah,provinsi,94,Papua Tengah
            """,
        build_registry.SEEDER: """
            nama_provinsi,website_as_seeded,note
            Jambi,https://www.jambiprov.go.id,
            DKI Jakarta,https://www.jakarta.go.id,
            Papua Tengah,https://www.papuatengahprov.go.id,UNVERIFIED new province
            """,
        build_registry.LPSE: """
            lpse_url,lpse_host,derived_base_domain,suffix_class
            http://lpse.jambiprov.go.id/,lpse.jambiprov.go.id,jambiprov.go.id,provinsi?
            http://lpse.tanjabbarkab.go.id/,lpse.tanjabbarkab.go.id,tanjabbarkab.go.id,kab (suffix kab)
            http://lpse.jambikota.go.id/,lpse.jambikota.go.id,jambikota.go.id,kota (suffix kota)
            http://10.0.0.1/,10.0.0.1,10.0.0.1,ip-only
            """,
        build_registry.SLUG_GUESS: """
            kode,nama,slug_guess_domain,guess_seen_in_lpse_list
            15.06,Kabupaten Tanjung Jabung Barat,tanjungjabungbaratkab.go.id,no
            15.07,Kabupaten Tanjung Jabung Timur,tanjungjabungtimurkab.go.id,no
            15.71,Kota Jambi,jambikota.go.id,yes
            31.71,Kota Administrasi Jakarta Pusat,jakartapusatkota.go.id,no
            """,
        build_registry.JAMBI_OBSERVED: """
            host,pemda,kind,evidence
            jambikota.go.id,Kota Jambi,portal domain,somewhere
            ppid.jambikota.go.id,Kota Jambi,PPID,somewhere
            sikoja.jambikota.go.id,Kota Jambi,app,somewhere
            diskominfo.jambiprov.go.id,Provinsi Jambi,OPD,somewhere
            """,
        build_registry.TANJABTIM_SUBDOMAINS: """
            # counts
                10 diskominfo.tanjabtimkab.go.id
                 5 surat.tanjabtimkab.go.id
                 3 ppid.tanjabtimkab.go.id
            """,
    }
    for name, text in files.items():
        (src / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return src


def test_the_builder_weighs_its_sources(tmp_path):
    rows, notes = build_registry.build(mini_sources(tmp_path))
    assert [(r["region_code"], r["unit_short"], r["url"], r["domain_status"], r["source"]) for r in rows] == [
        ("15", "portal", "https://www.jambiprov.go.id/", "confirmed", "lpse+seeder"),
        ("15", "diskominfo", "https://diskominfo.jambiprov.go.id/", "confirmed", "jambi-observed"),
        ("15.06", "portal", "https://tanjabbarkab.go.id/", "confirmed", "lpse"),
        ("15.07", "portal", "https://tanjungjabungtimurkab.go.id/", "guessed", "slug-guess"),
        ("15.07", "ppid", "https://ppid.tanjabtimkab.go.id/", "confirmed", "tanjabtim-2019"),
        ("15.07", "diskominfo", "https://diskominfo.tanjabtimkab.go.id/", "confirmed", "tanjabtim-2019"),
        ("15.71", "portal", "https://jambikota.go.id/", "confirmed", "jambi-observed+lpse+slug-guess"),
        ("15.71", "ppid", "https://ppid.jambikota.go.id/", "confirmed", "jambi-observed"),
        ("31", "portal", "https://www.jakarta.go.id/", "confirmed", "seeder"),
        ("31.71", "portal", "", "", "kemendagri (no domain in any source)"),
        ("94", "portal", "https://www.papuatengahprov.go.id/", "guessed", "seeder"),
    ]
    assert [r["unit_name"] for r in rows if r["region_code"] == "15.07"] == [
        "Portal Kabupaten Tanjung Jabung Timur",
        "PPID Kabupaten Tanjung Jabung Timur",
        "Diskominfo Kabupaten Tanjung Jabung Timur",
    ]
    assert notes == [
        "jambi-observed: skipped sikoja.jambikota.go.id (app)",
        "lpse: skipped 10.0.0.1 (ip-only)",
        "15.06 Kabupaten Tanjung Jabung Barat: dropped slug-guess tanjungjabungbaratkab.go.id for tanjabbarkab.go.id",
    ]


def test_the_builder_writes_a_file_the_importer_accepts(db, tmp_path):
    out = tmp_path / "national.csv"
    assert build_registry.main([str(mini_sources(tmp_path)), str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [*COLUMNS, "source"]
    result = import_file(db, out)
    assert (result.ok, result.regions, result.sites) == (True, 7, 10)
    assert list(tmp_path.glob("*.check.csv")) == []
