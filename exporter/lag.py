"""The lag list: every unit's site ranked by its composite score, worst first.

This is the weekly list the regional secretary (Sekda) reads: who lags, and why,
with a link to the page that proves it. Rows come from the ``scores`` and
``findings`` a scoring run stored; nothing here crawls or re-checks.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import sqlite_utils
from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from checks.base import DIMENSIONS
from checks.freshness import format_date_id
from checks.scoring import SEVERITY_RANK
from storage.db import utcnow

MAX_REASONS = 3
DEFAULT_REPORT_DIR = Path("var/reports")


class NoScoresError(LookupError):
    """The run exists but has not been scored."""


def latest_finished_run(db: sqlite_utils.Database) -> dict | None:
    """The newest crawl run that finished, or None."""
    return next(db.query("select * from runs where kind = 'crawl' and status = 'finished' "
                         "order by id desc limit 1"), None)


def region_row(db: sqlite_utils.Database, region: str) -> dict:
    """The ``regions`` row of a Kemendagri code; ``LookupError`` when it is not registered."""
    row = next(db.query("select code, name, parent from regions where code = ?", [region]), None)
    if row is None:
        raise LookupError(f"unknown region {region!r}")
    return row


def get_run(db: sqlite_utils.Database, run_id: int | None = None) -> dict:
    """The run row for ``run_id``, or the latest finished crawl run when it is None."""
    if run_id is None:
        run = latest_finished_run(db)
        if run is None:
            raise LookupError("no finished crawl run in the database; run `pantau crawl` first")
        return run
    run = next(db.query("select * from runs where id = ?", [run_id]), None)
    if run is None:
        raise LookupError(f"no run with id {run_id}")
    return run


ROWS_SQL = """
select s.id as site_id, s.url, s.host, s.role, u.name as unit_name, u.short_name as unit_short,
       u.kind as unit_kind, u.region_code, r.name as region_name, r.parent as region_parent,
       max(case when sc.dimension = 'composite' then sc.score end) as composite,
       {dimension_columns}
