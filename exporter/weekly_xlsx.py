"""The weekly report as a workbook for the Sekda's staff (openpyxl).

Sheets: ``Daftar`` (one row per unit, worst first), ``Alasan`` (one row per piece of
evidence of every rule that fired), ``Teguran`` (the ladder steps of the week) and, in
the national roll-up, ``Pemda`` (one row per pemda). Headers are Indonesian; scores are
numbers, not text, so the staff can sort and filter.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exporter.weekly_ladder import ROMAN, level_name
from exporter.weekly_report import CHANGE_ID, WeeklyReport, fixed_time_zip, status_id

UNIT_HEADER = ("Peringkat", "Kode wilayah", "Pemda", "Unit", "Singkatan", "Jenis", "Situs", "Skor",
               "Skor minggu lalu", "Status", "Perubahan", "Minggu berturut-turut", "Teguran", "Yang perlu dibenahi")
REASON_HEADER = ("Peringkat", "Unit", "Aturan", "Alasan", "Bukti", "Tautan bukti")
STEP_HEADER = ("Unit", "Minggu", "Tanggal", "Langkah", "Dari", "Menjadi", "Batas perbaikan", "Alasan")
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
ACTION_ID = {"escalate": "naik", "step_down": "turun", "reset": "dihapus"}


def _sheet(wb: Workbook, title: str, header: tuple[str, ...], rows: list[list], widths: dict[int, int]):
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEAD_FILL
    for row in rows:
        ws.append(row)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return ws


def unit_rows(report: WeeklyReport) -> list[list]:
    rows = []
    for position, v in enumerate(report.verdicts, start=1):
        u = v.unit
        rows.append([position, u["region_code"], u["region_name"], u["unit_name"], u["unit_short"], u["unit_kind"],
                     "\n".join(s["url"] for s in u["sites"]), v.composite, v.previous_composite, status_id(v),
                     CHANGE_ID[v.change], v.streak, level_name(v.level),
                     "\n".join(r["message_id"] for r in v.reasons)])
    return rows


def write_xlsx(report: WeeklyReport, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    stamp = report.as_of.astimezone(dt.timezone.utc).replace(tzinfo=None)
    wb.properties.creator = "pantau"
    wb.properties.title = report.title
    wb.properties.created = wb.properties.modified = stamp
    _sheet(wb, "Daftar", UNIT_HEADER, unit_rows(report),
           {1: 10, 2: 11, 3: 24, 4: 40, 5: 14, 6: 8, 7: 36, 8: 8, 9: 10, 10: 16, 11: 20, 12: 12, 13: 13, 14: 70})
    reasons = []
    for position, v in enumerate(report.verdicts, start=1):
        for r in v.reasons:
            for e in r["evidence"] or [{"url": r["site_url"], "text": ""}]:
                reasons.append([position, v.unit["unit_name"], r["rule"], r["message_id"], e["text"], e["url"]])
    _sheet(wb, "Alasan", REASON_HEADER, reasons, {1: 10, 2: 36, 3: 18, 4: 60, 5: 60, 6: 50})
    steps = [[v.unit["unit_name"], v.step_row["week"], v.step_row["decided_on"], ACTION_ID[v.step_row["action"]],
              level_name(v.step_row["from_level"]), level_name(v.step_row["to_level"]), v.step_row["deadline"],
              "\n".join(r["message_id"] for r in v.reasons)] for v in report.steps]
    _sheet(wb, "Teguran", STEP_HEADER, steps, {1: 36, 2: 10, 3: 12, 4: 9, 5: 13, 6: 13, 7: 15, 8: 70})
    if report.pemda:
        levels = report.config.ladder.levels
        header = ("Peringkat", "Kode wilayah", "Pemda", "Unit", "Dinilai", "Tertinggal", "Persen tertinggal", "Baru",
                  "Selesai", *(f"Teguran {ROMAN[i]}" for i in range(1, levels + 1)), "Rata-rata skor")
        rows = [[i, r["region_code"], r["region_name"], r["units"], r["judged"], r["lagging"], r["lagging_share"],
                 r["new"], r["resolved"], *(r["levels"].get(level, 0) for level in range(1, levels + 1)),
                 r["mean_composite"]] for i, r in enumerate(report.pemda, start=1)]
        _sheet(wb, "Pemda", header, rows, {2: 11, 3: 30})

    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(fixed_time_zip(buffer.getvalue(), report.as_of))
    return path
