"""The registry: which pemda, units and sites pantau watches.

A registry file has one row per site, as CSV (with a header) or as a YAML list of
mappings, with the columns in ``COLUMNS`` (plus an optional, ignored ``source`` column
for provenance). A row with an empty ``url`` records its region and unit only: a pemda
with no known website still belongs to the registry.

Reading and importing are separate steps so every bad row can be reported with its
file and line while the good rows still go in::

    rows, errors = read_rows("jambi.csv")      # syntax and per-row checks
    result = import_rows(db, rows)             # parent checks and upserts, one transaction
    result = import_file(db, "jambi.csv")      # both, errors merged and sorted by line

Imports are idempotent: regions are keyed by code, units by (region code, short name)
and sites by URL, so importing the same file twice changes nothing and importing an
edited file updates names, kinds and statuses in place.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
import yaml

COLUMNS = (
    "region_code",
    "region_name",
    "region_kind",
    "region_parent",
    "unit_name",
    "unit_short",
    "unit_kind",
    "url",
    "role",
    "domain_status",
)
OPTIONAL_COLUMNS = ("source",)

REGION_KINDS = ("provinsi", "kabupaten", "kota")
UNIT_KINDS = ("portal", "opd", "ppid")
ROLES = ("portal", "opd", "ppid")
DOMAIN_STATUSES = ("confirmed", "guessed")

NATIONAL_CSV = Path(__file__).resolve().parents[1] / "registry" / "national.csv"

PROVINCE_CODE = re.compile(r"\d{2}")
KABKOTA_CODE = re.compile(r"\d{2}\.\d{2}")
UNIT_SHORT = re.compile(r"[a-z0-9][a-z0-9._-]*")
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
YAML_NULL = "tag:yaml.org,2002:null"


class RegistryFormatError(ValueError):
    """The file as a whole cannot be read: wrong type, bad header, broken YAML.

    The message always starts with the file name.
    """


@dataclass(frozen=True)
class RowError:
    """One rejected row; ``str()`` gives the ``FILE:LINE: message`` form."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Row:
    """One checked registry row. ``url`` is None when the unit has no known site."""

    path: str
    line: int
    region_code: str
    region_name: str
    region_kind: str
    region_parent: str | None
    unit_name: str
    unit_short: str
    unit_kind: str
    url: str | None
    host: str | None
    role: str | None
    domain_status: str | None


@dataclass
class ImportResult:
    """What an import wrote (distinct regions, units and sites) and which rows it refused."""

    regions: int = 0
    units: int = 0
    sites: int = 0
    new_sites: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"imported {self.sites} sites, {self.rejected} rows rejected "
            f"({self.regions} regions, {self.units} units, {self.new_sites} new sites)"
        )


# -- reading ------------------------------------------------------------------------


