"""Mailing the weekly report to its recipients over SMTP (stdlib smtplib).

The message carries a short Indonesian summary as text, the report HTML as the
alternative part, and the PDF, the XLSX and the draft letters as attachments. The SMTP
password is read from ``delivery.password_file``, never from the configuration itself.
"""

from __future__ import annotations

import mimetypes
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from crawler.lagconfig import Delivery
from exporter.weekly_ladder import level_name
from exporter.weekly_report import CHANGE_ID, ReportFiles, WeeklyReport, week_span_id

SMTP_TIMEOUT = 30
MAX_LISTED = 30
MIME_OVERRIDES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def summary_text(report: WeeklyReport) -> str:
    """The plain-text body: what the week looks like, and the lagging units worst first."""
    judged = [v for v in report.verdicts if v.has_data]
    lagging = [v for v in judged if v.lagging]
    lines = [
        report.title, week_span_id(report.week), "",
        f"Unit dinilai: {len(judged)} dari {len(report.verdicts)}; tertinggal: {len(lagging)} "
        f"({sum(v.change == 'new' for v in judged)} baru, {sum(v.change == 'resolved' for v in judged)} sudah "
        "tidak tertinggal).", "",
    ]
    if lagging:
        lines.append("Unit tertinggal, dari yang paling parah:")
        for i, v in enumerate(lagging[:MAX_LISTED], start=1):
            where = "" if report.region else f"{v.unit['region_name']}: "
            lines.append(f"{i}. {where}{v.unit['unit_name']} — {level_name(v.level)}, {v.streak} minggu "
                         f"berturut-turut, {CHANGE_ID[v.change].lower()}")
            lines += [f"   - {r['message_id']}" for r in v.reasons]
        if len(lagging) > MAX_LISTED:
            lines.append(f"... dan {len(lagging) - MAX_LISTED} unit lainnya (lihat lampiran).")
    else:
        lines.append("Tidak ada unit yang tertinggal minggu ini.")
    if report.steps:
        lines += ["", "Langkah teguran minggu ini:"]
        lines += [f"- {v.unit['unit_name']}: {level_name(v.step_row['from_level'])} -> "
                  f"{level_name(v.step_row['to_level'])}" for v in report.steps]
    lines += ["", "Laporan lengkap, beserta tautan bukti, terlampir (PDF dan XLSX); draf surat teguran juga terlampir.",
              "", "-- pantau"]
    return "\n".join(lines) + "\n"


def build_message(report: WeeklyReport, files: ReportFiles, sender: str, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"[pantau] {report.title}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.split("@", 1)[1])
    message.set_content(summary_text(report))
    if files.html is not None:
        message.add_alternative(files.html.read_text(encoding="utf-8"), subtype="html")
    for path in [p for p in (files.pdf, files.xlsx) if p] + files.letters:
        kind = MIME_OVERRIDES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        message.add_attachment(Path(path).read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def send(message: EmailMessage, delivery: Delivery, host: str | None = None, port: int | None = None) -> None:
    """Deliver ``message`` through the configured SMTP server (``host``/``port`` override it)."""
    with smtplib.SMTP(host or delivery.smtp_host, port or delivery.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if delivery.starttls:
            smtp.starttls()
        if delivery.username:
            password = Path(delivery.password_file).read_text(encoding="utf-8").strip() \
                if delivery.password_file else ""
            smtp.login(delivery.username, password)
        smtp.send_message(message)
