"""`pantau report weekly --send`: the report reaches an SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from weekly_helpers import Store, down, healthy, stale

from exporter.cli_report import report
from sitefarm import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def db_path(tmp_path):
    s = Store(tmp_path / "pantau.db")
    for short, name in (("diskominfo", "Dinas Komunikasi dan Informatika"), ("disdik", "Dinas Pendidikan"),
                        ("dlh", "Dinas Lingkungan Hidup")):
        s.unit(short, name)
    u = {k: s.db["sites"].get(v)["url"] for k, v in s.sites.items()}
    s.run("2026-11-11T03:00:00+00:00", {s.sites["dlh"]: down(u["dlh"]), s.sites["disdik"]: healthy(u["disdik"]),
                                        s.sites["diskominfo"]: healthy(u["diskominfo"])})
    s.run("2026-11-18T03:00:00+00:00", {s.sites["dlh"]: down(u["dlh"]),
                                        s.sites["disdik"]: stale(u["disdik"], 130, "2026-07-11"),
                                        s.sites["diskominfo"]: healthy(u["diskominfo"])})
    return s.path


def test_send_mails_the_summary_the_report_and_the_letters(smtp, db_path, tmp_path):
    port, inbox = smtp
    result = CliRunner().invoke(report, [
        "weekly", "--db", str(db_path), "--week", "2026-W47", "--region", "15", "--out", str(tmp_path / "out"),
        "--send", "--to", "sekda@jambiprov.go.id", "--to", "kominfo@jambiprov.go.id",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(port)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "sent to sekda@jambiprov.go.id, kominfo@jambiprov.go.id"
    [(sender, recipients, message)] = inbox.messages
    assert (sender, recipients) == ("pantau@localhost", ["sekda@jambiprov.go.id", "kominfo@jambiprov.go.id"])
    assert message["Subject"] == "[pantau] Laporan Mingguan Keterlambatan OPD — Provinsi Jambi — 2026-W47"
    text = message.get_body(("plain",)).get_content()
    assert text.splitlines()[:9] == [
        "Laporan Mingguan Keterlambatan OPD — Provinsi Jambi — 2026-W47",
        "Minggu ke-47 tahun 2026 (16–22 November 2026)",
        "",
        "Unit dinilai: 3 dari 3; tertinggal: 2 (1 baru, 0 sudah tidak tertinggal).",
        "",
        "Unit tertinggal, dari yang paling parah:",
        "1. Dinas Lingkungan Hidup — Teguran II, 2 minggu berturut-turut, tetap",
        "   - Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)",
        "   - Skor gabungan 0 di bawah batas 50",
    ]
    assert "2. Dinas Pendidikan — Teguran I, 1 minggu berturut-turut, baru tertinggal" in text
    assert "<title>Laporan Mingguan Keterlambatan OPD" in message.get_body(("html",)).get_content()
    attachments = {part.get_filename(): part.get_content_type() for part in message.iter_attachments()}
    assert attachments == {
        "laporan-mingguan-2026-W47-15.pdf": "application/pdf",
        "laporan-mingguan-2026-W47-15.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "teguran-II-15-dlh-2026-W47.pdf": "application/pdf",
        "teguran-II-15-dlh-2026-W47.docx":
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "teguran-I-15-disdik-2026-W47.pdf": "application/pdf",
        "teguran-I-15-disdik-2026-W47.docx":
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    pdf = next(p for p in message.iter_attachments() if p.get_filename() == "laporan-mingguan-2026-W47-15.pdf")
    assert pdf.get_content().startswith(b"%PDF-")


def test_recipients_come_from_the_configuration(smtp, db_path, tmp_path):
    port, inbox = smtp
    rules = tmp_path / "aturan.yaml"
    rules.write_text(f"delivery:\n  smtp_port: {port}\n  sender: pantau@jambiprov.go.id\n"
                     "  recipients: {'15': [sekda@jambiprov.go.id], '*': [pusat@kominfo.go.id]}\n", encoding="utf-8")
    result = CliRunner().invoke(report, ["weekly", "--db", str(db_path), "--week", "2026-W47", "--region", "15",
                                         "--rules", str(rules), "--out", str(tmp_path / "out"), "--format", "html",
                                         "--no-letters", "--send"])
    assert result.exit_code == 0, result.output
    [(sender, recipients, message)] = inbox.messages
    assert (sender, recipients) == ("pantau@jambiprov.go.id", ["sekda@jambiprov.go.id", "pusat@kominfo.go.id"])
    assert [p.get_filename() for p in message.iter_attachments()] == []


def test_send_without_recipients_or_server_fails_clearly(db_path, tmp_path):
    args = ["weekly", "--db", str(db_path), "--week", "2026-W47", "--region", "15", "--out", str(tmp_path / "out"),
            "--format", "html", "--send"]
    result = CliRunner().invoke(report, args)
    assert result.exit_code == 1
    assert "--send: no recipients; give --to or set delivery.recipients in the rules file" in result.output
    closed = free_port()
    result = CliRunner().invoke(report, [*args, "--to", "a@b.go.id", "--smtp-host", "127.0.0.1",
                                         "--smtp-port", str(closed)])
    assert result.exit_code == 1
    assert "sending the report failed: ConnectionRefusedError" in result.output
