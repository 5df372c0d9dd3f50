"""Per-scope tables of the Inpres 3/2003 e-government stages (seed 000, Table 3).

A pemda counts at the stage of its portal; a province row counts the province itself and
its kabupaten and kota, as the seed does. Within one pemda the same table is built over its
agencies (OPD and PPID sites). Everything comes from the ``interaction.stage`` findings a
scoring run stored (their ``detail`` JSON); nothing here crawls or re-checks.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from dataclasses import dataclass, field

import click
import sqlite_utils

from checks.freshness import format_date_id
from checks.stages import CHECK_ID, REQUIREMENTS, STAGE_BY_NUMBER, STAGES
from crawler.options import db_option
from exporter.lag import get_run, region_row

UNIT_ROLES = ("opd", "ppid")
NOT_ASSESSED = "Tidak dinilai"

SITES_SQL = """
select s.id as site_id, s.url, s.host, s.role, u.name as unit_name, u.short_name as unit_short,
       u.region_code, r.name as region_name, r.kind as region_kind, r.parent as region_parent,
       f.detail as detail
from sites s
join units u on u.id = s.unit_id
join regions r on r.code = u.region_code
left join findings f on f.site_id = s.id and f.run_id = :run_id and f.check_id = :check_id
where s.active = 1 {where}
order by u.region_code, s.role, u.name, s.id
"""


class NoStagesError(LookupError):
    """The run exists but no stage was stored for it."""


@dataclass
class SiteStage:
    site_id: int
    url: str
    host: str
    role: str
    unit_name: str
    region_code: str
    region_name: str
    stage: int | None  # None: not assessed (not crawled, unreadable, or not scored)
    score: int | None
    missing: list[str] = field(default_factory=list)  # requirement keys the next stage still needs

    @property
    def stage_label(self) -> str:
        return f"{self.stage} {STAGE_BY_NUMBER[self.stage].name}" if self.stage else NOT_ASSESSED

    @property
    def missing_label(self) -> str:
        if not self.stage:
            return ""
        return ", ".join(REQUIREMENTS[k].label_id for k in self.missing) or "-"


@dataclass
class ScopeRow:
    """One line of Table 3: how many units, and how many of them at each stage."""

    label: str
    units: int
    counts: dict[int, int]
    not_assessed: int


def stage_run(db: sqlite_utils.Database, run_id: int | None = None) -> dict:
    """The run to report (default: the latest finished crawl) after checking it has stages."""
    run = get_run(db, run_id)
    found = next(db.query("select 1 from findings where run_id = ? and check_id = ? limit 1", [run["id"], CHECK_ID]),
                 None)
    if found is None:
        raise NoStagesError(f"run {run['id']} has no e-government stages yet; "
                            f"run `pantau score --run {run['id']}` first")
    return run


def site_stages(db: sqlite_utils.Database, run_id: int, where: str = "", params: dict | None = None) -> list[SiteStage]:
    """Every active registered site (filtered by ``where``) with its stage in run ``run_id``."""
    rows = db.query(SITES_SQL.format(where=where), {"run_id": run_id, "check_id": CHECK_ID, **(params or {})})
    out = []
    for row in rows:
        detail = json.loads(row.pop("detail") or "{}")
        nxt = detail.get("next") or {}
        out.append(SiteStage(row["site_id"], row["url"], row["host"], row["role"], row["unit_name"],
                             row["region_code"], row["region_name"], detail.get("stage"), detail.get("score"),
                             list(nxt.get("missing") or [])))
    return out


def _best(stages: list[SiteStage]) -> SiteStage | None:
    """A unit's site with the highest stage (a pemda with two portals counts at its better one)."""
    assessed = [s for s in stages if s.stage]
    if assessed:
        return max(assessed, key=lambda s: (s.stage, s.score or 0, -s.site_id))
    return stages[0] if stages else None


def count_row(label: str, units: list[SiteStage | None]) -> ScopeRow:
    counts = {stage.number: 0 for stage in STAGES}
    for unit in units:
        if unit is not None and unit.stage:
            counts[unit.stage] += 1
    return ScopeRow(label, len(units), counts, sum(1 for u in units if u is None or not u.stage))


def short_region_name(name: str) -> str:
    """'Provinsi Jambi' -> 'Jambi'."""
    return name[len("Provinsi "):] if name.startswith("Provinsi ") else name


def pemda_of(db: sqlite_utils.Database, province: str) -> list[dict]:
    """The pemda of a province: the province itself, then its kabupaten and kota."""
    return list(db.query("select code, name, kind from regions where code = ? or (parent = ? and kind in "
                         "('kabupaten', 'kota')) order by code", [province, province]))


def portal_stages(db: sqlite_utils.Database, run_id: int, province: str) -> list[tuple[dict, SiteStage | None]]:
    """Each pemda of ``province`` with the stage of its portal (None when it has no portal site)."""
    portals = site_stages(db, run_id, "and s.role = 'portal' and (u.region_code = :p or r.parent = :p)",
                          {"p": province})
    by_region: dict[str, list[SiteStage]] = {}
    for site in portals:
        by_region.setdefault(site.region_code, []).append(site)
    return [(pemda, _best(by_region.get(pemda["code"], []))) for pemda in pemda_of(db, province)]


