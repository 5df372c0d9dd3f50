"""The docs of the weekly machinery cover every option, rule and job, and the units run real commands."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest

from crawler.cli import main
from crawler.lagconfig import DEFAULT_PATH
from crawler.lagrules import LAG_RULES

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### Weekly lag list and reprimands"):README.index("## Tests and benchmarks")]
UNITS = sorted((REPO / "deploy" / "systemd").glob("pantau-*"))
MINE = [p for p in UNITS if p.stem.split("@")[0] in ("pantau-schedule", "pantau-probe", "pantau-crawl",
                                                     "pantau-weekly")]


def test_every_option_of_report_weekly_is_documented():
    weekly = main.commands["report"].commands["weekly"]
    options = [opt for param in weekly.params if isinstance(param, click.Option) for opt in param.opts
               if opt.startswith("--") and opt != "--db"]
    missing = [opt for opt in options if f"`{opt}" not in SECTION]
    assert missing == []


def test_every_schedule_command_rule_and_config_section_is_documented():
    assert [name for name in main.commands["schedule"].commands if f"pantau schedule {name}" not in SECTION] == []
    assert [name for name in LAG_RULES if f"| `{name}` |" not in SECTION] == []
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    assert [name for name in LAG_RULES if f"\n  {name}:" not in shipped] == []
    for section in ("ladder.escalate_after_weeks", "delivery:", "schedule:", "weekly_status", "reprimands"):
        assert section in SECTION


@pytest.mark.parametrize("path", MINE, ids=[p.name for p in MINE])
def test_each_systemd_unit_runs_a_real_pantau_command(path):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(path, encoding="utf-8")
    if path.suffix == ".timer":
        assert unit["Install"]["WantedBy"] == "timers.target"
        assert unit["Timer"]["OnCalendar"]
        assert (path.with_suffix(".service")).exists()
        return
    argv = shlex.split(unit["Service"]["ExecStart"].replace("%i", "15"))
    assert argv[0] == "/srv/pantau/.venv/bin/pantau"
    command, args = main, argv[1:]
    while isinstance(command, click.Group):
        command = command.commands[args.pop(0)]
    command.make_context(command.name, args)  # raises on an unknown option
    assert path.name in README or path.name.replace(".service", ".timer") in README
