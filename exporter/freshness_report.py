"""``pantau report freshness``: last updated, freshness score, missing documents and PPID score.

Per site, per OPD (unit) and per pemda, from the findings a scoring run stored
(``freshness.score``, ``freshness.newest_content``, ``freshness.required_documents``,
``freshness.ppid``, ``freshness.documents``); nothing here crawls or re-checks. The
terminal table is Indonesian; ``--json`` prints the same rows for machines.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

import click
import sqlite_utils
from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from checks.freshness import SOURCE_NAMES_ID, format_date_id
from crawler.options import db_option

CHECK_IDS = ("freshness.score", "freshness.newest_content", "freshness.required_documents", "freshness.ppid",
             "freshness.documents")

SQL = """
select s.id as site_id, s.url, s.host, s.role, u.id as unit_id, u.name as unit_name, u.kind as unit_kind,
       u.region_code, r.name as region_name, f.check_id, f.passed, f.severity, f.message_id, f.evidence_url, f.detail
from findings f
join sites s on s.id = f.site_id
left join units u on u.id = s.unit_id
left join regions r on r.code = u.region_code
where f.run_id = :run_id and f.check_id in ({checks}) {region_filter}
order by r.code, u.name, s.url, f.id
"""


def _latest_scored_run(db: sqlite_utils.Database) -> int:
    row = next(db.query("select max(run_id) as run_id from findings where check_id = 'freshness.score'"), None)
    if row is None or row["run_id"] is None:
        raise LookupError("no run has freshness scores yet; run `pantau crawl` and `pantau score` first")
    return row["run_id"]


def freshness_rows(db: sqlite_utils.Database, run_id: int | None = None, region: str | None = None) -> dict:
    """``{"run_id", "sites": [...], "units": [...], "pemda": [...]}`` for one scored run.

    A site row carries ``last_updated`` (ISO date or None), ``source``, ``age_days``,
    ``score``, ``missing_documents`` (names, newest fiscal year first), ``ppid`` (score,
    category label, or None) and ``documents`` (the inventory). ``region`` keeps that
    region and its children (a province code keeps its kabupaten and kota).
    """
    run_id = run_id if run_id is not None else _latest_scored_run(db)
    region_filter = ""
    params: dict = {"run_id": run_id}
    if region:
        region_filter = "and (u.region_code = :region or r.parent = :region)"
        params["region"] = region
    sql = SQL.format(checks=", ".join(f"'{c}'" for c in CHECK_IDS), region_filter=region_filter)
    sites: dict[int, dict] = {}
    for row in db.query(sql, params):
        site = sites.setdefault(row["site_id"], {
            "site_id": row["site_id"], "url": row["url"], "host": row["host"], "role": row["role"],
            "unit_id": row["unit_id"], "unit_name": row["unit_name"], "region_code": row["region_code"],
            "region_name": row["region_name"], "last_updated": None, "source": None, "age_days": None,
            "score": None, "missing_documents": [], "ppid": None, "documents": [], "evidence_url": None})
        detail = json.loads(row["detail"] or "{}")
        check = row["check_id"]
        if check == "freshness.score":
            site["score"] = detail.get("score")
        elif check == "freshness.newest_content" and detail.get("newest"):
            site.update(last_updated=detail["newest"], source=detail.get("source"), age_days=detail.get("age_days"),
                        evidence_url=row["evidence_url"])
        elif check == "freshness.required_documents" and not row["passed"]:
            site["missing_documents"] += [f"{m['label']} {detail['fiscal_year']}" for m in detail.get("missing", [])]
        elif check == "freshness.ppid" and "score" in detail:
            site["ppid"] = {"score": detail.get("score"), "category": detail.get("category"),
                            "category_label": detail.get("category_label"), "missing": detail.get("missing"),
                            "stale": detail.get("stale"), "estimate": True}
        elif check == "freshness.documents":
            site["documents"] = detail.get("documents", [])
    site_rows = list(sites.values())
    return {"run_id": run_id, "sites": site_rows, "units": _aggregate(site_rows, "unit_id"),
            "pemda": _aggregate(site_rows, "region_code")}


def _aggregate(sites: list[dict], key: str) -> list[dict]:
    """Mean freshness score and the newest "last updated" of each unit (or pemda)."""
    groups: dict = defaultdict(list)
    for site in sites:
        groups[site[key]].append(site)
    out = []
    for value, members in groups.items():
        scores = [m["score"] for m in members if m["score"] is not None]
        dates = [m["last_updated"] for m in members if m["last_updated"]]
        first = members[0]
        out.append({key: value, "name": first["unit_name"] if key == "unit_id" else first["region_name"],
                    "region_name": first["region_name"], "sites": len(members),
                    "score": round(sum(scores) / len(scores), 1) if scores else None,
                    "last_updated": max(dates) if dates else None,
                    "missing_documents": sum(len(m["missing_documents"]) for m in members)})
    out.sort(key=lambda row: (row["score"] if row["score"] is not None else -1, row["name"] or ""))
    return out


def _date_id(value: str | None) -> str:
    return format_date_id(dt.date.fromisoformat(value)) if value else "-"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def print_freshness(report: dict, console: Console, documents: bool = False) -> None:
    """The per-site table (worst first), then per OPD and per pemda; optionally the inventories."""
    sites = sorted(report["sites"], key=lambda s: (s["score"] if s["score"] is not None else -1, s["url"]))
    table = Table(title=f"Kebaruan situs (perayapan #{report['run_id']})", show_lines=True)
    for name, justify in (("Pemda", "left"), ("Unit", "left"), ("Terakhir diperbarui", "left"), ("Umur", "right"),
                          ("Skor", "right"), ("Dokumen wajib belum ada", "left"), ("PPID (perkiraan)", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for site in sites:
        when = _date_id(site["last_updated"])
        if site["source"]:
            when += f"\n({SOURCE_NAMES_ID.get(site['source'], site['source'])})"
        ppid = site["ppid"]
        cells = [site["region_name"] or "-", f"{site['unit_name'] or site['host']}\n{site['url']}", when,
                 "-" if site["age_days"] is None else f"{site['age_days']} hari", _number(site["score"]),
                 ", ".join(site["missing_documents"]) or "-",
                 f"{_number(ppid['score'])} {ppid['category_label']}" if ppid else "-"]
        table.add_row(*(escape_markup(str(c)) for c in cells))
    console.print(table)
    for key, title in (("units", "Skor kebaruan per OPD"), ("pemda", "Skor kebaruan per pemda")):
        summary = Table(title=title)
        for name, justify in (("Nama", "left"), ("Pemda", "left"), ("Situs", "right"), ("Skor rata-rata", "right"),
                              ("Terakhir diperbarui", "left"), ("Dokumen wajib belum ada", "right")):
            summary.add_column(name, justify=justify, overflow="fold")
        for row in report[key]:
            summary.add_row(*(escape_markup(str(c)) for c in (
                row["name"] or "-", row["region_name"] or "-", row["sites"], _number(row["score"]),
                _date_id(row["last_updated"]), row["missing_documents"])))
        console.print(summary)
    console.print("Skor dan kategori PPID adalah perkiraan pantau dari situs web saja, "
                  "bukan penilaian resmi Komisi Informasi.")
    if documents:
        for site in sites:
            if not site["documents"]:
                continue
            inventory = Table(title=f"Dokumen {site['url']}")
            for name in ("Kategori", "Tahun", "Judul / berkas", "Tanggal terbaru", "Status"):
                inventory.add_column(name, overflow="fold")
            for doc in site["documents"]:
                year = doc.get("fiscal_year") or ("-".join(map(str, doc["period"])) if doc.get("period") else "-")
                inventory.add_row(*(escape_markup(str(c)) for c in (
                    doc["category_label"], year, f"{doc.get('title') or doc['file']}\n{doc['url']}",
                    _date_id(doc.get("newest")), "terbit" if doc.get("published") else "rusak")))
            console.print(inventory)


@click.command("freshness")
@db_option
@click.option("--run", "run_id", type=int, help="Scored run to report (default: the newest run with freshness scores).")
@click.option("--region", help="Only units of this region or its child regions (Kemendagri code, e.g. 15).")
@click.option("--documents", is_flag=True, help="Also list every site's document inventory.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON instead of tables.")
def freshness(db_path: str, run_id: int | None, region: str | None, documents: bool, as_json: bool) -> None:
    """Last updated, freshness score 0-100, missing required documents and PPID estimate, per site, OPD and pemda."""
    from storage.db import open_db

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau db migrate` and `pantau crawl` first")
    db = open_db(db_path, readonly=True)
    try:
        report = freshness_rows(db, run_id, region)
    except LookupError as exc:
        raise click.ClickException(f"{db_path}: {exc}") from None
    if not report["sites"]:
        raise click.ClickException(f"{db_path}: run {report['run_id']} has no freshness findings"
                                   + (f" for region {region}" if region else ""))
    if as_json:
        if not documents:
            for site in report["sites"]:
                site.pop("documents")
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print_freshness(report, Console() if sys.stdout.isatty() else Console(width=200), documents)
