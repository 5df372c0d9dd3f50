"""The weekly lag report for the Sekda: one pemda, or the national roll-up, as HTML, PDF and XLSX.

``build_report`` judges the week (``exporter.weekly.judge_week``) and gathers what the
report shows; ``write_report`` writes the files under ``<out>/<week>/`` with names that
say what they are (``laporan-mingguan-2026-W47-15.pdf``), the draft letters for every new
reprimand under ``<out>/<week>/surat-teguran/``, and refreshes ``<out>/index.html``, the
index of every week written so far. Text for people is Indonesian; the same week judged
again gives the same files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import sqlite_utils

from checks.freshness import format_date_id
from crawler.lagconfig import LagConfig, rule_criteria_id
from crawler.lagrules import number_id
from exporter import weekly_charts
from exporter.weekly import UnitVerdict, default_as_of, history, judge_week, level_counts, rank, utc_iso
from exporter.weekly_ladder import ROMAN, Week, level_name

TEMPLATES = Path(__file__).with_name("templates")
CHANGE_ID = {"new": "Baru tertinggal", "resolved": "Sudah tidak tertinggal", "better": "Membaik",
             "worse": "Memburuk", "same": "Tetap", "no_data": "Tidak ada data"}
ACTION_ID = {"escalate": "naik", "step_down": "turun", "reset": "dihapus"}
TZ_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}
ROLL_UP_TOP = 25  # the national roll-up lists this many of the worst units
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass
class WeeklyReport:
    week: Week
    as_of: dt.datetime
    region: dict | None  # {"code", "name"}; None for the national roll-up
    config: LagConfig
    verdicts: list[UnitVerdict]  # ranked, worst first
    weeks: list[str]  # the trend window, oldest first
    counts: list[dict]  # per week of the window, for the summary chart
    pemda: list[dict] = field(default_factory=list)  # roll-up rows, national report only

    @property
    def scope(self) -> str:
        return self.region["code"] if self.region else "nasional"

    @property
    def steps(self) -> list[UnitVerdict]:
        return [v for v in self.verdicts if v.step_row is not None]

    @property
    def run_ids(self) -> list[int]:
        return sorted({run for v in self.verdicts for run in v.run_ids})

    @property
    def title(self) -> str:
        where = self.region["name"] if self.region else "Nasional"
        return f"Laporan Mingguan Keterlambatan OPD — {where} — {self.week.label}"

    def file_stem(self) -> str:
        return f"laporan-mingguan-{self.week.label}-{self.scope}"


def build_report(db: sqlite_utils.Database, week: Week, region: str | None, config: LagConfig,
                 as_of: dt.datetime | None = None) -> WeeklyReport:
    """Judge ``week`` for one pemda (or every pemda) and gather the report's contents."""
    region_row = None
    if region is not None:
        region_row = next(db.query("select code, name from regions where code = ?", [region]), None)
        if region_row is None:
            raise LookupError(f"unknown region {region!r}")
    as_of = as_of or default_as_of(week)
    verdicts = judge_week(db, week, region, config, as_of)
    weeks_n = config.report.trend_weeks
    ranked = rank(verdicts)
    unit_ids = [v.unit["unit_id"] for v in ranked]
    shown = ranked if region is not None else ranked[:ROLL_UP_TOP]
    trend = history(db, [v.unit["unit_id"] for v in shown], week, weeks_n)
    for v in shown:
        v.history = trend[v.unit["unit_id"]]
    report = WeeklyReport(week=week, as_of=as_of, region=region_row, config=config, verdicts=ranked,
                          weeks=[week.shift(-back).label for back in range(weeks_n - 1, -1, -1)],
                          counts=level_counts(db, unit_ids, week, weeks_n))
    if region is None:
        report.pemda = roll_up(ranked)
    return report


def roll_up(verdicts: list[UnitVerdict]) -> list[dict]:
    """One row per pemda: units judged, lagging, new, resolved, per level; most lagging share first."""
    rows: dict[str, dict] = {}
    for v in verdicts:
        row = rows.setdefault(v.unit["region_code"], {
            "region_code": v.unit["region_code"], "region_name": v.unit["region_name"], "units": 0, "judged": 0,
            "lagging": 0, "new": 0, "resolved": 0, "levels": {}, "scores": []})
        row["units"] += 1
        if not v.has_data:
            continue
        row["judged"] += 1
        row["scores"].append(v.composite)
        row["lagging"] += int(bool(v.lagging))
        row["new"] += int(v.change == "new")
        row["resolved"] += int(v.change == "resolved")
        if v.level:
            row["levels"][v.level] = row["levels"].get(v.level, 0) + 1
    for row in rows.values():
        scores = row.pop("scores")
        row["mean_composite"] = round(sum(scores) / len(scores), 1) if scores else None
        row["lagging_share"] = round(100 * row["lagging"] / row["judged"], 1) if row["judged"] else None
    return sorted(rows.values(), key=lambda r: (-(r["lagging_share"] or 0), r["mean_composite"] or 0,
                                                 r["region_code"]))


