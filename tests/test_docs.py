"""The docs cover what exists: every command, pantau setting and check is in the docs."""

from pathlib import Path

import click
import pytest

from checks import CHECKS
from crawler import settings as crawl_settings
from crawler.cli import main

ROOT = Path(__file__).resolve().parents[1]


def documentation() -> str:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md")), *sorted(ROOT.glob("*/README.md"))]
    return "\n".join(path.read_text() for path in docs if path.exists())


def command_paths(group: click.Group, prefix: str = "pantau"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from command_paths(command, path)
        else:
            yield path


@pytest.mark.parametrize("path", sorted(command_paths(main)))
def test_every_command_is_documented(path):
    assert f"`{path}" in documentation(), f"{path} is not documented in README.md or docs/"


@pytest.mark.parametrize("name", sorted(n for n in dir(crawl_settings) if n.startswith("PANTAU_")))
def test_every_pantau_setting_is_documented(name):
    assert f"`{name}`" in documentation()


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_every_check_is_documented(check_id):
    assert f"`{check_id}`" in documentation()


def test_every_command_has_help():
    for path in command_paths(main):
        command = main
        for part in path.split()[1:]:
            command = command.commands[part]
        assert command.help, f"{path} has no help text"
