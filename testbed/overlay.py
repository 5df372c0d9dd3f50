"""World overlays: the same world some days later, with some of its sites changed.

A scenario that spans weeks serves one base world and, for each simulated week, an
overlay on top of it: a new ``today`` (content ages count back from it) and new options
for named sites (one fixes its fault, another stops publishing). Sites are named by host,
so an overlay cannot create or remove a site, and URLs (ports included, when the testbed
is restarted on the same ports) stay the same across weeks::

    # week3.yaml
    description: Dinas Pendidikan fixed its server; the DLH stopped publishing
    today: 2026-11-11
    sites:
      disdik.jambiprov.go.id: {fault: none}
      dlh.jambiprov.go.id: {newest_days_ago: 16}

Overlays are validated like world files, each error as ``overlay-file:line: where: what``;
the options are the world's site options (see ``testbed.world``). Several overlays apply in
order, later ones winning.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from testbed.world import _SITE_OPTION_KEYS, World, WorldError, _Checker, _Loader, _parse_today, world_from_dict

_OVERLAY_KEYS = ("description", "today", "sites")


def _read_yaml(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise WorldError(f"{path}:{mark.line + 1 if mark else '?'}: invalid YAML: {exc.problem}") from exc
    finally:
        loader.dispose()


def _site_entries(data: dict):
    """(host, entry) of every site of raw world data, creating an empty portal/PPID entry when implied."""
    for region in data.get("regions") or []:
        if not isinstance(region, dict) or not isinstance(region.get("domain"), str):
            continue
        domain = region["domain"]
        for role, default_host in (("portal", domain), ("ppid", f"ppid.{domain}")):
            entry = region.get(role)
            if role not in region or entry is None:
                entry = region[role] = {}  # an absent portal or PPID entry means one with defaults
            if isinstance(entry, dict):
                yield entry.get("host", default_host), entry
        for opd in region.get("opds") or []:
            if isinstance(opd, dict) and isinstance(opd.get("short"), str):
                yield opd.get("host", f"{opd['short']}.{domain}"), opd


def apply_overlay(data: Any, overlay: Any, source: str = "<overlay>", world_source: str = "<world>") -> Any:
    """Raw world data with ``overlay`` applied (a new copy; ``data`` is left alone)."""
    c = _Checker(source)
    top = c.mapping(overlay, getattr(overlay, "line", 1), "", _OVERLAY_KEYS)
    if "description" in top:
        c.string(top["description"], c.line_of(top, "description"), "description")
    result = copy.deepcopy(data)
    if "today" in top:
        _parse_today(c, top)  # validates; the raw value goes into the world data as written
        result["today"] = top["today"]
    sites = top.get("sites") or {}
    c.mapping(sites, c.line_of(top, "sites"), "sites", tuple(sites))
    for host, options in sites.items():
        where = f"sites.{host}"
        c.mapping(options, c.line_of(sites, host), where, _SITE_OPTION_KEYS)
        c.site_options(options, where)
    found = set()
    for host, entry in _site_entries(result):
        if host in sites:
            entry.update(copy.deepcopy(dict(sites[host])))
            found.add(host)
    for host in sites:
        if host not in found:
            c.fail(c.line_of(sites, host), f"sites.{host}", f"no site with this host in {world_source}")
    return result


def load_world_with_overlays(world_path: str | Path, overlay_paths: list[str | Path]) -> World:
    """The world file with each overlay file applied in order."""
    world_path = Path(world_path)
    data = _read_yaml(world_path, "world file")
    for overlay_path in overlay_paths:
        overlay = _read_yaml(Path(overlay_path), "overlay")
        data = apply_overlay(data, overlay, str(overlay_path), str(world_path))
    source = str(world_path) + "".join(f" + {p}" for p in overlay_paths)
    return world_from_dict(data, source=source)


def world_with_overlays(data: dict, overlays: list[dict], source: str = "<world>") -> World:
    """A world built in code (a dict, as a world file would hold) with overlays applied."""
    for i, overlay in enumerate(overlays):
        data = apply_overlay(data, overlay, f"<overlay {i}>", source)
    return world_from_dict(data, source=source)