def national_table(db: sqlite_utils.Database, run_id: int) -> tuple[list[ScopeRow], int]:
    """One row per province with at least one assessed pemda, then the total; and how many
    provinces had no assessed pemda in this run."""
    rows, skipped, everyone = [], 0, []
    for province in db.query("select code, name from regions where kind = 'provinsi' order by code"):
        pemda = [stage for _, stage in portal_stages(db, run_id, province["code"])]
        row = count_row(short_region_name(province["name"]), pemda)
        if row.units == row.not_assessed:
            skipped += 1
            continue
        rows.append(row)
        everyone += pemda
    if rows:
        rows.append(count_row("Total", everyone))
    return rows, skipped


def province_table(db: sqlite_utils.Database, run_id: int, province: str) -> tuple[ScopeRow, list[tuple[dict, SiteStage | None]]]:
    region = region_row(db, province)
    pemda = portal_stages(db, run_id, province)
    return count_row(short_region_name(region["name"]), [stage for _, stage in pemda]), pemda


def pemda_table(db: sqlite_utils.Database, run_id: int, pemda: str) -> tuple[ScopeRow, list[SiteStage]]:
    """The agencies of one pemda (OPD and PPID sites; one row per unit at its best site)."""
    region = region_row(db, pemda)
    sites = site_stages(db, run_id, "and u.region_code = :c and s.role in ('opd', 'ppid')", {"c": pemda})
    by_unit: dict[str, list[SiteStage]] = {}
    for site in sites:
        by_unit.setdefault(site.unit_name, []).append(site)
    units = [_best(group) for group in by_unit.values()]
    return count_row(region["name"], units), units


# --- text rendering --------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def render_table(headers: list[str], rows: list[list], numeric: set[int] | None = None) -> str:
    """A plain fixed-width table: numbers right-aligned, text left-aligned, two spaces between."""
    numeric = numeric or set()
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            parts.append(pad + cell if i in numeric else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def table3(rows: list[ScopeRow], first: str, units: str) -> str:
    """Seed 000's Table 3 layout; a "Tidak dinilai" column only when some unit was not assessed."""
    extra = any(r.not_assessed for r in rows)
    headers = [first, units] + [s.name for s in STAGES] + ([NOT_ASSESSED] if extra else [])
    body = [[r.label, r.units] + [r.counts[s.number] for s in STAGES] + ([r.not_assessed] if extra else [])
            for r in rows]
    return render_table(headers, body, numeric=set(range(1, len(headers))))


def _title(run: dict, scope: str) -> str:
    when = (run.get("finished_at") or run.get("started_at") or "")[:10]
    date = format_date_id(dt.date.fromisoformat(when)) if when else "?"
    return (f"Tahap e-government situs pemerintah daerah (Inpres 3/2003), perayapan #{run['id']}, {date}\n"
            f"Cakupan: {scope}")


def stages_report(db: sqlite_utils.Database, run_id: int | None = None, province: str | None = None,
                  pemda: str | None = None) -> str:
    """The whole text report: the nation, one province with its pemda, or one pemda with its agencies."""
    if province and pemda:
        raise ValueError("give a province or a pemda, not both")
    run = stage_run(db, run_id)
    out = []
    if pemda:
        region = region_row(db, pemda)
        row, units = pemda_table(db, run["id"], pemda)
        out += [_title(run, f"{region['name']} ({pemda}), per perangkat daerah"), "",
                table3([row], "Pemda", "Unit"), ""]
        body = [[u.unit_name, u.role, u.host, u.stage_label, u.score, u.missing_label] for u in units]
        out.append(render_table(["Unit", "Peran", "Situs", "Tahap", "Skor", "Belum ada untuk tahap berikutnya"],
                                body, numeric={4}))
    elif province:
        region = region_row(db, province)
        row, pemdas = province_table(db, run["id"], province)
        out += [_title(run, f"{region['name']} ({province})"), "", table3([row], "Provinsi", "Pemda"), ""]
        body = [[p["name"], s.host if s else "-", s.stage_label if s else NOT_ASSESSED, s.score if s else None,
                 s.missing_label if s else ""] for p, s in pemdas]
        out.append(render_table(["Pemda", "Situs", "Tahap", "Skor", "Belum ada untuk tahap berikutnya"], body,
                                numeric={3}))
    else:
        rows, skipped = national_table(db, run["id"])
        out += [_title(run, "nasional"), ""]
        out.append(table3(rows, "Provinsi", "Pemda") if rows else "Belum ada pemda yang dinilai pada perayapan ini.")
        if skipped:
            out += ["", f"{skipped} provinsi lain belum dinilai pada perayapan ini."]
    return "\n".join(out) + "\n"


REGION_CODE_HELP = "Kemendagri code"


@click.command("stages")
@db_option
@click.option("--run", "run_id", type=int, help="Scored run to report (default: the latest finished crawl).")
@click.option("--province", help=f"One province ({REGION_CODE_HELP}, e.g. 15) and each of its pemda.")
@click.option("--pemda", help=f"One pemda ({REGION_CODE_HELP}, e.g. 15.71) and each of its agencies (OPD, PPID).")
def stages_command(db_path: str, run_id: int | None, province: str | None, pemda: str | None) -> None:
    """E-government stages (Inpres 3/2003) per province, as seed 000's Table 3: pemda per stage
    for the nation or one --province, or agencies per stage within one --pemda."""
    from storage.db import open_db

    if province and pemda:
        raise click.UsageError("give either --province or --pemda, not both")
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau db migrate` and `pantau crawl` first")
    db = open_db(db_path, readonly=True)
    try:
        click.echo(stages_report(db, run_id=run_id, province=province, pemda=pemda), nl=False)
    except LookupError as exc:
        raise click.ClickException(f"{db_path}: {exc}") from None
