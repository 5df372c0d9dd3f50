"""``pantau probe``: the real command line, a real testbed, rows in a real database."""

from __future__ import annotations

import json

import pytest
from probe_testbed import pantau, pantau_here, served_world

from storage.db import open_db
from testbed.world import world_from_dict

WORLD = {
    "seed": 5, "today": "2026-03-10",
    "defaults": {"pages": 8, "news": 2, "documents": 0},
    "regions": [
        {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id",
         "portal": {"tls": "valid", "hsts": True}, "ppid": False,
         "opds": [{"short": "mati", "name": "Dinas Mati", "fault": "down"},
                  {"short": "hilang", "name": "Dinas Hilang", "fault": "nxdomain"},
                  {"short": "rusak", "name": "Dinas Rusak", "fault": "http_500"},
                  {"short": "kedaluwarsa", "name": "Dinas Kedaluwarsa", "tls": "expired"}]},
        {"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15", "domain": "jambikota.go.id",
         "portal": {"tls": "valid", "https_redirect": True}, "ppid": False},
    ],
}
EXPECTED = {
    "jambiprov.go.id": "ok", "mati.jambiprov.go.id": "connect_refused", "hilang.jambiprov.go.id": "dns_nxdomain",
    "rusak.jambiprov.go.id": "http_5xx", "kedaluwarsa.jambiprov.go.id": "tls_expired", "jambikota.go.id": "ok",
}


@pytest.fixture(scope="module")
def testbed_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("probe-cli")
    with served_world(world_from_dict(WORLD, source="<probe cli world>"), out):
        yield out


@pytest.fixture
def db_path(testbed_dir, tmp_path):
    path = tmp_path / "pantau.db"
    result = pantau_here("sites", "import", str(testbed_dir / "registry.csv"), "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def probe(db_path, testbed_dir, *extra, run=pantau_here):
    return run("probe", "--db", str(db_path), "--hosts-file", str(testbed_dir / "hosts.txt"), "--ca-file",
                  str(testbed_dir / "ca.pem"), "--allow-private", "--connect-timeout", "1", "--read-timeout", "1",
                  *extra)


def outcomes(db_path, run_id):
    db = open_db(db_path, readonly=True)
    rows = db.query("select s.host, p.error_class from probes p join sites s on s.id = p.site_id "
                    "where p.run_id = ?", [run_id])
    return {row["host"]: row["error_class"] for row in rows}


def test_one_round_stores_one_row_per_site_and_says_so(db_path, testbed_dir):
    result = probe(db_path, testbed_dir, run=pantau)  # the installed command, in its own process
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("probe run 1: 6 sites in ")
    assert line.endswith("; ok 2, connect_refused 1, dns_nxdomain 1, http_5xx 1, tls_expired 1")
    assert outcomes(db_path, 1) == EXPECTED
    db = open_db(db_path, readonly=True)
    run = next(db.query("select * from runs where id = 1"))
    assert (run["kind"], run["status"]) == ("probe", "finished")
    stats = json.loads(run["stats"])
    assert stats["probes"] == 6 and stats["outcomes"]["ok"] == 2 and len(stats["peak_rss_mib"]) == 1
    assert json.loads(run["settings"])["connect_timeout"] == 1.0
    row = next(db.query("select p.* from probes p join sites s on s.id = p.site_id where s.host = 'jambiprov.go.id'"))
    assert (row["status"], row["http_version"], row["tls_chain_valid"], row["http_to_https"]) == (200, "1.1", 1, None)
    assert row["tls_days_left"] > 300 and "Testbed pantau" in row["tls_issuer"]
    assert json.loads(row["tls"])["hostname_match"] is True
    assert row["hsts"].startswith("max-age=")
    kota = next(db.query("select p.* from probes p join sites s on s.id = p.site_id where s.host = 'jambikota.go.id'"))
    assert (kota["http_to_https"], kota["redirects"]) == (1, 1) and kota["final_url"].startswith("https://")
    expired = next(db.query("select p.* from probes p join sites s on s.id = p.site_id "
                            "where s.host = 'kedaluwarsa.jambiprov.go.id'"))
    assert expired["tls_days_left"] < 0 and expired["status"] is None


def test_every_n_seconds_makes_a_round_each_time(db_path, testbed_dir):
    result = probe(db_path, testbed_dir, "--every", "1", "--rounds", "2", "--region", "15.71")
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["probe run 1", "probe run 2"]
    db = open_db(db_path, readonly=True)
    runs = list(db.query("select id, started_at, status from runs where kind = 'probe' order by id"))
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert outcomes(db_path, 1) == outcomes(db_path, 2) == {"jambikota.go.id": "ok"}
    times = [r["probed_at"] for r in db.query("select probed_at from probes order by id")]
    assert times[1] > times[0]  # a second apart at least


def test_worker_processes_probe_the_same_way(db_path, testbed_dir):
    result = probe(db_path, testbed_dir, "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert outcomes(db_path, 1) == EXPECTED
    stats = json.loads(next(open_db(db_path, readonly=True).query("select stats from runs"))["stats"])
    assert len(stats["peak_rss_mib"]) == 2  # this process (which probes a share too) and one child


def test_site_selection(db_path, testbed_dir):
    db = open_db(db_path, readonly=True)
    ids = [row["id"] for row in db.query("select id from sites where host in ('jambiprov.go.id', "
                                         "'rusak.jambiprov.go.id') order by id")]
    result = probe(db_path, testbed_dir, "--sites", ",".join(map(str, ids)))
    assert result.returncode == 0, result.stderr
    assert outcomes(db_path, 1) == {"jambiprov.go.id": "ok", "rusak.jambiprov.go.id": "http_5xx"}


@pytest.mark.parametrize("args, message", [
    (("--rounds", "2"), "--rounds needs --every"),
    (("--sites", "1,x"), "expected comma-separated site ids, got '1,x'"),
    (("--concurrency", "0"), "0 is not in the range x>=1"),
])
def test_bad_options_are_refused(db_path, testbed_dir, args, message):
    result = probe(db_path, testbed_dir, *args)
    assert result.returncode == 2 and message in result.stderr


def test_a_bad_hosts_file_stops_before_any_round(db_path, tmp_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("127.0.0.1 ok.go.id\nlocalhost jambiprov.go.id\n")
    result = pantau_here("probe", "--db", str(db_path), "--hosts-file", str(hosts))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {hosts}:2: 'localhost' is not an IP address"
    assert list(open_db(db_path, readonly=True).query("select id from runs")) == []
