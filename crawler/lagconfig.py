"""The weekly machinery's configuration: lag rules, ladder, report, delivery, schedule.

Declarative YAML with shipped defaults (``crawler/config/lag_rules.yaml``). A user file
holds only what it changes: mappings merge key by key, lists and values replace. The
merged result is validated at load and every problem is reported as
``FILE:LINE: dotted.key: problem``, naming the file the offending value came from.

    config = load_config()                 # the defaults
    config = load_config("pemda.yaml")     # defaults + pemda.yaml
    config.rules["stale_content"]["max_age_days"]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checks.base import SEVERITIES
from checks.freshness_config import describe_value as kind_of
from crawler.lagrules import LAG_RULES, LagRule

DEFAULT_PATH = Path(__file__).with_name("config") / "lag_rules.yaml"
ENV_VAR = "PANTAU_LAG_RULES"
UNIT_KINDS = ("portal", "opd", "ppid")
WHEN_FIXED = ("step_down", "reset")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
JOBS = ("probe", "crawl", "weekly_report")
MAX_LEVELS = 5

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message starts with ``file:line:``."""


# --- YAML with the file and line of every value ---------------------------------------------

class _Map(dict):
    """A mapping remembering where it and each of its keys came from."""

    def __init__(self, origin: tuple[str, int]):
        super().__init__()
        self.origin = origin
        self.places: dict[str, tuple[str, int]] = {}


class _List(list):
    def __init__(self, items, origin: tuple[str, int], places: list[tuple[str, int]]):
        super().__init__(items)
        self.origin = origin
        self.places = places


def _convert(node: yaml.Node, source: str, loader: yaml.SafeLoader) -> Any:
    place = (source, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = _Map(place)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result:
                raise ConfigError(f"{source}:{line}: duplicate key {key!r}")
            result[key] = _convert(value_node, source, loader)
            result.places[key] = (source, line)
        return result
    if isinstance(node, yaml.SequenceNode):
        return _List([_convert(child, source, loader) for child in node.value], place,
                     [(source, child.start_mark.line + 1) for child in node.value])
    return loader.construct_object(node, deep=True)


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from exc
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return _Map((str(path), 1))
        return _convert(node, str(path), loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"{path}:{mark.line + 1 if mark else '?'}: invalid YAML: {exc.problem}") from exc
    finally:
        loader.dispose()


# A scheduled job names one cadence: a user's job replaces the default one whole.
_REPLACED_WHOLE = {("schedule", job) for job in ("probe", "crawl", "weekly_report")}


def _merge(base: Any, over: Any, path: tuple = ()) -> Any:
    """``over`` on top of ``base``: mappings merge recursively, everything else replaces."""
    if isinstance(base, _Map) and isinstance(over, _Map) and path not in _REPLACED_WHOLE:
        merged = _Map(over.origin)
        for key in base:
            merged[key], merged.places[key] = base[key], base.places[key]
        for key in over:
            merged[key] = _merge(base[key], over[key], (*path, key)) if key in base else over[key]
            merged.places[key] = over.places[key]
        return merged
    return over


# --- the validated configuration ------------------------------------------------------------

@dataclass(frozen=True)
class Ladder:
    escalate_after_weeks: tuple[int, ...]
    when_fixed: str
    fixed_weeks: int
    deadline_days: tuple[int, ...]

    @property
    def levels(self) -> int:
        return len(self.escalate_after_weeks)


@dataclass(frozen=True)
class ReportSettings:
    out_dir: str
    trend_weeks: int
    letter_template: str | None


@dataclass(frozen=True)
class Delivery:
    smtp_host: str
    smtp_port: int
    starttls: bool
    username: str | None
    password_file: str | None
    sender: str
    recipients: dict[str, tuple[str, ...]]

    def recipients_for(self, region: str | None) -> list[str]:
        """Addresses for a pemda's report (``None``: the national one), the "*" list included."""
        found = list(self.recipients.get(region, ())) if region else []
        found += [a for a in self.recipients.get("*", ()) if a not in found]
        return found


@dataclass(frozen=True)
class Job:
    """A scheduled job: exactly one of every_minutes, daily_at, weekly_at."""

    name: str
    enabled: bool = True
    every_minutes: int | None = None
    daily_at: dt.time | None = None
    weekly_at: tuple[int, dt.time] | None = None  # (weekday 0 = Monday, time)
    send: bool = False
    args: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # weekly_report: one report per pemda; empty = the national roll-up


@dataclass(frozen=True)
class LagConfig:
    sources: tuple[str, ...]
    units: tuple[str, ...]
    timezone_hours: int
    rules: dict[str, dict[str, Any]]
    ladder: Ladder
    report: ReportSettings
    delivery: Delivery
    schedule: dict[str, Job]
    digest: str = field(default="")

    @property
    def tz(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.timezone_hours))


