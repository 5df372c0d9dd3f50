"""The rule tables and thresholds of the freshness, document and PPID checks.

Three YAML files in ``checks/rules/`` (``freshness.yaml``, ``documents.yaml``,
``ppid.yaml``) hold every threshold, pattern and required-document rule, so an operator
changes a rule without touching code. They are validated when loaded: a bad file raises
``RulesError`` whose message names the file and the offending entry, e.g.
``documents.yaml: required.opd[2].category: unknown category 'rka2'``.

``rules()`` loads the shipped files once; ``load_rules(directory)`` loads another set
(``PANTAU_RULES_DIR`` names one for the checks run by ``pantau score``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checks.base import SEVERITIES

RULES_DIR = Path(__file__).with_name("rules")
RULES_DIR_ENV = "PANTAU_RULES_DIR"
FILES = ("freshness.yaml", "documents.yaml", "ppid.yaml")
ROLES = ("portal", "opd", "ppid")
FAILING_SEVERITIES = tuple(s for s in SEVERITIES if s != "info")


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class ScoreRules:
    age_points: tuple[tuple[int, float], ...]
    stale_weight: float
    weights: dict[str, float]
    pass_at: float


@dataclass(frozen=True)
class FreshnessRules:
    age_days: dict[str, int]
    stale_periodic_days: int
    score: ScoreRules


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Requirement:
    category: str
    fiscal_year: int  # 0: the year of the run, -1: the year before
    due: tuple[int, int]  # (month, day) in the run's year


@dataclass(frozen=True)
class DocumentRules:
    categories: tuple[Category, ...]
    required: dict[str, tuple[Requirement, ...]]
    severity: dict[str, str]  # current | previous | stale_site -> severity
    stale_site_days: int
    broken_links: dict[str, int]  # severity -> the count of broken links that reaches it
    min_pages_to_judge: int

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)


@dataclass(frozen=True)
class PpidItem:
    id: str
    label: str
    group: str
    periodic: bool
    weight: float
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class KipBand:
    id: str
    label: str
    min: float
    severity: str  # pass, or a failing severity


@dataclass(frozen=True)
class PpidRules:
    roles: tuple[str, ...]
    items: tuple[PpidItem, ...]
    categories: tuple[KipBand, ...]

    def band(self, score: float) -> KipBand:
        return next(b for b in self.categories if score >= b.min)


@dataclass(frozen=True)
class Rules:
    freshness: FreshnessRules
    documents: DocumentRules
    ppid: PpidRules


class _Reader:
    """Turns one parsed file into typed values, failing with ``file: path: message``."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, message: str):
        raise RulesError(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def mapping(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping, got {describe_value(value)}")
        for key in value:
            if key not in required + optional:
                self.fail(_join(where, str(key)), f"unknown key (expected one of: {', '.join(required + optional)})")
        for key in required:
            if key not in value:
                self.fail(where, f"missing required key {key!r}")
        return value

    def sequence(self, value: Any, where: str, allow_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.fail(where, f"must be a list, got {describe_value(value)}")
        if not value and not allow_empty:
            self.fail(where, "must not be empty")
        return value

    def number(self, value: Any, where: str, minimum: float = 0, maximum: float | None = None,
               integer: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            self.fail(where, f"must be {'an integer' if integer else 'a number'}, got {describe_value(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            self.fail(where, f"must be {bound}, got {value}")
        return value

    def text(self, value: Any, where: str, pattern: str | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"must be a non-empty string, got {describe_value(value)}")
        if pattern and not re.fullmatch(pattern, value):
            self.fail(where, f"{value!r} is not valid")
        return value

    def choice(self, value: Any, where: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(where, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def patterns(self, value: Any, where: str) -> tuple[re.Pattern, ...]:
        compiled = []
        for i, raw in enumerate(self.sequence(value, where, allow_empty=False)):
            here = f"{where}[{i}]"
            self.text(raw, here)
            try:
                compiled.append(re.compile(raw, re.IGNORECASE))
            except re.error as exc:
                self.fail(here, f"invalid regular expression {raw!r}: {exc}")
        return tuple(compiled)

    def unique_ids(self, entries: list, where: str) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.id in seen:
                self.fail(f"{where}[{i}].id", f"duplicate id {entry.id!r}")
            seen.add(entry.id)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def describe_value(value: Any) -> str:
    """How a configuration error names the value it got: ``string 'x'``, ``a list``, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {value!r}"
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def _freshness(data: Any) -> FreshnessRules:
    r = _Reader("freshness.yaml")
    top = r.mapping(data, "", ("age_days", "stale_periodic_days", "score"))
    ages = r.mapping(top["age_days"], "age_days", (), FAILING_SEVERITIES)
    if not ages:
        r.fail("age_days", "must name at least one severity")
    age_days = {name: int(r.number(ages[name], f"age_days.{name}", 1, integer=True)) for name in ages}
    ordered = [age_days[s] for s in FAILING_SEVERITIES if s in age_days]
    if ordered != sorted(set(ordered)):
        r.fail("age_days", "days must grow with severity (low < medium < high < critical)")
    stale = int(r.number(top["stale_periodic_days"], "stale_periodic_days", 1, integer=True))
    score = r.mapping(top["score"], "score", ("age_points", "stale_weight", "weights", "pass_at"))
    points = []
    for i, pair in enumerate(r.sequence(score["age_points"], "score.age_points", allow_empty=False)):
        here = f"score.age_points[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            r.fail(here, f"must be a [days, points] pair, got {describe_value(pair)}")
        points.append((int(r.number(pair[0], f"{here}[0]", 0, integer=True)),
                       float(r.number(pair[1], f"{here}[1]", 0, 100))))
    if [p[0] for p in points] != sorted({p[0] for p in points}):
        r.fail("score.age_points", "days must be strictly increasing")
    weights = r.mapping(score["weights"], "score.weights", ("age", "items"))
    weights = {k: float(r.number(weights[k], f"score.weights.{k}", 0)) for k in ("age", "items")}
    if weights["age"] <= 0:
        r.fail("score.weights.age", "must be above 0")
    return FreshnessRules(
        age_days=age_days, stale_periodic_days=stale,
        score=ScoreRules(tuple(points), float(r.number(score["stale_weight"], "score.stale_weight", 0, 1)),
                         weights, float(r.number(score["pass_at"], "score.pass_at", 0, 100))),
    )


def _due(r: _Reader, value: Any, where: str) -> tuple[int, int]:
    r.text(value, where)
    match = re.fullmatch(r"(\d{2})-(\d{2})", value)
    try:
        if match is None:
            raise ValueError
        dt.date(2024, int(match.group(1)), int(match.group(2)))  # a leap year: 02-29 is allowed
    except ValueError:
        r.fail(where, f"{value!r} is not a month and day like \"03-31\"")
    return int(match.group(1)), int(match.group(2))


def _documents(data: Any) -> DocumentRules:
    r = _Reader("documents.yaml")
    top = r.mapping(data, "", ("categories", "required", "severity", "stale_site_days", "broken_links",
                                     "min_pages_to_judge"))
    categories = []
    for i, raw in enumerate(r.sequence(top["categories"], "categories", allow_empty=False)):
        here = f"categories[{i}]"
        c = r.mapping(raw, here, ("id", "label", "patterns"))
        categories.append(Category(r.text(c["id"], f"{here}.id", r"[a-z][a-z0-9_]*"), r.text(c["label"], f"{here}.label"),
                                   r.patterns(c["patterns"], f"{here}.patterns")))
    r.unique_ids(categories, "categories")
    if any(c.id == "other" for c in categories):
        r.fail("categories", "'other' is what no pattern matches; it cannot be defined")
    known = tuple(c.id for c in categories)
    required_raw = r.mapping(top["required"], "required", (), ROLES)
    required: dict[str, tuple[Requirement, ...]] = {role: () for role in ROLES}
    for role, rows in required_raw.items():
        entries = []
        for i, raw in enumerate(r.sequence(rows or [], f"required.{role}")):
            here = f"required.{role}[{i}]"
            row = r.mapping(raw, here, ("category", "fiscal_year", "due"))
            if row["category"] not in known:
                r.fail(f"{here}.category", f"unknown category {row['category']!r}")
            year = int(r.number(row["fiscal_year"], f"{here}.fiscal_year", -1, 0, integer=True))
            entries.append(Requirement(row["category"], year, _due(r, row["due"], f"{here}.due")))
        keys = [(e.category, e.fiscal_year) for e in entries]
        if len(set(keys)) != len(keys):
            r.fail(f"required.{role}", "a category is required twice for the same fiscal year")
        required[role] = tuple(entries)
    severity = r.mapping(top["severity"], "severity", ("current", "previous", "stale_site"))
    severity = {k: r.choice(v, f"severity.{k}", FAILING_SEVERITIES) for k, v in severity.items()}
    broken = r.mapping(top["broken_links"], "broken_links", (), FAILING_SEVERITIES)
    if not broken:
        r.fail("broken_links", "must name at least one severity")
    broken = {name: int(r.number(broken[name], f"broken_links.{name}", 1, integer=True)) for name in broken}
    counts = [broken[s] for s in FAILING_SEVERITIES if s in broken]
    if counts != sorted(set(counts)):
        r.fail("broken_links", "counts must grow with severity (low < medium < high < critical)")
    return DocumentRules(tuple(categories), required, severity,
                         int(r.number(top["stale_site_days"], "stale_site_days", 1, integer=True)), broken,
                         int(r.number(top["min_pages_to_judge"], "min_pages_to_judge", 1, integer=True)))


def _ppid(data: Any) -> PpidRules:
    r = _Reader("ppid.yaml")
    top = r.mapping(data, "", ("roles", "items", "categories"))
    roles = tuple(r.choice(v, f"roles[{i}]", ROLES) for i, v in enumerate(r.sequence(top["roles"], "roles")))
    items = []
    for i, raw in enumerate(r.sequence(top["items"], "items", allow_empty=False)):
        here = f"items[{i}]"
        it = r.mapping(raw, here, ("id", "label", "group", "periodic", "weight", "patterns"))
        if not isinstance(it["periodic"], bool):
            r.fail(f"{here}.periodic", f"must be true or false, got {describe_value(it['periodic'])}")
        items.append(PpidItem(r.text(it["id"], f"{here}.id", r"[a-z][a-z0-9_]*"), r.text(it["label"], f"{here}.label"),
                              r.text(it["group"], f"{here}.group"), it["periodic"],
                              float(r.number(it["weight"], f"{here}.weight", 0.1)),
                              r.patterns(it["patterns"], f"{here}.patterns")))
    r.unique_ids(items, "items")
    bands = []
    for i, raw in enumerate(r.sequence(top["categories"], "categories", allow_empty=False)):
        here = f"categories[{i}]"
        b = r.mapping(raw, here, ("id", "label", "min", "severity"))
        bands.append(KipBand(r.text(b["id"], f"{here}.id"), r.text(b["label"], f"{here}.label"),
                             float(r.number(b["min"], f"{here}.min", 0, 100)),
                             r.choice(b["severity"], f"{here}.severity", ("pass", *FAILING_SEVERITIES))))
    r.unique_ids(bands, "categories")
    mins = [b.min for b in bands]
    if mins != sorted(set(mins), reverse=True) or mins[-1] != 0:
        r.fail("categories", "min must fall strictly from the first band to the last, which starts at 0")
    return PpidRules(roles, tuple(items), tuple(bands))


def _load(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{name}: cannot read {path}: {exc.strerror}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise RulesError(f"{name}:{line} invalid YAML: {getattr(exc, 'problem', exc)}") from exc


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate the three rule files of ``directory`` (default: the shipped ones)."""
    directory = Path(directory) if directory else RULES_DIR
    return Rules(freshness=_freshness(_load(directory, "freshness.yaml")),
                 documents=_documents(_load(directory, "documents.yaml")),
                 ppid=_ppid(_load(directory, "ppid.yaml")))


@cache
def _cached(directory: str) -> Rules:
    return load_rules(directory or None)


def rules() -> Rules:
    """The rules the checks use: ``$PANTAU_RULES_DIR`` when set, else the shipped files (loaded once)."""
    return _cached(os.environ.get(RULES_DIR_ENV, ""))