# --- words ----------------------------------------------------------------------------------

def tz_name(hours: int) -> str:
    return TZ_NAMES.get(hours, f"UTC{hours:+d}")


def when_id(moment: dt.datetime, tz_hours: int) -> str:
    """'23 November 2026 pukul 00.00 WIB'."""
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=tz_hours)))
    return f"{format_date_id(local.date())} pukul {local:%H.%M} {tz_name(tz_hours)}"


def week_span_id(week: Week) -> str:
    """'Minggu ke-47 tahun 2026 (16–22 November 2026)'."""
    monday, sunday = week.monday, week.sunday
    if monday.month == sunday.month:
        span = f"{monday.day}–{format_date_id(sunday)}"
    elif monday.year == sunday.year:
        span = f"{format_date_id(monday).rsplit(' ', 1)[0]} – {format_date_id(sunday)}"
    else:
        span = f"{format_date_id(monday)} – {format_date_id(sunday)}"
    return f"Minggu ke-{week.number} tahun {week.year} ({span})"


def status_id(v: UnitVerdict) -> str:
    if not v.has_data:
        return "Tidak ada data"
    return "Tertinggal" if v.lagging else "Tidak tertinggal"


def level_id(v: UnitVerdict) -> str:
    """'Teguran II (naik dari Teguran I)'."""
    text = level_name(v.level) if v.level else ("Tidak ada" if v.action else "-")
    if v.action:
        text += f" ({ACTION_ID[v.action]} dari {level_name(v.previous_level)})" if v.previous_level else \
            f" ({ACTION_ID[v.action]})"
    return text


def score_id(value: float | None) -> str:
    return "-" if value is None else number_id(value)


def ladder_id(config: LagConfig) -> str:
    ladder = config.ladder
    steps = ", ".join(f"Teguran {ROMAN[i + 1]} setelah {w} minggu berturut-turut"
                      for i, w in enumerate(ladder.escalate_after_weeks))
    fixed = (f"turun satu tingkat setelah {ladder.fixed_weeks} minggu tidak tertinggal"
             if ladder.when_fixed == "step_down" else
             f"dihapus setelah {ladder.fixed_weeks} minggu tidak tertinggal")
    return f"Tangga teguran: {steps}; paling banyak naik satu tingkat per minggu; teguran {fixed}."


# --- HTML -----------------------------------------------------------------------------------

def _link(url: str | None, text: str) -> str:
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def reasons_html(reasons: list[dict]) -> str:
    if not reasons:
        return ""
    items = []
    for reason in reasons:
        proofs = "".join(f"<li>{_link(e['url'], e['text'])}</li>" for e in reason["evidence"])
        items.append(f"<li>{escape(reason['message_id'])}" + (f'<ul class="bukti">{proofs}</ul>' if proofs else "")
                     + "</li>")
    return f'<ul class="alasan">{"".join(items)}</ul>'