from scores sc
join sites s on s.id = sc.site_id
left join units u on u.id = s.unit_id
left join regions r on r.code = u.region_code
where sc.run_id = :run_id {region_filter}
group by s.id
order by composite, availability, u.name, s.url
"""


def _reasons(db: sqlite_utils.Database, run_id: int) -> dict[int, list[dict]]:
    """The failing findings of each site, most severe first, as reasons for the lag list.

    "No evidence" findings only restate that a site could not be read; they are dropped
    when the site has a more telling reason (usually: it is down).
    """
    by_site: dict[int, list[dict]] = {}
    rows = db.query("select site_id, check_id, dimension, severity, message_id, message_en, evidence_url, "
                    "detail from findings where run_id = ? and passed = 0 order by id", [run_id])
    for row in rows:
        detail = json.loads(row.pop("detail") or "{}")
        row["no_evidence"] = bool(detail.get("no_evidence"))
        by_site.setdefault(row.pop("site_id"), []).append(row)
    order = {dimension: i for i, dimension in enumerate(DIMENSIONS)}
    for site_id, found in by_site.items():
        if any(not f["no_evidence"] for f in found):
            found = [f for f in found if not f["no_evidence"]]
        found.sort(key=lambda f: (-SEVERITY_RANK[f["severity"]], order.get(f["dimension"], 9), f["check_id"]))
        by_site[site_id] = found[:MAX_REASONS]
    return by_site


def lag_rows(db: sqlite_utils.Database, run_id: int | None = None, region: str | None = None) -> list[dict]:
    """Sites of run ``run_id`` (default: the latest finished crawl) ranked worst first.

    ``region`` keeps units of that region or of its child regions (a province code keeps
    its kabupaten and kota). Ties share a rank. Raises ``NoScoresError`` when the run has
    not been scored yet and ``LookupError`` when there is no such run.
    """
    run = get_run(db, run_id)
    run_id = run["id"]
    if next(db.query("select 1 from scores where run_id = ? limit 1", [run_id]), None) is None:
        raise NoScoresError(f"run {run_id} has no scores yet; run `pantau score --run {run_id}` first")
    columns = ",\n       ".join(f"max(case when sc.dimension = '{d}' then sc.score end) as {d}" for d in DIMENSIONS)
    region_filter = "and (u.region_code = :region or r.parent = :region)" if region else ""
    sql = ROWS_SQL.format(dimension_columns=columns, region_filter=region_filter)
    rows = list(db.query(sql, {"run_id": run_id, "region": region}))
    reasons = _reasons(db, run_id)
    previous = None
    for position, row in enumerate(rows, start=1):
        if row["composite"] != previous:
            rank, previous = position, row["composite"]
        row["rank"] = rank
        row["run_id"] = run_id
        row["pemda"] = row["region_name"]
        row["reasons"] = reasons.get(row["site_id"], [])
    return rows


# --- HTML -----------------------------------------------------------------------------------

ROLE_ID = {"portal": "Portal pemda", "opd": "OPD", "ppid": "PPID"}

PAGE = Template("""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.2em; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.4em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.skor { text-align: right; white-space: nowrap; }
td.buruk { background: #fbe3e3; }
td.sedang { background: #fdf3d7; }
td.baik { background: #e3f4e3; }
ul.alasan { margin: 0; padding-left: 1.1em; }
small { color: #666; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="meta">$meta</p>
<p>Diurutkan dari skor gabungan terendah. Setiap skor bernilai 0&ndash;100; situs yang tidak dapat
dibuka mendapat 0 pada semua dimensi. Setiap alasan menautkan ke halaman yang menjadi buktinya.</p>
<table>
<thead>
<tr><th>Peringkat</th><th>Pemda</th><th>Unit</th><th>Skor</th><th>Ketersediaan</th><th>Aksesibilitas</th>\
<th>Interaksi</th><th>Kebaruan</th><th>Alasan</th></tr>
</thead>
<tbody>
$rows
</tbody>
</table>
</body>
</html>
""")


def _date_id(stamp: str | None) -> str:
    """'2026-11-23T10:00:00+00:00' -> '23 November 2026'."""
    return format_date_id(dt.date.fromisoformat(stamp[:10])) if stamp else "-"


def _score_cell(score: float | None, decimals: int = 0) -> str:
    if score is None:
        return '<td class="skor">-</td>'
    band = "buruk" if score < 50 else "sedang" if score < 75 else "baik"
    return f'<td class="skor {band}">{score:.{decimals}f}</td>'.replace(".", ",")


def _link(url: str | None, text: str) -> str:
    """A link only to a web address: evidence URLs come from crawled pages."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def _row_html(row: dict) -> str:
    reasons = "".join(f"<li>{_link(r['evidence_url'], r['message_id'])}</li>" for r in row["reasons"])
    unit = row.get("unit_name") or row.get("host") or row["url"]
    role = ROLE_ID.get(row.get("role") or "", row.get("role") or "")
    cells = [
        f'<td class="skor">{row["rank"]}</td>',
        f"<td>{escape(row.get('pemda') or '-')}</td>",
        f"<td>{escape(unit)}<br><small>{escape(role)} &middot; {_link(row['url'], row['url'])}</small></td>",
        _score_cell(row["composite"], decimals=1),
        *(_score_cell(row[d]) for d in DIMENSIONS),
        f'<td><ul class="alasan">{reasons}</ul></td>' if reasons else "<td>-</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_lag_html(rows: list[dict], meta: dict) -> str:
    """The lag list as a standalone Indonesian HTML page.

    ``meta`` may carry ``run_id``, ``run_finished_at`` (or ``run_started_at``),
    ``region`` and ``region_name``, and ``generated_at``.
    """
    parts = []
    if meta.get("run_id") is not None:
        parts.append(f"Perayapan #{meta['run_id']}, "
                     f"{_date_id(meta.get('run_finished_at') or meta.get('run_started_at'))}")
    if meta.get("region"):
        parts.append(f"Wilayah {meta['region']} {meta.get('region_name') or ''}".strip())
    parts.append(f"{len(rows)} situs")
    if meta.get("generated_at"):
        parts.append(f"dibuat {_date_id(meta['generated_at'])}")
    body = "\n".join(_row_html(row) for row in rows) or '<tr><td colspan="9">Tidak ada data.</td></tr>'
    return PAGE.substitute(title="Daftar Keterlambatan OPD", meta=escape(" · ".join(parts)), rows=body)


# --- Writing and printing -------------------------------------------------------------------

def default_report_path(run: dict, out_dir: Path | str = DEFAULT_REPORT_DIR) -> Path:
    """<out_dir>/lag-<run id>-<date the run finished>.html"""
    stamp = run.get("finished_at") or run.get("started_at") or dt.date.today().isoformat()
    return Path(out_dir) / f"lag-{run['id']}-{stamp[:10]}.html"


def print_lag_table(rows: list[dict], console: Console | None = None, top: int | None = None) -> None:
    """The lag list as a rich table on the terminal (crawled text is never read as markup).

    ``top`` keeps only the worst rows on screen; the rest are counted in a closing line.
    """
    if console is None:
        # Piped output ends up in files and mail: give it room instead of rich's 80 columns.
        console = Console() if sys.stdout.isatty() else Console(width=200)
    if not rows:
        console.print("no scored site matches")
        return
    table = Table(title="Daftar Keterlambatan OPD", show_lines=True)
    for name, justify in (("#", "right"), ("Pemda", "left"), ("Unit", "left"), ("Peran", "left"),
                          ("Skor", "right"), ("Ket.", "right"), ("Aks.", "right"), ("Int.", "right"),
                          ("Keb.", "right"), ("Alasan", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    shown = rows[:top] if top else rows
    for row in shown:
        reasons = "\n".join(f"• {r['message_id']}\n  {r['evidence_url'] or ''}" for r in row["reasons"])
        cells = [str(row["rank"]), row["pemda"] or "-", row["unit_name"] or row["url"], row["role"] or "-",
                 f"{row['composite']:.1f}", *(f"{row[d]:.0f}" for d in DIMENSIONS), reasons or "-"]
        table.add_row(*(escape_markup(cell) for cell in cells))
    console.print(table)
    if len(shown) < len(rows):
        console.print(f"{len(rows) - len(shown)} more units, better ranked, are in the HTML report")


def write_lag_report(db: sqlite_utils.Database, run_id: int | None = None, region: str | None = None,
                     out_dir: Path | str = DEFAULT_REPORT_DIR, path: Path | str | None = None,
                     console: bool = False, top: int | None = None) -> Path:
    """Write the lag list of ``run_id`` (default: latest finished crawl) as HTML; return its path.

    ``path`` overrides ``out_dir`` and the default file name. With ``console`` the table is
    also printed (only the ``top`` worst rows when given). Raises ``LookupError`` (``NoScoresError`` included) like ``lag_rows`` and
    for an unknown region.
    """
    run = get_run(db, run_id)
    region_name = region_row(db, region)["name"] if region else None
    rows = lag_rows(db, run["id"], region)
    if console:
        print_lag_table(rows, top=top)
    meta = {"run_id": run["id"], "run_started_at": run.get("started_at"), "run_finished_at": run.get("finished_at"),
            "region": region, "region_name": region_name, "generated_at": utcnow()}
    target = Path(path) if path else default_report_path(run, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_lag_html(rows, meta), encoding="utf-8")
    return target
