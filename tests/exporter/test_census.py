"""The census and uptime reports over probes written straight into a database."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from crawler.cli import main

from exporter import census as census_module
from exporter.census import census, percent, render
from exporter.uptime import render as render_uptime
from exporter.uptime import uptime
from storage.db import open_db

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.timezone.utc)


def report(*args):
    """``pantau report ...`` through the real command-line entry point, in this process."""
    return CliRunner().invoke(main, ["report", *args])


class Registry:
    """A database with regions, one unit per site, and probe rows at chosen times."""

    def __init__(self, path):
        self.path = path
        self.db = open_db(path)
        self.run_id = self.db["runs"].insert({"kind": "probe", "started_at": NOW.isoformat(),
                                              "status": "finished"}).last_pk

    def region(self, code, name, kind, parent=None):
        self.db["regions"].insert({"code": code, "name": name, "kind": kind, "parent": parent})

    def site(self, code, url, role="portal", active=1, short=None):
        unit = self.db["units"].insert({"region_code": code, "name": f"Unit {short or role} {code}",
                                        "short_name": short or f"{role}-{len(url)}-{url[-12:]}", "kind": role}).last_pk
        host = url.split("//")[1].split("/")[0].split(":")[0]
        return self.db["sites"].insert({"unit_id": unit, "url": url, "host": host, "role": role,
                                        "domain_status": "confirmed", "active": active}).last_pk

    def probe(self, site_id, error_class, ago=dt.timedelta(minutes=5), total_ms=100.0, run_id=None):
        self.db["probes"].insert({"run_id": run_id or self.run_id, "site_id": site_id, "error_class": error_class,
                                  "probed_at": (NOW - ago).replace(microsecond=0).isoformat(), "url": "",
                                  "total_ms": total_ms})

    def new_run(self):
        self.run_id = self.db["runs"].insert({"kind": "probe", "started_at": NOW.isoformat(),
                                              "status": "finished"}).last_pk
        return self.run_id


@pytest.fixture
def reg(tmp_path):
    registry = Registry(tmp_path / "pantau.db")
    registry.region("15", "Provinsi Jambi", "provinsi")
    registry.region("15.01", "Kabupaten Kerinci", "kabupaten", "15")
    registry.region("15.02", "Kabupaten Merangin", "kabupaten", "15")
    registry.region("15.71", "Kota Jambi", "kota", "15")
    registry.region("15.72", "Kota Sungai Penuh", "kota", "15")
    registry.region("16", "Provinsi Sumatera Selatan", "provinsi")
    return registry


@pytest.mark.parametrize("part, whole, text", [
    (483, 548, "88%"), (60, 548, "11%"), (5, 548, "1%"), (548, 548, "100%"),
    (1, 8, "13%"),  # 12.5: half rounds up, as in print, not to the even 12
    (0, 7, "0%"), (0, 0, "-"),
])
def test_percent_is_whole_and_rounds_half_up(part, whole, text):
    assert percent(part, whole) == text


def test_each_pemda_falls_in_one_class_by_its_portals(reg):
    reg.probe(reg.site("15", "https://jambiprov.go.id/"), "ok")
    reg.probe(reg.site("15", "https://ppid.jambiprov.go.id/", role="ppid"), "connect_refused")  # not a portal
    reg.probe(reg.site("15.01", "https://kerincikab.go.id/"), "dns_nxdomain")
    reg.probe(reg.site("15.02", "https://meranginkab.go.id/"), "dns_nxdomain")
    reg.probe(reg.site("15.02", "http://www.meranginkab.go.id/"), "tls_expired")
    reg.probe(reg.site("15.71", "https://jambikota.go.id/"), "oversized")  # answered; only too big
    reg.site("16", "https://sumselprov.go.id/")  # registered, never probed
    # 15.72 has no portal URL at all
    result = census(reg.db)
    by_code = {p.code: (p.status, p.reason) for p in result.pemda}
    assert by_code == {
        "15": ("accessible", "ok"),
        "15.01": ("no_website", "dns_nxdomain"),
        "15.02": ("not_accessible", "tls_expired"),
        "15.71": ("accessible", "oversized"),
        "15.72": ("no_website", "no_url"),
        "16": ("not_probed", None),
    }


def test_an_ok_portal_outweighs_a_failing_one_and_inactive_sites_do_not_count(reg):
    site = reg.site("15", "https://jambiprov.go.id/")
    reg.probe(site, "connect_refused")
    reg.probe(reg.site("15", "https://www.jambiprov.go.id/"), "ok")
    reg.probe(reg.site("15.71", "https://jambikota.go.id/", active=0), "ok")
    by_code = {p.code: p.status for p in census(reg.db).pemda}
    assert (by_code["15"], by_code["15.71"]) == ("accessible", "no_website")


def test_the_latest_probe_counts_unless_a_round_is_named(reg):
    site = reg.site("15", "https://jambiprov.go.id/")
    first_run = reg.run_id
    reg.probe(site, "ok", ago=dt.timedelta(minutes=10))
    reg.new_run()
    reg.probe(site, "http_5xx", ago=dt.timedelta(minutes=5))
    assert census(reg.db, region="15").pemda[0].status == "not_accessible"
    assert census(reg.db, region="15", run_id=first_run).pemda[0].status == "accessible"


def test_scopes(reg):
    for code, url in [("15", "https://jambiprov.go.id/"), ("15.71", "https://jambikota.go.id/"),
                      ("16", "https://sumselprov.go.id/")]:
        reg.probe(reg.site(code, url), "ok")
    assert census(reg.db).total == 6
    assert [p.code for p in census(reg.db, province="15").pemda] == ["15", "15.01", "15.02", "15.71", "15.72"]
    assert [p.code for p in census(reg.db, region="15").pemda] == ["15"]
    assert census(reg.db, province="15").scope == "Provinsi Jambi (15) beserta kabupaten/kotanya"
    assert census(reg.db, region="15.71").scope == "Kota Jambi (15.71)"
    with pytest.raises(census_module.ScopeError, match="15.71 \\(Kota Jambi\\) is not a province"):
        census(reg.db, province="15.71")
    with pytest.raises(census_module.ScopeError, match="no region with code '99'"):
        census(reg.db, region="99")
    with pytest.raises(census_module.ScopeError, match="no probe round 42 in the database"):
        census(reg.db, run_id=42)


GOLDEN = """\
Sensus website pemerintah daerah: Provinsi Jambi (15) beserta kabupaten/kotanya
Pemeriksaan: 2026-11-23 02:50 UTC s.d. 2026-11-23 02:55 UTC

