"""End to end on the default Jambi world: testbed -> pantau crawl -> stages.

The twelve portals and the agencies of Kota Jambi are crawled for real through the CLI and
scored; `pantau report stages` must print Jambi's row of seed 000's Table 3 (12: 2, 8, 2, 0),
and every site's detected features must be the ones the testbed put on its pages.
"""

from __future__ import annotations

import json

import pytest

from checks.features import DETECTORS
from checks.features.base import Clue, FeatureResult
from checks.features.services import SERVICE_BY_KEY
from checks.stages import classify
from crawler.cli_demo import start_testbed, stop_testbed
from sitefarm import run_pantau
from storage.db import open_db
from testbed import features as feature_markup
from testbed.content import Links, build_site
from testbed.server import default_base_urls
from testbed.world import load_world

JAMBI_ROW = "Jambi        12          2           8           2            0"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    out = tmp_path_factory.mktemp("stages")
    testbed_dir = out / "testbed"
    testbed_dir.mkdir()
    db_path = out / "pantau.db"
    proc = start_testbed(testbed_dir)
    try:
        imported = run_pantau("sites", "import", str(testbed_dir / "registry.csv"), "--db", str(db_path))
        assert imported.returncode == 0, imported.stderr
        db = open_db(db_path)
        ids = [str(row["id"]) for row in db.query(
            "select s.id from sites s join units u on u.id = s.unit_id "
            "where s.role = 'portal' or u.region_code = '15.71' order by s.id")]
        db.close()
        crawl = run_pantau("crawl", "--db", str(db_path), "--sites", ",".join(ids), "--hosts-file",
                           str(testbed_dir / "hosts.txt"), "--ca-file", str(testbed_dir / "ca.pem"), "--allow-private",
                           "--no-progress", "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "LOG_LEVEL=ERROR",
                           timeout=600)
        assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    finally:
        stop_testbed(proc)
    return {"db_path": db_path, "db": open_db(db_path, readonly=True),
            "truth": json.loads((testbed_dir / "truth.json").read_text())}


def test_report_stages_prints_jambis_row_of_table_3(crawled):
    result = run_pantau("report", "stages", "--db", str(crawled["db_path"]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3:6] == ["Provinsi  Pemda  Persiapan  Pematangan  Pemantapan  Pemanfaatan",
                          JAMBI_ROW,
                          "Total        12          2           8           2            0"]


def test_the_province_table_names_each_pemda_and_its_stage(crawled):
    result = run_pantau("report", "stages", "--db", str(crawled["db_path"]), "--province", "15")
    assert result.returncode == 0, result.stderr
    rows = {line.split("  ")[0]: line for line in result.stdout.split("\n\n")[2].splitlines()[1:]}
    persiapan = sorted(name for name, line in rows.items() if "1 Persiapan" in line)
    pemantapan = sorted(name for name, line in rows.items() if "3 Pemantapan" in line)
    assert persiapan == ["Kabupaten Kerinci", "Kabupaten Sarolangun"]
    assert pemantapan == ["Kabupaten Batanghari", "Kota Jambi"]


def stored_features(crawled) -> dict[str, tuple[int | None, set[str]]]:
    rows = crawled["db"].query("select s.host, f.detail from findings f join sites s on s.id = f.site_id "
                               "where f.check_id = 'interaction.stage'")
    out = {}
    for row in rows:
        detail = json.loads(row["detail"])
        out[row["host"]] = (detail.get("stage"), {k for k, v in (detail.get("features") or {}).items() if v["found"]})
    return out


def expected_stage(spec, truth: set[str]) -> int:
    """The stage the testbed's own options imply: its features, and the kinds of service it links."""
    services = [Clue("-", key, key) for key in SERVICE_BY_KEY if spec.has(key)]
    results = {key: FeatureResult(key, key in truth) for key in DETECTORS}
    results["e_services"] = FeatureResult("e_services", bool(services), services)
    return classify(results).number


def test_every_crawled_sites_features_and_stage_match_what_the_testbed_put_on_its_pages(crawled):
    world = load_world()
    links = Links(world, default_base_urls(world))
    checked = 0
    for host, (stage, features) in stored_features(crawled).items():
        if crawled["truth"][host]["fault"] != "none":
            continue
        spec = world.site(host)
        truth = feature_markup.site_truth(build_site(world, spec), links)
        assert features == truth, host
        assert stage == expected_stage(spec, truth), host
        checked += 1
    assert checked >= 20


def test_explain_tells_a_persiapan_portal_what_it_lacks(crawled):
    result = run_pantau("explain", "kerincikab.go.id", "--db", str(crawled["db_path"]))
    assert result.returncode == 0, result.stderr
    assert "Tahap 1 Persiapan (Inpres 3/2003)" in result.stdout
    assert "Untuk naik ke tahap 2 Pematangan dibutuhkan:\n  - sarana interaksi" in result.stdout
