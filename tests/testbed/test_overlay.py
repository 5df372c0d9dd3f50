"""World overlays: the same world a week later, with named sites changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from testbed import cli as testbed_cli
from testbed.overlay import apply_overlay, load_world_with_overlays, world_with_overlays
from testbed.world import WorldError, load_world

WORLDS = Path(__file__).resolve().parents[2] / "testbed" / "worlds"


def test_the_four_week_scenario_changes_only_what_each_overlay_names():
    base = load_world(WORLDS / "weeks.yaml")
    weeks = [load_world_with_overlays(WORLDS / "weeks.yaml", [WORLDS / f"weeks-{n}.yaml"]) for n in (1, 2, 3, 4)]
    assert [w.today for w in weeks] == [dt.date(2026, 10, 28), dt.date(2026, 11, 4), dt.date(2026, 11, 11),
                                        dt.date(2026, 11, 18)]
    states = [{s.unit_short: (s.fault, s.newest_days_ago) for s in w.sites} for w in weeks]
    assert [s["disdik"][0] for s in states] == ["http_500", "http_500", "none", "none"]
    assert [s["dlh"][0] for s in states] == ["down"] * 4
    # dinkes stopped publishing on 14 October: its newest content is the same date every week
    assert {w.newest_date(w.site("dinkes.jambiprov.go.id")) for w in weeks} == {dt.date(2026, 10, 14)}
    assert [s.host for s in weeks[0].sites] == [s.host for s in base.sites]
    untouched = ("a11y_defects", "email_style", "date_style", "documents", "features")
    for week in weeks:
        for before, after in zip(base.sites, week.sites):
            assert [getattr(before, k) for k in untouched] == [getattr(after, k) for k in untouched]


def test_overlays_apply_in_order_and_leave_the_base_data_alone():
    data = {"seed": 1, "today": "2026-01-01", "regions": [
        {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id", "ppid": False,
         "opds": [{"short": "dlh", "name": "Dinas Lingkungan Hidup", "fault": "down"}]}]}
    world = world_with_overlays(data, [{"sites": {"dlh.jambiprov.go.id": {"fault": "http_500"},
                                                  "jambiprov.go.id": {"tls": "valid"}}},
                                       {"today": "2026-02-01", "sites": {"dlh.jambiprov.go.id": {"fault": "none"}}}])
    assert world.site("dlh.jambiprov.go.id").fault == "none"
    assert world.site("jambiprov.go.id").tls == "valid"  # the portal, implied by the region, can be named
    assert world.today == dt.date(2026, 2, 1)
    assert data["regions"][0]["opds"][0]["fault"] == "down" and "portal" not in data["regions"][0]


@pytest.mark.parametrize("text,message", [
    ("sites:\n  dlh.jambiprov.go.id: {fault: fixed}\n",
     "{f}:2: sites.dlh.jambiprov.go.id.fault: 'fixed' is not one of: "),
    ("sites:\n  dlh.jambiprov.go.id:\n    colour: red\n",
     "{f}:3: sites.dlh.jambiprov.go.id: unknown key 'colour' (expected one of: tls, fault,"),
    ("today: next week\n", "{f}:1: today: must be a date like 2026-11-23 or null, got string 'next week'"),
    ("sites:\n  dlh.jambikota.go.id: {fault: none}\n",
     "{f}:2: sites.dlh.jambikota.go.id: no site with this host in {w}"),
    ("week: 3\n", "{f}:1: unknown key 'week' (expected one of: description, today, sites)"),
])
def test_a_bad_overlay_is_refused_with_its_file_and_line(tmp_path, text, message):
    path = tmp_path / "minggu.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError) as caught:
        load_world_with_overlays(WORLDS / "weeks.yaml", [path])
    assert str(caught.value).startswith(message.replace("{f}", str(path)).replace("{w}", str(WORLDS / "weeks.yaml")))


def test_the_testbed_commands_take_overlays():
    result = CliRunner().invoke(testbed_cli.testbed, ["truth", "--world", str(WORLDS / "weeks.yaml"),
                                          "--overlay", str(WORLDS / "weeks-3.yaml")])
    assert result.exit_code == 0, result.output
    truth = json.loads(result.output)
    assert truth["disdik.jambiprov.go.id"]["fault"] == "none"
    assert truth["dinkes.jambiprov.go.id"]["newest_date"] == "2026-10-14"
    result = CliRunner().invoke(testbed_cli.testbed, ["truth", "--generate", "5", "--overlay", str(WORLDS / "weeks-3.yaml")])
    assert result.exit_code == 2 and "--overlay applies to a world file, not to --generate" in result.output


def test_apply_overlay_refuses_a_non_mapping():
    with pytest.raises(WorldError, match="<overlay>:1: must be a mapping, got a list"):
        apply_overlay({"regions": []}, ["x"])