def read_rows(path: str | Path) -> tuple[list[Row], list[RowError]]:
    """Read and check a registry file; return the good rows and one error per bad row.

    ``.csv`` files need a header naming every column of ``COLUMNS``; lines are counted
    physically with the header as line 1. ``.yaml``/``.yml`` files hold a list of
    mappings; a row's line is where its mapping starts and an absent key counts as an
    empty value. Checks here need no database: formats, closed sets, URL shape and
    agreement between rows of the same file (a region or unit described twice must be
    described the same way; a URL may appear once). Raises RegistryFormatError when the
    file itself is unusable.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _read_csv(path)
    elif suffix in (".yaml", ".yml"):
        raw = _read_yaml(path)
    else:
        raise RegistryFormatError(
            f"{path}: unknown file type {suffix or '(none)'!r} (expected .csv, .yaml or .yml)"
        )
    rows: list[Row] = []
    errors: list[RowError] = []
    seen = _SeenInFile()
    for line, values, problems in raw:
        if not problems:
            row, problems = _check_values(str(path), line, values)
            if row is not None:
                problems = seen.conflicts(row)
        if problems:
            errors.append(RowError(str(path), line, "; ".join(problems)))
        else:
            rows.append(row)
    return rows, errors


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _read_csv(path: Path) -> list[tuple[int, dict[str, str], list[str]]]:
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise RegistryFormatError(f"{path}: empty file, expected a header row") from None
    except csv.Error as exc:
        raise RegistryFormatError(f"{path}:1: unreadable header ({exc})") from None
    _check_header(path, header)
    out = []
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.append((start, {}, [f"unreadable CSV ({exc})"]))
            break
        if not any(value.strip() for value in fields):
            continue
        if len(fields) != len(header):
            out.append((start, {}, [f"expected {len(header)} fields, found {len(fields)}"]))
            continue
        out.append((start, {name: value.strip() for name, value in zip(header, fields)}, []))
    return out


def _check_header(path: Path, header: list[str]) -> None:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise RegistryFormatError(f"{path}: column(s) named twice in the header: {', '.join(duplicated)}")
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise RegistryFormatError(
            f"{path}: missing column(s) {', '.join(missing)}; the header must name {', '.join(COLUMNS)}"
        )
    unknown = [name for name in header if name not in COLUMNS and name not in OPTIONAL_COLUMNS]
    if unknown:
        raise RegistryFormatError(f"{path}: unknown column(s) {', '.join(unknown)}")


def _read_yaml(path: Path) -> list[tuple[int, dict[str, str], list[str]]]:
    try:
        document = yaml.compose(_read_text(path), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}" if mark else ""
        raise RegistryFormatError(f"{path}{where}: not valid YAML ({exc.problem or exc.context})") from None
    if document is None:
        return []
    if not isinstance(document, yaml.SequenceNode):
        raise RegistryFormatError(
            f"{path}:{document.start_mark.line + 1}: expected a YAML list of mappings, one per site"
        )
    out = []
    for item in document.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            out.append((line, {}, ["expected a mapping of column names to values"]))
            continue
        values: dict[str, str] = {}
        problems: list[str] = []
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in COLUMNS and key not in OPTIONAL_COLUMNS:
                problems.append(f"unknown key {key!r}" if key is not None else "keys must be column names")
            elif key in values:
                problems.append(f"key {key!r} given twice")
            elif not isinstance(value_node, yaml.ScalarNode):
                problems.append(f"{key} must be a plain value, not a list or mapping")
            else:
                # Raw scalar text, never the resolved value: 15.10 must stay "15.10".
                values[key] = "" if value_node.tag == YAML_NULL else value_node.value.strip()
        out.append((line, {name: values.get(name, "") for name in COLUMNS}, problems))
    return out


# -- checking -----------------------------------------------------------------------


def normalize_url(url: str) -> tuple[str, str] | None:
    """Return (url, host) with scheme and host lower-cased and an empty path made "/".

    None when ``url`` is not an absolute http(s) URL with a plausible host name and no
    user name or password. A fragment is dropped: it never reaches a server.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() not in ("http", "https") or not HOST.fullmatch(host):
        return None
    if parts.username is not None or parts.password is not None or " " in url:
        return None
    netloc = host if port is None else f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{parts.path or '/'}{query}", host


def _one_of(column: str, value: str, allowed: tuple[str, ...]) -> str | None:
    if not value:
        return f"{column} is empty"
    if value not in allowed:
        return f"{column} {value!r} is not one of {', '.join(allowed)}"
    return None


