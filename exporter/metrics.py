"""Prometheus metrics built from the store at every scrape.

``PantauCollector`` is a prometheus-client collector that keeps no state: each
``collect()`` opens the database read-only, reads every active site's latest results
inside one read transaction (one consistent snapshot even while a crawl writes), and
builds fresh metric families. Nothing is cached between scrapes and nothing crawls on a
timer, so a restarted exporter reports exactly what the store holds.

Families are declared in one table, ``FAMILIES``: name, help, labels and the function
that reads its samples. A family whose data the store does not hold (no probe has run,
no weekly lag list was judged, no PPID site) is left out rather than exported empty.

Labels are kept to ``region`` (Kemendagri code), ``unit`` (unit id), ``site`` (site id)
and, where needed, ``dimension``; names, hosts and roles are only on the ``*_info``
families, to be joined in queries (``* on(site) group_left(host) pantau_site_info``).
No URL or title ever becomes a label.

At 25,000 sites the text format runs to hundreds of thousands of lines, so samples
carry their label text already rendered (built once per site and reused by every
family) and ``render`` writes the text format straight from it: exactly what
``prometheus_client.generate_latest`` writes for the same families, several times
faster. The HTTP server streams it family by family.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from prometheus_client.metrics_core import Metric
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

from storage.db import open_db

DEFAULT_LAGGING_BELOW = 60.0
DEFAULT_STALE_AFTER_DAYS = 90
REQUIRED_MIGRATION = "m050_exporter_indexes"

SITE_LABELS = ("region", "site", "unit")
UNIT_LABELS = ("region", "unit")
FRESHNESS_CHECK = "freshness.newest_content"
STAGE_CHECK = "interaction.stage"
REQUIRED_DOCUMENTS_CHECK = "freshness.required_documents"
PPID_CHECK = "freshness.ppid"
# Freshness dates are calendar days in western Indonesia; a day starts at 00:00 WIB.
WIB_OFFSET = "+07:00"
USABLE_OUTCOMES = frozenset({"ok", "oversized"})


@dataclass(frozen=True)
class ExporterSettings:
    """What the exporter is told rather than what it reads from the store.

    ``lagging_below``: a unit whose composite score (0-100) is below this lags, used only
    until the weekly lag list stores its own verdicts. ``stale_after_days``: content older
    than this is stale; exported as ``pantau_config_content_stale_after_seconds`` so the
    alert rule and the dashboards read the same number.
    """

    lagging_below: float = DEFAULT_LAGGING_BELOW
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS

    def __post_init__(self):
        if not 0 <= self.lagging_below <= 100:
            raise ValueError(f"lagging_below must be a score from 0 to 100, not {self.lagging_below}")
        if self.stale_after_days < 1:
            raise ValueError(f"stale_after_days must be at least 1, not {self.stale_after_days}")


class SchemaError(RuntimeError):
    """The database is not one the exporter can read (missing, not pantau's, or not migrated)."""


# --- Label text ------------------------------------------------------------------------------

Row = tuple[str, float]  # rendered label text (names sorted, values escaped), value

_LABEL = re.compile(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"')
_UNESCAPE = re.compile(r"\\(.)")


def escape_label(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value:
        return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")
    return value


def label_text(pairs: dict[str, str]) -> str:
    """``a="1",b="2"`` with names sorted, as the text format writes them."""
    return ",".join(f'{name}="{escape_label(pairs[name])}"' for name in sorted(pairs))


def parse_label_text(text: str) -> dict[str, str]:
    """The inverse of ``label_text``."""
    return {name: _UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), value)
            for name, value in _LABEL.findall(text)}


class Family(Metric):
    """A gauge family whose samples are ``(label text, value)`` pairs.

    ``samples`` gives the usual prometheus-client samples, so the family works in any
    registry; ``chunks()`` writes the text format straight from the label text.
    ``rows`` may be a one-shot iterator (the server streams a family while it reads it).
    """

    def __init__(self, name: str, documentation: str, labelnames: tuple[str, ...], rows: Iterable[Row]):
        self.name = name
        self.documentation = documentation
        self.type = "gauge"
        self.unit = ""
        self.labelnames = labelnames
        self.rows = rows

    @property
    def samples(self) -> list[Sample]:
        return [Sample(self.name, parse_label_text(text), float(value), None, None) for text, value in self.rows]

    def header(self) -> str:
        doc = self.documentation.replace("\\", r"\\").replace("\n", r"\n")
        return f"# HELP {self.name} {doc}\n# TYPE {self.name} gauge\n"

    def chunks(self, batch: int = 5000, formatted: dict[float, str] | None = None) -> Iterator[str]:
        """The family's sample lines, ``batch`` at a time, in row order."""
        cache = {} if formatted is None else formatted
        known = cache.get

        def number(value: float) -> str:
            text = cache[value] = floatToGoString(value)
            return text

        rows = iter(self.rows)
        labelled, bare = self.name + "{", self.name + " "
        while piece := list(islice(rows, batch)):
            yield "".join([f"{labelled}{text}}} {known(value) or number(value)}\n" if text else
                           f"{bare}{known(value) or number(value)}\n" for text, value in piece])


# --- One scrape ------------------------------------------------------------------------------

class Scrape:
    """What one scrape knows: the connection, the active sites and their latest results.

    Each active site's newest scored run goes into the temporary table ``latest``
    (site_id, run_id). ``current()`` reads a table's rows of those runs by range scans of
    its ``(run_id, ...)`` index, one per distinct latest run (usually one), so a scrape
    costs the same however much history the store keeps and however crawls were split.
    """

    def __init__(self, conn: sqlite3.Connection, settings: ExporterSettings):
        self.conn = conn
        self.settings = settings
        self.tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        self.sites: dict[int, str] = {}  # site id -> its label text
        self.site_labels: dict[int, tuple[str, str]] = {}  # site id -> (region, unit), raw
        for site_id, unit_id, region in conn.execute(SITES_SQL):
            region, unit = region or "", "" if unit_id is None else str(unit_id)
            self.site_labels[site_id] = (region, unit)
            self.sites[site_id] = f'region="{escape_label(region)}",site="{site_id}",unit="{unit}"'
        conn.execute("create temp table latest (site_id integer primary key, run_id integer not null)")
        conn.execute(LATEST_SQL)
        self.run_ids = [row[0] for row in conn.execute("select distinct run_id from latest order by run_id")]
        self.probed = self.has_rows("probes")
        self._home: list[tuple] | None = None
        self._weekly: list[tuple] | None = None

    def has_rows(self, table: str) -> bool:
        return table in self.tables and self.conn.execute(f"select 1 from {table} limit 1").fetchone() is not None

    def current(self, table: str, columns: str, where: str = "", params: Iterable = (), tail: str = "",
                joins: str = "") -> Iterable[tuple]:
        """``select columns from table t`` restricted to each site's latest run."""
        if not self.run_ids:
            return ()
        marks = ",".join("?" * len(self.run_ids))
        sql = (f"select {columns} from {table} t cross join latest l on l.site_id = t.site_id "
               f"and l.run_id = t.run_id {joins} where t.run_id in ({marks}) {where} {tail}")
        return self.conn.execute(sql, [*self.run_ids, *params])

    def per_site(self, rows: Iterable[tuple]) -> Iterator[Row]:
        """A sample per site from ``(site_id, value)`` rows ordered by site: NULLs skipped,
        the first row of a site kept."""
        sites, previous = self.sites, None
        for site_id, value in rows:
            if value is not None and site_id != previous:
                previous = site_id
                yield sites[site_id], value

    def findings(self, check_id: str, value: str, group: bool = False) -> Iterator[Row]:
        """A sample per site: the SQL expression ``value`` over its latest ``check_id`` findings."""
        tail = "group by t.site_id order by t.site_id" if group else "order by t.site_id, t.id"
        return self.per_site(self.current("findings", f"t.site_id, {value}", "and t.check_id = ?", [check_id], tail))

    def home(self) -> list[tuple]:
        """``(site_id, status, error_class, milliseconds, tls expiry)`` of each site's latest check:
        its newest probe once the prober has run at all, before that its latest crawl's home page."""
        if self._home is None:
            rows = (self.conn.execute(PROBE_SQL) if self.probed else
                    self.current("pages", HOME_COLUMNS, "and t.kind = 'home'", tail="order by t.site_id, t.id"))
            self._home, previous = [], None
            for row in rows:
                if row[0] != previous:
                    self._home.append(row)
                    previous = row[0]
        return self._home

    def weekly(self) -> list[tuple]:
        """``(unit_id, region, lagging, level)`` of each unit's newest judged week; [] before any."""
        if self._weekly is None:
            self._weekly = list(self.conn.execute(WEEKLY_SQL)) if self.has_rows("weekly_status") else []
        return self._weekly


SITES_SQL = """
select s.id, s.unit_id, u.region_code from sites s left join units u on u.id = s.unit_id
where s.active = 1 order by s.id
"""

LATEST_SQL = """
insert into latest
select site_id, run_id from (
  select s.id as site_id,
         (select max(run_id) from scores where site_id = s.id and dimension = 'composite') as run_id
  from sites s where s.active = 1
) where run_id is not null
"""

# The newest probe of each active site, through the (site_id, probed_at) index.
PROBE_SQL = """
select p.site_id, p.status, p.error_class, p.total_ms, unixepoch(json_extract(p.tls, '$.not_after'))
from sites s cross join probes p
  on p.id = (select id from probes where site_id = s.id order by probed_at desc, id desc limit 1)
where s.active = 1
order by s.id
"""

HOME_COLUMNS = "t.site_id, t.status, t.error_class, t.elapsed_ms, unixepoch(json_extract(t.tls, '$.not_after'))"

# The newest week the weekly lag list judged, per unit, through the (unit_id, week) index.
WEEKLY_SQL = """
select u.id, u.region_code, w.lagging, w.level from units u cross join weekly_status w
  on w.unit_id = u.id and w.week = (select max(week) from weekly_status where unit_id = u.id)
order by u.id
"""


# --- Sources: one function per family --------------------------------------------------------

Source = Callable[[Scrape], Iterable[Row]]


def site_up(scrape: Scrape) -> Iterable[Row]:
    return scrape.per_site((site_id, float(error_class in USABLE_OUTCOMES and status is not None and status < 400))
                           for site_id, status, error_class, _, _ in scrape.home())


def probe_duration(scrape: Scrape) -> Iterable[Row]:
    return scrape.per_site((site_id, None if ms is None else ms / 1000) for site_id, _, _, ms, _ in scrape.home())


def http_status(scrape: Scrape) -> Iterable[Row]:
    return scrape.per_site((site_id, float(status or 0)) for site_id, status, _, _, _ in scrape.home())


def tls_expiry(scrape: Scrape) -> Iterable[Row]:
    return scrape.per_site((site_id, expiry) for site_id, _, _, _, expiry in scrape.home())


def scores(scrape: Scrape) -> Iterable[Row]:
    """Every dimension the scoring stored, as it stored it: new dimensions appear by themselves."""
    rows = scrape.current("scores", "t.site_id, t.dimension, t.score / 100.0", "and t.score is not null",
                          tail="order by t.site_id, t.dimension")
    sites, dimensions = scrape.sites, {}
    for site_id, dimension, score in rows:
        prefix = dimensions.get(dimension)
        if prefix is None:
            prefix = dimensions[dimension] = f'dimension="{escape_label(dimension)}",'
        yield prefix + sites[site_id], score


def egov_stage(scrape: Scrape) -> Iterable[Row]:
    return scrape.findings(STAGE_CHECK, "json_extract(t.detail, '$.stage')")


def last_content_update(scrape: Scrape) -> Iterable[Row]:
    return scrape.findings(FRESHNESS_CHECK,
                           f"unixepoch(json_extract(t.detail, '$.newest') || 'T00:00:00{WIB_OFFSET}')")


def mandatory_documents_missing(scrape: Scrape) -> Iterable[Row]:
    """Summed over the fiscal years due (0 when none is due yet); no sample for a site the check
    could not judge or of whose role nothing is required."""
    return scrape.findings(REQUIRED_DOCUMENTS_CHECK, "sum(case when json_extract(t.detail, '$.judged') = 0 then null "
                                                     "else coalesce(json_array_length(t.detail, '$.missing'), 0) end)",
                           group=True)


def _ppid_count(key: str) -> Source:
    def source(scrape: Scrape) -> Iterable[Row]:
        return scrape.findings(PPID_CHECK, f"json_extract(t.detail, '$.{key}')")
    return source


def _unit_samples(rows: Iterable[tuple[int, str | None, float | None]]) -> Iterator[Row]:
    for unit_id, region, value in rows:
        if value is not None:
            yield f'region="{escape_label(region or "")}",unit="{unit_id}"', float(value)


def unit_lagging(scrape: Scrape) -> Iterable[Row]:
    """The flag of each unit's newest week the weekly lag list judged (none for a week without
    data); before any week was judged, a unit lags when its worst site's latest composite score
    is below ``lagging_below``."""
    if scrape.weekly():
        return _unit_samples((unit, region, lagging) for unit, region, lagging, _ in scrape.weekly())
    rows = scrape.current("scores", "s.unit_id, u.region_code, min(t.score)", "and t.dimension = 'composite'",
                          tail="group by s.unit_id order by s.unit_id",
                          joins="join sites s on s.id = t.site_id join units u on u.id = s.unit_id")
    threshold = scrape.settings.lagging_below
    return _unit_samples((unit, region, worst < threshold) for unit, region, worst in rows)


def unit_reprimand_level(scrape: Scrape) -> Iterable[Row]:
    return _unit_samples((unit, region, level) for unit, region, _, level in scrape.weekly())


def _last_run(scrape: Scrape, kind: str) -> tuple[float | None, float | None]:
    row = scrape.conn.execute(
        "select unixepoch(started_at), unixepoch(finished_at) from runs "
        "where kind = ? and status = 'finished' and finished_at is not null order by id desc limit 1",
        [kind]).fetchone()
    return row or (None, None)


def _run_finished(kind: str) -> Source:
    def source(scrape: Scrape) -> Iterable[Row]:
        _, finished = _last_run(scrape, kind)
        return [] if finished is None else [("", finished)]
    return source


def _run_duration(kind: str) -> Source:
    def source(scrape: Scrape) -> Iterable[Row]:
        started, finished = _last_run(scrape, kind)
        return [] if started is None or finished is None else [("", finished - started)]
    return source


def site_info(scrape: Scrape) -> Iterable[Row]:
    # Label names in sorted order, written out: this and unit_info run once per site.
    for site_id, host, role in scrape.conn.execute("select id, host, role from sites where active = 1 order by id"):
        region, unit = scrape.site_labels[site_id]
        yield (f'host="{escape_label(host or "")}",region="{escape_label(region)}",role="{escape_label(role or "")}",'
               f'site="{site_id}",unit="{unit}"'), 1


def unit_info(scrape: Scrape) -> Iterable[Row]:
    for unit_id, region, kind, name, short in scrape.conn.execute(
            "select id, region_code, kind, name, short_name from units order by id"):
        yield (f'region="{escape_label(region or "")}",unit="{unit_id}",unit_kind="{escape_label(kind or "")}",'
               f'unit_name="{escape_label(name or "")}",unit_short="{escape_label(short or "")}"'), 1


def region_info(scrape: Scrape) -> Iterable[Row]:
    for code, name, kind, parent in scrape.conn.execute("select code, name, kind, parent from regions order by code"):
        code = code or ""
        yield label_text({"parent_region": parent or "", "province": code.split(".")[0], "region": code,
                          "region_kind": kind or "", "region_name": name or ""}), 1


def lagging_threshold(scrape: Scrape) -> Iterable[Row]:
    return [("", scrape.settings.lagging_below / 100)]


def stale_after(scrape: Scrape) -> Iterable[Row]:
    return [("", float(scrape.settings.stale_after_days * 86400))]


@dataclass(frozen=True)
class FamilySpec:
    name: str
    help: str
    labels: tuple[str, ...]
    source: Source


FAMILIES: tuple[FamilySpec, ...] = (
    FamilySpec("pantau_site_up",
               "1 when the site's home page answered with a usable page (HTTP status below 400) at its latest "
               "probe (or, before the first probe, its latest crawl), 0 when it did not.", SITE_LABELS, site_up),
    FamilySpec("pantau_site_probe_duration_seconds",
               "Time the latest check of the site's home page took, in seconds.", SITE_LABELS, probe_duration),
    FamilySpec("pantau_site_http_status_code",
               "HTTP status of the site's home page at the latest check; 0 when no response arrived.",
               SITE_LABELS, http_status),
    FamilySpec("pantau_site_tls_cert_expiry_timestamp_seconds",
               "When the certificate the site's home page presented at the latest check expires, as a Unix "
               "timestamp.", SITE_LABELS, tls_expiry),
    FamilySpec("pantau_site_score_ratio",
               "Score of the site's latest scored crawl per dimension (composite included), "
               "from 0 to 1 (the reports' 0-100 divided by 100).", ("dimension", *SITE_LABELS), scores),
    FamilySpec("pantau_site_egov_stage",
               "E-government stage of the site (Inpres 3/2003): 1 persiapan, 2 pematangan, 3 pemantapan, "
               "4 pemanfaatan.", SITE_LABELS, egov_stage),
    FamilySpec("pantau_site_last_content_update_timestamp_seconds",
               "Start (00:00 WIB) of the day of the site's newest credible content date, as a Unix timestamp.",
               SITE_LABELS, last_content_update),
    FamilySpec("pantau_site_mandatory_documents_missing",
               "Required documents (by the site's role and fiscal year, checks/rules/documents.yaml) that are due "
               "and not published on the site.", SITE_LABELS, mandatory_documents_missing),
    FamilySpec("pantau_site_ppid_items_missing",
               "Mandatory PPID items (UU 14/2008, Perki 1/2021; checks/rules/ppid.yaml) not found on the PPID site.",
               SITE_LABELS, _ppid_count("missing")),
    FamilySpec("pantau_site_stale_documents",
               "Periodic PPID items (informasi berkala) whose newest document is older than six months.",
               SITE_LABELS, _ppid_count("stale")),
    FamilySpec("pantau_unit_lagging",
               "1 when the unit (OPD, portal or PPID) is on the lag list, 0 when it is not.",
               UNIT_LABELS, unit_lagging),
    FamilySpec("pantau_unit_reprimand_level",
               "Reprimand level of the unit after its latest judged week: 0 none, 1 Teguran I, 2 Teguran II, "
               "3 Teguran III.", UNIT_LABELS, unit_reprimand_level),
    FamilySpec("pantau_crawl_last_finished_timestamp_seconds",
               "When the latest finished crawl run ended, as a Unix timestamp.", (), _run_finished("crawl")),
    FamilySpec("pantau_crawl_last_duration_seconds",
               "How long the latest finished crawl run took, in seconds.", (), _run_duration("crawl")),
    FamilySpec("pantau_probe_last_finished_timestamp_seconds",
               "When the latest finished probe round ended, as a Unix timestamp.", (), _run_finished("probe")),
    FamilySpec("pantau_probe_last_duration_seconds",
               "How long the latest finished probe round took, in seconds.", (), _run_duration("probe")),
    FamilySpec("pantau_site_info",
               "Always 1: the host and role of each watched site, to join on the site label.",
               ("host", "region", "role", "site", "unit"), site_info),
    FamilySpec("pantau_unit_info",
               "Always 1: the name, short name and kind (opd, portal, ppid) of each unit, to join on the unit label.",
               ("region", "unit", "unit_kind", "unit_name", "unit_short"), unit_info),
    FamilySpec("pantau_region_info",
               "Always 1: the name, kind, parent region and province of each region, to join on the region label.",
               ("parent_region", "province", "region", "region_kind", "region_name"), region_info),
    FamilySpec("pantau_config_lagging_threshold_ratio",
               "Composite score (0 to 1) under which a unit counts as lagging while no weekly lag list is stored.",
               (), lagging_threshold),
    FamilySpec("pantau_config_content_stale_after_seconds",
               "Age of the newest content beyond which a site counts as stale, in seconds.", (), stale_after),
)

DURATION_FAMILY = "pantau_exporter_collect_duration_seconds"
DURATION_HELP = "Time the exporter spent reading the store for this scrape, in seconds."


# --- The collector --------------------------------------------------------------------------

def connect(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing, migrated pantau database."""
    path = Path(db_path)
    if not path.exists():
        raise SchemaError(f"{path}: no such database")
    conn = open_db(path, readonly=True).conn
    try:
        conn.execute("pragma busy_timeout = 5000")
        done = {row[0] for row in conn.execute("select name from _migrations")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise SchemaError(f"{path}: not a pantau database ({exc})") from None
    if REQUIRED_MIGRATION not in done:
        conn.close()
        raise SchemaError(f"{path}: schema is out of date; run `pantau db migrate --db {path}`")
    return conn


class PantauCollector:
    """A stateless prometheus-client collector over a pantau database.

    ``registry.register(PantauCollector("var/pantau.db"))`` works as for any collector;
    ``describe()`` is empty so registering never reads the database.
    """

    def __init__(self, db_path: str | Path, settings: ExporterSettings | None = None,
                 families: tuple[FamilySpec, ...] = FAMILIES):
        self.db_path = db_path
        self.settings = settings or ExporterSettings()
        self.families = families

    def describe(self) -> list:
        return []

    def collect(self) -> Iterator[Family]:
        return self.iter_families(lazy=False)

    def iter_families(self, lazy: bool = True) -> Iterator[Family]:
        """Families in table order, then the collect duration.

        With ``lazy`` the samples of each family are read while it is consumed, so a
        family must be used up before the next one is requested (the server does so).
        """
        start = time.perf_counter()
        conn = connect(self.db_path)
        try:
            conn.execute("begin")  # one snapshot for the whole scrape
            scrape = Scrape(conn, self.settings)
            for spec in self.families:
                rows = iter(spec.source(scrape))
                first = next(rows, None)
                if first is None:  # no data of this kind in this store: no family at all
                    continue
                yield Family(spec.name, spec.help, spec.labels, chain((first,), rows) if lazy else [first, *rows])
            yield Family(DURATION_FAMILY, DURATION_HELP, (), [("", time.perf_counter() - start)])
        finally:
            conn.close()


def render(families: Iterable[Family], batch: int = 5000) -> Iterator[str]:
    """The text exposition format of ``families`` in pieces of about ``batch`` lines."""
    formatted: dict[float, str] = {}
    for family in families:
        yield family.header()
        yield from family.chunks(batch, formatted)
        if len(formatted) > 100_000:  # timestamps rarely repeat; keep the cache small
            formatted.clear()


def metric_names(families: tuple[FamilySpec, ...] = FAMILIES) -> list[str]:
    """Every family name the exporter can emit (which ones a scrape has depends on the store)."""
    return [spec.name for spec in families] + [DURATION_FAMILY]


__all__ = ["ExporterSettings", "FAMILIES", "Family", "FamilySpec", "PantauCollector", "SchemaError", "connect",
           "metric_names", "render"]