class Checker:
    def fail(self, place: tuple[str, int] | None, where: str, message: str) -> None:
        prefix = f"{place[0]}:{place[1]}" if place else "<config>"
        raise ConfigError(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")

    @staticmethod
    def place(container: Any, key: Any = None) -> tuple[str, int] | None:
        if key is not None and isinstance(container, _Map) and key in container.places:
            return container.places[key]
        if key is not None and isinstance(container, _List) and key < len(container.places):
            return container.places[key]
        return getattr(container, "origin", None)

    def mapping(self, value: Any, place, where: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(place, where, f"must be a mapping, got {kind_of(value)}")
        for key in value:
            if key not in allowed:
                self.fail(self.place(value, key), f"{where}.{key}" if where else str(key),
                          f"unknown key (expected one of: {', '.join(allowed)})")
        return value

    def number(self, value: Any, place, where: str, minimum: float | None = None,
               maximum: float | None = None, integer: bool = False) -> float:
        ok_types = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_types):
            self.fail(place, where, f"must be {'an integer' if integer else 'a number'}, got {kind_of(value)}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bound = (f"between {_num(minimum)} and {_num(maximum)}" if maximum is not None
                     else f">= {_num(minimum)}")
            self.fail(place, where, f"must be {bound}, got {value}")
        return value

    def boolean(self, value: Any, place, where: str) -> bool:
        if not isinstance(value, bool):
            self.fail(place, where, f"must be true or false, got {kind_of(value)}")
        return value

    def string(self, value: Any, place, where: str, pattern: re.Pattern | None = None, hint: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(place, where, f"must be a non-empty string{hint}, got {kind_of(value)}")
        if pattern is not None and not pattern.match(value):
            self.fail(place, where, f"{value!r} is not valid{hint}")
        return value

    def choice(self, value: Any, place, where: str, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            self.fail(place, where, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def sequence(self, value: Any, place, where: str, allow_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.fail(place, where, f"must be a list, got {kind_of(value)}")
        if not allow_empty and not value:
            self.fail(place, where, "must not be empty")
        return value

    def strings(self, value: Any, place, where: str, allow_empty: bool = True, pattern=None, hint="") -> tuple:
        items = self.sequence(value, place, where, allow_empty)
        return tuple(self.string(item, self.place(items, i) or place, f"{where}[{i}]", pattern, hint)
                     for i, item in enumerate(items))


def _num(value: float | None) -> str:
    return str(int(value)) if value is not None and float(value).is_integer() else str(value)


_TOP = ("units", "timezone_hours", "rules", "ladder", "report", "delivery", "schedule")


def _rules(c: Checker, raw: Any, place, registry: dict[str, LagRule]) -> dict[str, dict[str, Any]]:
    c.mapping(raw, place, "rules", tuple(registry))
    rules: dict[str, dict[str, Any]] = {}
    for name, rule in registry.items():
        given = raw.get(name, {})
        where = f"rules.{name}"
        given = {} if given is None else given
        c.mapping(given, c.place(raw, name), where, ("enabled", *rule.params))
        params: dict[str, Any] = {"enabled": True}
        if "enabled" in given:
            params["enabled"] = c.boolean(given["enabled"], c.place(given, "enabled"), f"{where}.enabled")
        for key, spec in rule.params.items():
            if key not in given:
                params[key] = spec.default
                continue
            value, at, here = given[key], c.place(given, key), f"{where}.{key}"
            if spec.kind in ("number", "integer"):
                params[key] = c.number(value, at, here, spec.minimum, spec.maximum, integer=spec.kind == "integer")
            elif spec.kind == "boolean":
                params[key] = c.boolean(value, at, here)
            elif spec.kind == "strings":
                params[key] = list(c.strings(value, at, here, allow_empty=False))
            elif spec.kind == "severity":
                params[key] = c.choice(value, at, here, SEVERITIES)
            else:
                raise AssertionError(f"unknown parameter kind {spec.kind!r}")
        rules[name] = params
    return rules


def _ladder(c: Checker, raw: Any, place) -> Ladder:
    keys = ("escalate_after_weeks", "when_fixed", "fixed_weeks", "deadline_days")
    c.mapping(raw, place, "ladder", keys)
    for key in keys:
        if key not in raw:
            c.fail(place, "ladder", f"missing required key {key!r}")
    steps = c.sequence(raw["escalate_after_weeks"], c.place(raw, "escalate_after_weeks"),
                       "ladder.escalate_after_weeks", allow_empty=False)
    if len(steps) > MAX_LEVELS:
        c.fail(c.place(raw, "escalate_after_weeks"), "ladder.escalate_after_weeks",
               f"at most {MAX_LEVELS} levels, got {len(steps)}")
    weeks: list[int] = []
    for i, value in enumerate(steps):
        here = f"ladder.escalate_after_weeks[{i}]"
        at = c.place(steps, i)
        weeks.append(int(c.number(value, at, here, 1, 520, integer=True)))
        if i and weeks[i] <= weeks[i - 1]:
            c.fail(at, here, f"must be greater than the level before ({weeks[i - 1]}), got {weeks[i]}")
    deadlines = c.sequence(raw["deadline_days"], c.place(raw, "deadline_days"), "ladder.deadline_days")
    if len(deadlines) != len(weeks):
        place, hint = c.place(raw, "deadline_days"), ""
        if place[0] == str(DEFAULT_PATH) and c.place(raw, "escalate_after_weeks")[0] != str(DEFAULT_PATH):
            # The user changed the levels but not the deadlines: point at the user's file.
            place, hint = c.place(raw, "escalate_after_weeks"), " (the default); set it with the levels"
        c.fail(place, "ladder.deadline_days", f"needs one entry per level ({len(weeks)}), got {len(deadlines)}{hint}")
    days = tuple(int(c.number(v, c.place(deadlines, i), f"ladder.deadline_days[{i}]", 1, 365, integer=True))
                 for i, v in enumerate(deadlines))
    return Ladder(
        escalate_after_weeks=tuple(weeks),
        when_fixed=c.choice(raw["when_fixed"], c.place(raw, "when_fixed"), "ladder.when_fixed", WHEN_FIXED),
        fixed_weeks=int(c.number(raw["fixed_weeks"], c.place(raw, "fixed_weeks"), "ladder.fixed_weeks", 1, 52,
                                 integer=True)),
        deadline_days=days,
    )


def _report(c: Checker, raw: Any, place) -> ReportSettings:
    c.mapping(raw, place, "report", ("out_dir", "trend_weeks", "letter_template"))
    template = raw.get("letter_template")
    if template is not None:
        template = c.string(template, c.place(raw, "letter_template"), "report.letter_template")
        # A relative template path is read from beside the file that named it.
        source = c.place(raw, "letter_template")[0]
        if not Path(template).is_absolute() and source != str(DEFAULT_PATH):
            template = str(Path(source).parent / template)
    return ReportSettings(
        out_dir=c.string(raw.get("out_dir"), c.place(raw, "out_dir"), "report.out_dir"),
        trend_weeks=int(c.number(raw.get("trend_weeks"), c.place(raw, "trend_weeks"), "report.trend_weeks", 2, 104,
                                 integer=True)),
        letter_template=template,
    )


def _delivery(c: Checker, raw: Any, place) -> Delivery:
    keys = ("smtp_host", "smtp_port", "starttls", "username", "password_file", "sender", "recipients")
    c.mapping(raw, place, "delivery", keys)
    recipients_raw = raw.get("recipients") or {}
    c.mapping(recipients_raw, c.place(raw, "recipients"), "delivery.recipients", tuple(recipients_raw))
    recipients = {}
    for code, addresses in recipients_raw.items():
        where = f"delivery.recipients.{code}"
        if not isinstance(code, str) or not re.match(r"^(\*|\d{2}(\.\d{2})?)$", code):
            c.fail(c.place(recipients_raw, code), where, 'must be a quoted region code like "15" or "*"')
        recipients[code] = c.strings(addresses, c.place(recipients_raw, code), where, allow_empty=False,
                                     pattern=_EMAIL_RE, hint=" (an email address)")

    def optional(key: str) -> str | None:
        value = raw.get(key)
        return None if value is None else c.string(value, c.place(raw, key), f"delivery.{key}")

    return Delivery(
        smtp_host=c.string(raw.get("smtp_host"), c.place(raw, "smtp_host"), "delivery.smtp_host"),
        smtp_port=int(c.number(raw.get("smtp_port"), c.place(raw, "smtp_port"), "delivery.smtp_port", 1, 65535,
                               integer=True)),
        starttls=c.boolean(raw.get("starttls"), c.place(raw, "starttls"), "delivery.starttls"),
        username=optional("username"),
        password_file=optional("password_file"),
        sender=c.string(raw.get("sender"), c.place(raw, "sender"), "delivery.sender", _EMAIL_RE,
                        " (an email address)"),
        recipients=recipients,
    )


def _schedule(c: Checker, raw: Any, place) -> dict[str, Job]:
    c.mapping(raw, place, "schedule", JOBS)
    jobs = {}
    for name in JOBS:
        where = f"schedule.{name}"
        entry = raw.get(name)
        if entry is None:
            jobs[name] = Job(name, enabled=False)
            continue
        allowed = ("enabled", "every_minutes", "daily_at", "weekly_at", "args") + (
            ("send", "regions") if name == "weekly_report" else ())
        c.mapping(entry, c.place(raw, name), where, allowed)
        cadences = [k for k in ("every_minutes", "daily_at", "weekly_at") if k in entry]
        if len(cadences) != 1:
            c.fail(c.place(raw, name), where, "needs exactly one of every_minutes, daily_at, weekly_at")
        job: dict[str, Any] = {"name": name}
        if "enabled" in entry:
            job["enabled"] = c.boolean(entry["enabled"], c.place(entry, "enabled"), f"{where}.enabled")
        if "send" in entry:
            job["send"] = c.boolean(entry["send"], c.place(entry, "send"), f"{where}.send")
        if "args" in entry:
            job["args"] = c.strings(entry["args"], c.place(entry, "args"), f"{where}.args")
        if "regions" in entry:
            job["regions"] = c.strings(entry["regions"], c.place(entry, "regions"), f"{where}.regions",
                                       pattern=re.compile(r"^\d{2}(\.\d{2})?$"), hint=' (a quoted region code like "15")')
        key = cadences[0]
        at, here = c.place(entry, key), f"{where}.{key}"
        if key == "every_minutes":
            job[key] = int(c.number(entry[key], at, here, 1, 7 * 24 * 60, integer=True))
        elif key == "daily_at":
            job[key] = _time(c, entry[key], at, here)
        else:
            value = c.string(entry[key], at, here, hint=' (like "mon 06:00")')
            day, _, clock = value.strip().partition(" ")
            if day.lower() not in WEEKDAYS:
                c.fail(at, here, f"{value!r} must start with a weekday ({', '.join(WEEKDAYS)})")
            job[key] = (WEEKDAYS.index(day.lower()), _time(c, clock.strip(), at, here))
        jobs[name] = Job(**job)
    return jobs


def _time(c: Checker, value: Any, place, where: str) -> dt.time:
    text = c.string(value, place, where, _TIME_RE, ' (a time like "06:00")')
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def config_from_data(data: Any, sources: tuple[str, ...] = ("<config>",),
                     registry: dict[str, LagRule] = LAG_RULES) -> LagConfig:
    """Validate merged configuration data (as loaded by ``load_config``)."""
    c = Checker()
    top = c.mapping(data, c.place(data), "", _TOP)
    for key in _TOP:
        if key not in top:
            c.fail(c.place(top), "", f"missing required key {key!r}")
    units = c.sequence(top["units"], c.place(top, "units"), "units", allow_empty=False)
    units = tuple(dict.fromkeys(c.choice(u, c.place(units, i), f"units[{i}]", UNIT_KINDS)
                                for i, u in enumerate(units)))
    config = LagConfig(
        sources=sources,
        units=units,
        timezone_hours=int(c.number(top["timezone_hours"], c.place(top, "timezone_hours"), "timezone_hours", -12, 14,
                                    integer=True)),
        rules=_rules(c, top["rules"], c.place(top, "rules"), registry),
        ladder=_ladder(c, top["ladder"], c.place(top, "ladder")),
        report=_report(c, top["report"], c.place(top, "report")),
        delivery=_delivery(c, top["delivery"], c.place(top, "delivery")),
        schedule=_schedule(c, top["schedule"], c.place(top, "schedule")),
    )
    digest_source = {"units": config.units, "timezone_hours": config.timezone_hours, "rules": config.rules,
                     "ladder": [config.ladder.escalate_after_weeks, config.ladder.when_fixed,
                                config.ladder.fixed_weeks]}
    digest = hashlib.sha256(json.dumps(digest_source, sort_keys=True, default=list).encode()).hexdigest()[:16]
    return LagConfig(**{**config.__dict__, "digest": digest})


def load_config(path: str | Path | None = None, registry: dict[str, LagRule] = LAG_RULES) -> LagConfig:
    """The shipped defaults, with ``path`` (or ``$PANTAU_LAG_RULES``) merged on top when given."""
    path = path or os.environ.get(ENV_VAR) or None
    data = load_yaml(DEFAULT_PATH)
    sources = [str(DEFAULT_PATH)]
    if path is not None:
        override = load_yaml(Path(path))
        if not isinstance(override, dict):
            raise ConfigError(f"{path}:1: the configuration must be a mapping, got {kind_of(override)}")
        data = _merge(data, override)
        sources.append(str(path))
    return config_from_data(data, tuple(sources), registry)


def rule_criteria_id(config: LagConfig, registry: dict[str, LagRule] = LAG_RULES) -> list[str]:
    """The enabled rules as plain Indonesian criteria, for reports and letters."""
    out = []
    for name, rule in registry.items():
        params = config.rules.get(name)
        if params and params["enabled"]:
            shown = {k: (str(v).replace(".", ",") if isinstance(v, float) else v) for k, v in params.items()}
            out.append(rule.description_id.format(**shown))
    return out
