"""The census world (548 pemda built to seed 000) served, probed and counted end to end:
`pantau report census` must print the seed's Table 2."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from probe_testbed import pantau, pantau_here, served_world

from testbed.census import WORLD_PATH, expected_outcomes, world_yaml
from testbed.world import load_world

# Seed 000, Table 2 ("Persebaran jumlah dan status website pemerintah provinsi dan kabupaten").
SEED_TABLE_2 = """\
Status                  Jumlah website  Persentase
Dapat diakses                      483         88%
Tidak dapat diakses                 60         11%
Tidak memiliki website               5          1%
Total                              548        100%
"""
REASONS = """\
Penyebab tidak dapat diakses (60 pemda):
Penyebab                                      Kelas                  Jumlah  Persentase
Koneksi ditolak                               connect_refused            14         23%
Sertifikat HTTPS kedaluwarsa                  tls_expired                 6         10%
Kesalahan server (HTTP 5xx)                   http_5xx                    6         10%
Koneksi melewati batas waktu                  connect_timeout             5          8%
Halaman ditolak atau tidak ada (HTTP 4xx)     http_4xx                    5          8%
Server tidak menjawab dalam batas waktu       read_timeout                4          7%
Sertifikat HTTPS ditandatangani sendiri       tls_self_signed             4          7%
Gangguan DNS                                  dns_error                   3          5%
Sertifikat HTTPS untuk nama domain lain       tls_hostname_mismatch       3          5%
Terparkir, diretas atau disusupi judi online  parked_or_defaced           3          5%
Kesalahan HTTPS lainnya                       tls_other                   2          3%
Pengalihan alamat berputar-putar              redirect_loop               2          3%
Pengalihan alamat terlalu banyak              too_many_redirects          2          3%
Halaman utama kosong                          empty_body                  1          2%

Tidak memiliki website: 3 tanpa alamat situs di registri, 2 dengan nama domain yang tidak terdaftar (dns_nxdomain).
"""


def test_the_world_file_is_what_the_generator_writes():
    assert WORLD_PATH.read_text(encoding="utf-8") == world_yaml()


def test_the_world_is_built_to_the_seed_numbers():
    world = load_world(WORLD_PATH)
    assert Counter(r.kind for r in world.regions) == {"provinsi": 34, "kabupaten": 416, "kota": 98}
    assert len(world.sites) == 548 - 3 and {s.role for s in world.sites} == {"portal"}
    assert sum(expected_outcomes().values()) == 545
    assert expected_outcomes()["ok"] == 483


@pytest.fixture(scope="module")
def probed_census(tmp_path_factory):
    out = tmp_path_factory.mktemp("census")
    db = out / "pantau.db"
    with served_world(load_world(WORLD_PATH), out / "testbed"):
        result = pantau_here("sites", "import", str(out / "testbed" / "registry.csv"), "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert "imported 545 sites, 0 rows rejected (548 regions, 548 units" in result.stdout
        result = pantau("probe", "--db", str(db), "--hosts-file", str(out / "testbed" / "hosts.txt"),
                        "--ca-file", str(out / "testbed" / "ca.pem"), "--allow-private", "--connect-timeout", "1",
                        "--read-timeout", "1", "--timeout", "5", "--concurrency", "100")
        assert result.returncode == 0, result.stderr
    return db, result.stdout


def test_every_portal_fails_the_way_it_was_built_to(probed_census):
    _, summary = probed_census
    counts = dict(re.findall(r"(\w+) (\d+)", summary.split("; ", 1)[1]))
    assert {k: int(v) for k, v in counts.items()} == expected_outcomes()


def test_the_census_prints_the_seed_table(probed_census):
    db, _ = probed_census
    result = pantau_here("report", "census", "--db", str(db))
    assert result.returncode == 0, result.stderr
    head, when, blank, *rest = result.stdout.split("\n")
    assert (head, blank) == ("Sensus website pemerintah daerah: Nasional", "")
    assert re.fullmatch(r"Pemeriksaan: \d{4}-\d\d-\d\d \d\d:\d\d UTC( s\.d\. \d{4}-\d\d-\d\d \d\d:\d\d UTC)?", when)
    assert "\n".join(rest) == SEED_TABLE_2 + "\n" + REASONS


def expected_class(portal) -> str:
    """The census class a portal of the world file must end in, read from its spec."""
    if portal is None or portal.fault == "nxdomain":
        return "no_website"
    if portal.fault == "none" and portal.tls in ("none", "valid"):
        return "accessible"
    return "not_accessible"


@pytest.mark.parametrize("province", ["13", "29"])  # each has a pemda without a website and several down
def test_a_province_scope_counts_its_own_pemda(probed_census, province):
    db, _ = probed_census
    world = load_world(WORLD_PATH)
    expected = Counter(
        expected_class(next((s for s in world.sites_of(region.code) if s.role == "portal"), None))
        for region in world.regions if region.code == province or region.code.startswith(province + "."))
    assert expected["no_website"] == 1 and expected["not_accessible"] >= 3
    result = pantau_here("report", "census", "--db", str(db), "--province", province)
    assert result.returncode == 0, result.stderr
    table = dict(re.findall(r"^(Dapat diakses|Tidak dapat diakses|Tidak memiliki website|Total) +(\d+) ",
                            result.stdout, flags=re.M))
    assert {k: int(v) for k, v in table.items()} == {
        "Dapat diakses": expected["accessible"], "Tidak dapat diakses": expected["not_accessible"],
        "Tidak memiliki website": expected["no_website"], "Total": sum(expected.values())}
