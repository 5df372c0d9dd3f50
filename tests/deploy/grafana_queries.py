"""Reading the PromQL out of pantau's Grafana dashboards, the way Grafana would run it."""

from __future__ import annotations

import json
import re
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "dashboards"
# Grafana's own variables, at values a dashboard would use.
BUILTINS = {"$__range": "1h", "$__rate_interval": "5m", "$__interval": "1m"}


def dashboards() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def panel_targets(dashboard: dict):
    """(panel title, target) for every query of every panel, rows included."""
    for panel in dashboard["panels"]:
        for inner in [panel, *panel.get("panels", [])]:
            for target in inner.get("targets", []):
                yield inner["title"], target


def substitute(expr: str, variables: dict[str, str]) -> str:
    for name, value in {**BUILTINS, **{f"${k}": v for k, v in variables.items()}}.items():
        expr = expr.replace(name, value)
    return expr


def grafana_regex(regex: str) -> re.Pattern:
    """A Grafana variable regex (/.../ with JavaScript named groups) as a Python pattern."""
    body = regex.strip("/")
    return re.compile(body.replace("(?<", "(?P<"))


def query_result_texts(result: list[dict]) -> list[str]:
    """What Grafana's query_result() matches its regex against: name{labels} value time."""
    texts = []
    for item in result:
        labels = dict(item["metric"])
        name = labels.pop("__name__", "")
        inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
        texts.append(f"{name}{{{inner}}} {item['value'][1]} {int(float(item['value'][0]) * 1000)}")
    return texts