def _check_values(path: str, line: int, v: dict[str, str]) -> tuple[Row | None, list[str]]:
    problems: list[str] = []
    code, kind, parent = v["region_code"], v["region_kind"], v["region_parent"]
    is_province_code = bool(PROVINCE_CODE.fullmatch(code))
    if not code:
        problems.append("region_code is empty")
    elif not (is_province_code or KABKOTA_CODE.fullmatch(code)):
        problems.append(f"region_code {code!r} is not a Kemendagri code like '15' or '15.71'")
        code = ""
    if not v["region_name"]:
        problems.append("region_name is empty")
    kind_problem = _one_of("region_kind", kind, REGION_KINDS)
    if kind_problem:
        problems.append(kind_problem)
    elif code and is_province_code and kind != "provinsi":
        problems.append(f"region_code {code!r} is a province code but region_kind is {kind!r}")
    elif code and not is_province_code and kind == "provinsi":
        problems.append(f"region_code {code!r} is a kabupaten/kota code but region_kind is 'provinsi'")
    if code and is_province_code and parent:
        problems.append(f"region_parent must be empty for a province (got {parent!r})")
    elif code and not is_province_code:
        if not parent:
            problems.append("region_parent is empty (a kabupaten/kota needs its province code)")
        elif parent != code[:2]:
            problems.append(f"region_parent {parent!r} does not match region_code {code!r} (expected {code[:2]!r})")
    if not v["unit_name"]:
        problems.append("unit_name is empty")
    for column in ("region_name", "unit_name"):
        if "\n" in v[column] or "\r" in v[column]:
            problems.append(f"{column} must fit on one line")
    short = v["unit_short"]
    if not short:
        problems.append("unit_short is empty")
    elif not UNIT_SHORT.fullmatch(short):
        problems.append(f"unit_short {short!r} must be lower-case letters, digits, '.', '-' or '_'")
    unit_kind_problem = _one_of("unit_kind", v["unit_kind"], UNIT_KINDS)
    if unit_kind_problem:
        problems.append(unit_kind_problem)
    url = host = role = status = None
    if v["url"]:
        normalized = normalize_url(v["url"])
        if normalized is None:
            problems.append(f"url {v['url']!r} is not an absolute http(s) URL with a host")
        else:
            url, host = normalized
        for column, allowed in (("role", ROLES), ("domain_status", DOMAIN_STATUSES)):
            problem = _one_of(column, v[column], allowed)
            if problem:
                problems.append(problem + (" (needed when url is given)" if not v[column] else ""))
        role, status = v["role"], v["domain_status"]
    else:
        # Catches a shifted column as much as a forgotten URL.
        for column in ("role", "domain_status"):
            if v[column]:
                problems.append(f"{column} {v[column]!r} is given without a url")
    if problems:
        return None, problems
    row = Row(
        path=path,
        line=line,
        region_code=code,
        region_name=v["region_name"],
        region_kind=kind,
        region_parent=parent or None,
        unit_name=v["unit_name"],
        unit_short=short,
        unit_kind=v["unit_kind"],
        url=url,
        host=host,
        role=role,
        domain_status=status,
    )
    return row, []


class _SeenInFile:
    """Remembers the first accepted description of each region, unit and URL in a file."""

    def __init__(self) -> None:
        self.regions: dict[str, Row] = {}
        self.units: dict[tuple[str, str], Row] = {}
        self.urls: dict[str, Row] = {}

    def conflicts(self, row: Row) -> list[str]:
        problems = []
        first = self.regions.get(row.region_code)
        if first and (first.region_name, first.region_kind, first.region_parent) != (
            row.region_name,
            row.region_kind,
            row.region_parent,
        ):
            problems.append(
                f"region {row.region_code} is described as {_region_text(row)} here "
                f"but as {_region_text(first)} on line {first.line}"
            )
        unit_key = (row.region_code, row.unit_short)
        first = self.units.get(unit_key)
        if first and (first.unit_name, first.unit_kind) != (row.unit_name, row.unit_kind):
            problems.append(
                f"unit {row.region_code}/{row.unit_short} is {row.unit_name!r} ({row.unit_kind}) here "
                f"but {first.unit_name!r} ({first.unit_kind}) on line {first.line}"
            )
        if row.url and row.url in self.urls:
            problems.append(f"url {row.url} is already listed on line {self.urls[row.url].line}")
        if not problems:
            self.regions.setdefault(row.region_code, row)
            self.units.setdefault(unit_key, row)
            if row.url:
                self.urls[row.url] = row
        return problems


def _region_text(row: Row) -> str:
    parent = f", parent {row.region_parent}" if row.region_parent else ""
    return f"{row.region_name!r} ({row.region_kind}{parent})"


# -- writing ------------------------------------------------------------------------