Status                  Jumlah website  Persentase
Dapat diakses                        2         40%
Tidak dapat diakses                  2         40%
Tidak memiliki website               1         20%
Total                                5        100%

Penyebab tidak dapat diakses (2 pemda):
Penyebab                                      Kelas              Jumlah  Persentase
Sertifikat HTTPS kedaluwarsa                  tls_expired             1         50%
Terparkir, diretas atau disusupi judi online  parked_or_defaced       1         50%

Tidak memiliki website: 0 tanpa alamat situs di registri, 1 dengan nama domain yang tidak terdaftar (dns_nxdomain).

Pemda yang situsnya tidak dapat diakses atau tidak ada:
  15.01  Kabupaten Kerinci                        Tidak memiliki website  dns_nxdomain           https://kerincikab.go.id/
  15.02  Kabupaten Merangin                       Tidak dapat diakses     tls_expired            https://meranginkab.go.id/
  15.72  Kota Sungai Penuh                        Tidak dapat diakses     parked_or_defaced      https://sungaipenuhkota.go.id/
"""


def test_the_census_text_in_full(reg):
    reg.probe(reg.site("15", "https://jambiprov.go.id/"), "ok", ago=dt.timedelta(minutes=10))
    reg.probe(reg.site("15.01", "https://kerincikab.go.id/"), "dns_nxdomain")
    reg.probe(reg.site("15.02", "https://meranginkab.go.id/"), "tls_expired")
    reg.probe(reg.site("15.71", "https://jambikota.go.id/"), "ok")
    reg.probe(reg.site("15.72", "https://sungaipenuhkota.go.id/"), "parked_or_defaced")
    assert render(census(reg.db, province="15"), detail=True) == GOLDEN
    reg.db.close()
    result = report("census", "--db", str(reg.path), "--province", "15", "--detail")
    assert (result.exit_code, result.stdout) == (0, GOLDEN)


def test_census_command_errors(reg, tmp_path):
    result = report("census", "--db", str(reg.path), "--province", "15", "--region", "15.71")
    assert result.exit_code == 2 and "give either --province or --region, not both" in result.stderr
    result = report("census", "--db", str(reg.path), "--region", "15.9")
    assert result.exit_code == 2 and "'15.9' is not a Kemendagri code like 15 or 15.71" in result.stderr
    result = report("census", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no such database" in result.stderr


# --- uptime ---------------------------------------------------------------------------------


def test_uptime_per_window_and_latency_percentiles(reg):
    a = reg.site("15", "https://jambiprov.go.id/")
    b = reg.site("15.71", "https://jambikota.go.id/")
    reg.site("15.72", "https://sungaipenuhkota.go.id/")  # never probed
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    for n, (outcome, ms) in enumerate([("ok", 300), ("ok", 100), ("read_timeout", 20000), ("ok", 200)]):
        reg.probe(a, outcome, ago=hour * (n + 1), total_ms=ms)  # last 24 h: 3 of 4 up
    for n in range(4):
        reg.probe(a, "ok", ago=day * (n + 2), total_ms=50)  # the rest of the week: all up
    for n in range(2):
        reg.probe(a, "connect_refused", ago=day * (n + 10))  # earlier this month: down
    reg.probe(a, "connect_refused", ago=day * 31)  # outside every window
    reg.probe(b, "ok", ago=hour, total_ms=80)
    reg.probe(b, "oversized", ago=day * 3, total_ms=9000)

    rows = uptime(reg.db, NOW)
    assert [r.url for r in rows] == ["https://jambiprov.go.id/", "https://jambikota.go.id/",
                                     "https://sungaipenuhkota.go.id/"]  # worst 30-day uptime first
    a_row, b_row, never = rows
    assert (a_row.uptime("24h"), a_row.uptime("7d"), a_row.uptime("30d")) == (75.0, 87.5, 70.0)
    assert (a_row.probes, a_row.p50_ms, a_row.p95_ms) == ({"24h": 4, "7d": 8, "30d": 10}, 200.0, 300.0)
    assert (b_row.uptime("24h"), b_row.uptime("7d"), b_row.p50_ms, b_row.p95_ms) == (100.0, 100.0, 80.0, 80.0)
    assert (never.uptime("24h"), never.p50_ms) == (None, None)
    week = {r.url: (r.p50_ms, r.p95_ms) for r in uptime(reg.db, NOW, latency_window="7d")}
    assert week["https://jambiprov.go.id/"] == (50.0, 300.0)  # 50 50 50 50 100 200 300: ranks 4 and 7
    assert [r.url for r in uptime(reg.db, NOW, region="15.71")] == ["https://jambikota.go.id/"]


UPTIME_GOLDEN = """\
Ketersediaan situs (uptime) sampai 2026-11-23 03:00 UTC, terburuk lebih dulu