def _unit_row(position: int, v: UnitVerdict, report: WeeklyReport, with_region: bool) -> str:
    unit = v.unit
    sites = "<br>".join(_link(s["url"], s["url"]) for s in unit["sites"])
    status_class = "kosong" if not v.has_data else "tertinggal" if v.lagging else "baik"
    lack = reasons_html(v.reasons) or ("<small>Tidak ada data perayapan minggu ini.</small>" if not v.has_data
                                       else "<small>Tidak ada kriteria yang terlampaui.</small>")
    trend = weekly_charts.trend_svg(report.weeks, v.history, f"u{unit['unit_id']}-") if v.history else ""
    cells = [
        f'<td class="angka">{position}</td>',
        *([f"<td>{escape(unit['region_name'])}</td>"] if with_region else []),
        f"<td><strong>{escape(unit['unit_name'])}</strong><br><small>{sites}</small></td>",
        f'<td class="angka">{score_id(v.composite)}<br><small>({score_id(v.previous_composite)})</small></td>',
        f'<td class="{status_class}">{status_id(v)}</td>',
        f"<td>{CHANGE_ID[v.change]}</td>",
        f'<td class="angka">{v.streak}</td>',
        f'<td class="teguran-{v.level}">{escape(level_id(v))}</td>',
        f"<td>{lack}</td>",
        f'<td class="tren">{trend}</td>',
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def _units_table(report: WeeklyReport, verdicts: list[UnitVerdict], with_region: bool) -> str:
    head = ("<tr><th>No</th>" + ("<th>Pemda</th>" if with_region else "") +
            "<th>Unit dan situs</th><th>Skor<br><small>(minggu lalu)</small></th><th>Status</th><th>Perubahan</th>"
            "<th>Minggu berturut-turut</th><th>Teguran</th><th>Yang perlu dibenahi</th>"
            f"<th>Tren {len(report.weeks)} minggu</th></tr>")
    rows = "\n".join(_unit_row(i, v, report, with_region) for i, v in enumerate(verdicts, start=1))
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _steps_html(report: WeeklyReport, letters: dict[int, dict]) -> str:
    if not report.steps:
        return "<p>Tidak ada perubahan tingkat teguran minggu ini.</p>"
    items = []
    for v in report.steps:
        row = v.step_row
        text = (f"{escape(v.unit['unit_name'])}: {escape(level_name(row['from_level']))} → "
                f"{escape(level_name(row['to_level']))}")
        if row["deadline"]:
            text += f", batas perbaikan {format_date_id(dt.date.fromisoformat(row['deadline']))}"
        files = letters.get(v.unit["unit_id"])
        if files:
            text += " — draf surat: " + ", ".join(
                f'<a href="{escape(p, quote=True)}">{escape(Path(p).name)}</a>' for p in files["relative"])
        items.append(f"<li>{text}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _summary_html(report: WeeklyReport) -> str:
    judged = [v for v in report.verdicts if v.has_data]
    lagging = [v for v in judged if v.lagging]
    by_level = {}
    for v in report.verdicts:
        if v.level:
            by_level[v.level] = by_level.get(v.level, 0) + 1
    items = [
        f"{len(report.verdicts)} unit dipantau, {len(judged)} dinilai minggu ini",
        f"{len(lagging)} unit tertinggal ({sum(v.change == 'new' for v in judged)} baru, "
        f"{sum(v.change == 'resolved' for v in judged)} sudah tidak tertinggal)",
        f"{sum(v.change == 'better' for v in judged)} membaik, {sum(v.change == 'worse' for v in judged)} memburuk",
        ", ".join(f"{level_name(level)}: {by_level.get(level, 0)} unit"
                  for level in range(1, report.config.ladder.levels + 1)),
    ]
    if len(judged) < len(report.verdicts):
        items.append(f"{len(report.verdicts) - len(judged)} unit tanpa data perayapan minggu ini")
    return '<ul class="angka-ringkas">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _pemda_table(report: WeeklyReport) -> str:
    levels = report.config.ladder.levels
    head = ("<tr><th>No</th><th>Pemda</th><th>Unit dinilai</th><th>Tertinggal</th><th>Baru</th><th>Selesai</th>"
            + "".join(f"<th>Teguran {ROMAN[i]}</th>" for i in range(1, levels + 1)) + "<th>Rata-rata skor</th></tr>")
    rows = []
    for i, row in enumerate(report.pemda, start=1):
        share = "" if row["lagging_share"] is None else f" ({number_id(row['lagging_share'])}%)"
        rows.append(
            f'<tr><td class="angka">{i}</td><td>{escape(row["region_name"])} <small>{row["region_code"]}</small></td>'
            f'<td class="angka">{row["judged"]}/{row["units"]}</td><td class="angka">{row["lagging"]}{share}</td>'
            f'<td class="angka">{row["new"]}</td><td class="angka">{row["resolved"]}</td>'
            + "".join(f'<td class="angka">{row["levels"].get(level, 0)}</td>' for level in range(1, levels + 1))
            + f'<td class="angka">{score_id(row["mean_composite"])}</td></tr>')
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def render_html(report: WeeklyReport, letters: dict[int, dict] | None = None) -> str:
    """The report as one standalone Indonesian HTML page (charts inline), also the PDF's source."""
    config = report.config
    meta = (f"{week_span_id(report.week)} · keadaan per {when_id(report.as_of, config.timezone_hours)} · "
            + (f"perayapan #{', #'.join(map(str, report.run_ids))}" if report.run_ids else "tidak ada perayapan"))
    if report.region is None:
        body = (f"<section>\n<h2>Rekap per pemda</h2>\n{_pemda_table(report)}\n</section>\n"
                f"<section>\n<h2>{min(ROLL_UP_TOP, len(report.verdicts))} unit paling tertinggal secara nasional"
                f"</h2>\n{_units_table(report, report.verdicts[:ROLL_UP_TOP], with_region=True)}\n</section>")
    else:
        body = (f"<section>\n<h2>Daftar unit, dari yang paling tertinggal</h2>\n"
                f"{_units_table(report, report.verdicts, with_region=False)}\n</section>\n"
                f"<section>\n<h2>Langkah teguran minggu ini</h2>\n{_steps_html(report, letters or {})}\n</section>")
    criteria = "<ul>" + "".join(f"<li>{escape(c)}</li>" for c in rule_criteria_id(config)) + "</ul>"
    footer = (f"Disusun oleh pantau dari hasil perayapan dan pemeriksaan otomatis; setiap alasan menautkan ke halaman "
              f"yang menjadi buktinya. Aturan {config.digest}; data per {utc_iso(report.as_of)}.")
    page = Template((TEMPLATES / "weekly.html").read_text(encoding="utf-8"))
    return page.substitute(
        title=escape(report.title), css=(TEMPLATES / "weekly.css").read_text(encoding="utf-8"), meta=escape(meta),
        summary=_summary_html(report), summary_chart=weekly_charts.summary_svg(report.counts, config.ladder.levels),
        body=body, criteria=criteria, ladder=escape(ladder_id(config)), footer=escape(footer))


# --- files ----------------------------------------------------------------------------------

def html_to_pdf(html: str, path: Path, base_url: Path | None = None) -> Path:
    """Render HTML to an A4 PDF with WeasyPrint (imported here: it loads pango on import)."""
    from weasyprint import HTML

    HTML(string=html, base_url=str(base_url or path.parent)).write_pdf(path)
    return path


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def fixed_time_zip(data: bytes, modified: dt.datetime | None = None) -> bytes:
    """An OOXML (zip) file rewritten with fixed member timestamps, so equal content gives equal bytes.

    ``modified`` replaces the document's "last modified" property, which openpyxl always
    sets to the time of saving.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            content = source.read(info.filename)
            if modified is not None and info.filename == "docProps/core.xml":
                stamp = modified.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(member, content)
    return out.getvalue()


@dataclass
class ReportFiles:
    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    letters: list[Path] = field(default_factory=list)
    index: Path | None = None

    def all(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx) if p] + self.letters + ([self.index] if self.index else [])


FORMATS = ("html", "pdf", "xlsx")


def write_report(db: sqlite_utils.Database, report: WeeklyReport, out_dir: str | Path,
                 formats: tuple[str, ...] = FORMATS, letters: bool = True) -> ReportFiles:
    """Write the report (and, for a pemda, the draft letters of its new reprimands) under ``out_dir``."""
    from exporter.letters import load_template, write_letters

    out = Path(out_dir)
    week_dir = out / report.week.label
    week_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles()
    written: dict[int, dict] = {}
    if letters and report.region is not None and report.steps:
        template = load_template(report.config.report.letter_template)
        written = write_letters(db, report, week_dir / "surat-teguran", template)
        files.letters = [p for entry in written.values() for p in entry["paths"]]
        for entry in written.values():
            entry["relative"] = [str(p.relative_to(week_dir)) for p in entry["paths"]]
    stem = report.file_stem()
    html = render_html(report, written)
    if "html" in formats:
        files.html = week_dir / f"{stem}.html"
        files.html.write_text(html, encoding="utf-8")
    if "pdf" in formats:
        files.pdf = html_to_pdf(html, week_dir / f"{stem}.pdf", week_dir)
    if "xlsx" in formats:
        from exporter.weekly_xlsx import write_xlsx

        files.xlsx = write_xlsx(report, week_dir / f"{stem}.xlsx")
    files.index = write_index(out)
    return files


_REPORT_NAME = re.compile(r"^laporan-mingguan-(\d{4}-W\d{2})-(.+)\.(html|pdf|xlsx)$")


def write_index(out_dir: str | Path) -> Path:
    """``<out>/index.html``: every week's reports found under ``out``, newest week first."""
    out = Path(out_dir)
    found: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(out.glob("*/laporan-mingguan-*")):
        match = _REPORT_NAME.match(path.name)
        if match and match.group(1) == path.parent.name:
            week, scope, ext = match.groups()
            found.setdefault(week, {}).setdefault(scope, {})[ext] = f"{week}/{path.name}"
    rows = []
    for week in sorted(found, reverse=True):
        label = week_span_id(Week.parse(week))
        for scope in sorted(found[week], key=lambda s: (s == "nasional", s)):
            links = " · ".join(f'<a href="{escape(href, quote=True)}">{ext.upper()}</a>'
                               for ext, href in sorted(found[week][scope].items(), key=lambda kv: FORMATS.index(kv[0])))
            name = "Nasional" if scope == "nasional" else f"Wilayah {scope}"
            rows.append(f"<tr><td>{week}</td><td>{escape(label)}</td><td>{escape(name)}</td><td>{links}</td></tr>")
    body = "\n".join(rows) or '<tr><td colspan="4">Belum ada laporan.</td></tr>'
    page = f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Arsip Laporan Mingguan Keterlambatan OPD</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
th {{ background: #eee; }}
</style>
</head>
<body>
<h1>Arsip Laporan Mingguan Keterlambatan OPD</h1>
<table>
<thead><tr><th>Minggu</th><th>Periode</th><th>Cakupan</th><th>Berkas</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