def import_rows(db: sqlite_utils.Database, rows: list[Row]) -> ImportResult:
    """Upsert checked rows in one immediate transaction and return what was written.

    A kabupaten/kota row whose parent province is neither among ``rows`` nor in the
    database is refused (as a RowError) and the rest still goes in. Existing regions,
    units and sites are updated in place; a site's ``active`` flag is left as it was.
    """
    result = ImportResult()
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        file_regions = {row.region_code for row in rows}
        regions: set[str] = set()
        units: set[int] = set()
        sites: set[str] = set()
        for row in rows:
            parent = row.region_parent
            if parent and parent not in file_regions and not _region_exists(conn, parent):
                result.errors.append(
                    RowError(row.path, row.line, f"region_parent {parent!r} is neither in the file nor in the database")
                )
                continue
            if row.region_code not in regions:
                conn.execute(
                    "INSERT INTO regions (code, name, kind, parent) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                    "parent = excluded.parent",
                    (row.region_code, row.region_name, row.region_kind, parent),
                )
                regions.add(row.region_code)
            (unit_id,) = conn.execute(
                "INSERT INTO units (region_code, name, short_name, kind) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (region_code, short_name) DO UPDATE SET name = excluded.name, "
                "kind = excluded.kind RETURNING id",
                (row.region_code, row.unit_name, row.unit_short, row.unit_kind),
            ).fetchone()
            units.add(unit_id)
            if row.url:
                if conn.execute("SELECT 1 FROM sites WHERE url = ?", (row.url,)).fetchone() is None:
                    result.new_sites += 1
                conn.execute(
                    "INSERT INTO sites (unit_id, url, host, role, domain_status, active) "
                    "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (url) DO UPDATE SET unit_id = excluded.unit_id, "
                    "host = excluded.host, role = excluded.role, domain_status = excluded.domain_status",
                    (unit_id, row.url, row.host, row.role, row.domain_status),
                )
                sites.add(row.url)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    result.regions, result.units, result.sites = len(regions), len(units), len(sites)
    return result


def _region_exists(conn, code: str) -> bool:
    return conn.execute("SELECT 1 FROM regions WHERE code = ?", (code,)).fetchone() is not None


def import_file(db: sqlite_utils.Database, path: str | Path) -> ImportResult:
    """Read, check and import one registry file; errors of both steps, sorted by line."""
    rows, errors = read_rows(path)
    result = import_rows(db, rows)
    result.errors = sorted(errors + result.errors, key=lambda error: error.line)
    return result


# -- reading back -------------------------------------------------------------------

_ROLE_ORDER = "CASE s.role WHEN 'portal' THEN 0 WHEN 'ppid' THEN 1 ELSE 2 END"


def list_sites(
    db: sqlite_utils.Database,
    region: str | None = None,
    role: str | None = None,
    status: str | None = None,
) -> list[dict]:
    """Registered sites, ordered by region code, then portal, PPID, OPD, then unit.

    ``region`` "15" matches region 15 and every region whose parent is 15 (codes
    "15.xx"); ``role`` and ``status`` filter on the site's role and domain_status.
    Each dict has the import columns (``COLUMNS``) plus ``id`` (the site id),
    ``unit_id``, ``host`` and ``active``, so a listing can be written back as a
    registry file.
    """
    where, params = [], {}
    if region:
        where.append("(r.code = :region OR r.parent = :region OR r.code LIKE :region || '.%')")
        params["region"] = region
    if role:
        where.append("s.role = :role")
        params["role"] = role
    if status:
        where.append("s.domain_status = :status")
        params["status"] = status
    sql = f"""
        SELECT r.code AS region_code, r.name AS region_name, r.kind AS region_kind,
               r.parent AS region_parent, u.name AS unit_name, u.short_name AS unit_short,
               u.kind AS unit_kind, s.url, s.role, s.domain_status,
               s.id, s.unit_id, s.host, s.active
        FROM sites s JOIN units u ON u.id = s.unit_id JOIN regions r ON r.code = u.region_code
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY r.code, {_ROLE_ORDER}, u.short_name, s.url
    """
    return [dict(row) for row in db.query(sql, params)]


def registry_hosts(db: sqlite_utils.Database, active_only: bool = True) -> set[str]:
    """Host names of the registered (by default: active) sites, lower-case."""
    sql = "SELECT DISTINCT host FROM sites" + (" WHERE active = 1" if active_only else "")
    return {row["host"].lower() for row in db.query(sql)}