Kode   Pemda           Unit               URL                       24 jam  7 hari  30 hari  p50 (24 jam)  p95 (24 jam)
15     Provinsi Jambi  Unit portal 15     https://jambiprov.go.id/   50,0%   50,0%    50,0%        120 ms        120 ms
15.71  Kota Jambi      Unit portal 15.71  https://jambikota.go.id/  100,0%  100,0%   100,0%         80 ms         80 ms

2 situs; uptime = bagian pemeriksaan yang berhasil dalam jendela waktu, latensi = waktu muat halaman utama pada pemeriksaan yang berhasil.
"""


def test_the_uptime_text_in_full(reg):
    a = reg.site("15", "https://jambiprov.go.id/")
    reg.probe(a, "ok", ago=dt.timedelta(hours=2), total_ms=120.4)
    reg.probe(a, "http_5xx", ago=dt.timedelta(hours=3))
    reg.probe(reg.site("15.71", "https://jambikota.go.id/"), "ok", total_ms=80)
    assert render_uptime(uptime(reg.db, NOW), NOW) == UPTIME_GOLDEN
    reg.db.close()
    result = report("uptime", "--db", str(reg.path), "--at", "2026-11-23T03:00:00")
    assert (result.exit_code, result.stdout) == (0, UPTIME_GOLDEN)
