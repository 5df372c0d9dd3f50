"""Draft reprimand letters (Surat Teguran) from an editable template, as PDF and DOCX.

The words live in a YAML template (``exporter/templates/surat_teguran.yaml``) that a
pemda edits without code: kop surat, nomor surat, addressee per unit kind, the body per
reprimand level, the deadline sentence, signature block and copies. Placeholders in
braces are checked when the template is loaded: an unknown one is reported with the
template's file and line. The findings and their evidence links come from the stored
reasons of the step; the deadline from the ladder configuration.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import string
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from checks.freshness import format_date_id
from crawler.lagconfig import Checker, ConfigError, load_yaml
from exporter.weekly import UnitVerdict
from exporter.weekly_ladder import ROMAN
from exporter.weekly_report import TEMPLATES, WeeklyReport, fixed_time_zip, html_to_pdf, week_span_id

DEFAULT_TEMPLATE = TEMPLATES / "surat_teguran.yaml"
CSS = TEMPLATES / "surat_teguran.css"
LEVEL_WORDS = ("", "Pertama", "Kedua", "Ketiga", "Keempat", "Kelima")
PLACEHOLDERS = ("pemda", "pemda_kapital", "pemda_singkat", "kode_wilayah", "unit", "unit_singkat", "situs",
                "tingkat", "tingkat_kata", "minggu", "periode", "minggu_berturut", "minggu_awal", "tanggal",
                "batas_waktu", "batas_hari", "tahun")
TEXT_KEYS = ("nomor_surat", "tempat_tanggal", "sifat", "lampiran", "perihal", "di", "pembuka", "temuan_pengantar",
             "batas", "penutup")
SIGNATURE_KEYS = ("jabatan", "nama", "pangkat", "nip")
UNIT_KINDS = ("opd", "ppid", "portal")
_REGION_PREFIXES = ("Provinsi ", "Kabupaten ", "Kota ")


@dataclass(frozen=True)
class LetterTemplate:
    source: str
    kop: tuple[str, ...]
    texts: dict[str, str]
    kepada: dict[str, str]
    isi: dict[int, str]
    penandatangan: dict[str, str]
    tembusan: tuple[str, ...]

    def body_for(self, level: int) -> str:
        """The body text of ``level``, or of the highest level below it that has one."""
        return self.isi[max(k for k in self.isi if k <= level)] if any(k <= level for k in self.isi) else \
            self.isi[min(self.isi)]


def _check_text(c: Checker, value, place, where: str) -> str:
    text = c.string(value, place, where)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        c.fail(place, where, f"broken placeholder: {exc}")
    for name in fields:
        if name not in PLACEHOLDERS:
            c.fail(place, where, f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
    return text


def load_template(path: str | Path | None = None) -> LetterTemplate:
    """Load and validate a letter template; None loads the shipped one."""
    path = Path(path) if path else DEFAULT_TEMPLATE
    data = load_yaml(path)
    c = Checker()
    keys = ("kop", "kepada", "isi", "penandatangan", "tembusan", *TEXT_KEYS)
    c.mapping(data, c.place(data), "", keys)
    for key in keys:
        if key not in data:
            c.fail(c.place(data), "", f"missing required key {key!r}")
    kop_raw = c.sequence(data["kop"], c.place(data, "kop"), "kop", allow_empty=False)
    kop = tuple(_check_text(c, v, c.place(kop_raw, i), f"kop[{i}]") for i, v in enumerate(kop_raw))
    texts = {key: _check_text(c, data[key], c.place(data, key), key) for key in TEXT_KEYS}
    kepada_raw = c.mapping(data["kepada"], c.place(data, "kepada"), "kepada", UNIT_KINDS)
    for kind in UNIT_KINDS:
        if kind not in kepada_raw:
            c.fail(c.place(data, "kepada"), "kepada", f"missing required key {kind!r}")
    kepada = {k: _check_text(c, v, c.place(kepada_raw, k), f"kepada.{k}") for k, v in kepada_raw.items()}
    isi_raw = data["isi"]
    c.mapping(isi_raw, c.place(data, "isi"), "isi", tuple(isi_raw))
    for key in isi_raw:
        if str(key) not in ("1", "2", "3", "4", "5"):
            c.fail(c.place(isi_raw, key), f"isi.{key}", "must be a reprimand level from 1 to 5")
    if not isi_raw:
        c.fail(c.place(data, "isi"), "isi", "needs the text of at least one level")
    isi = {int(k): _check_text(c, v, c.place(isi_raw, k), f"isi.{k}") for k, v in isi_raw.items()}
    sign_raw = c.mapping(data["penandatangan"], c.place(data, "penandatangan"), "penandatangan", SIGNATURE_KEYS)
    sign = {k: _check_text(c, sign_raw.get(k, ""), c.place(sign_raw, k), f"penandatangan.{k}")
            for k in SIGNATURE_KEYS if k in sign_raw}
    copies_raw = c.sequence(data["tembusan"], c.place(data, "tembusan"), "tembusan")
    copies = tuple(_check_text(c, v, c.place(copies_raw, i), f"tembusan[{i}]") for i, v in enumerate(copies_raw))
    return LetterTemplate(str(path), kop, texts, kepada, isi, sign, copies)


# --- filling ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Letter:
    """A filled letter: every text final, findings as (statement, [(evidence text, url)])."""

    kop: tuple[str, ...]
    texts: dict[str, str]
    kepada: str
    isi: str
    findings: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]
    penandatangan: dict[str, str]
    tembusan: tuple[str, ...]
    title: str
    date: dt.date


def region_short(name: str) -> str:
    for prefix in _REGION_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def letter_values(report: WeeklyReport, verdict: UnitVerdict) -> dict[str, str]:
    row = verdict.step_row
    unit = verdict.unit
    decided = dt.date.fromisoformat(row["decided_on"])
    deadline = dt.date.fromisoformat(row["deadline"])
    return {
        "pemda": unit["region_name"], "pemda_kapital": unit["region_name"].upper(),
        "pemda_singkat": region_short(unit["region_name"]), "kode_wilayah": unit["region_code"],
        "unit": unit["unit_name"], "unit_singkat": unit["unit_short"],
        "situs": ", ".join(s["url"] for s in unit["sites"]), "tingkat": ROMAN[row["to_level"]],
        "tingkat_kata": LEVEL_WORDS[row["to_level"]], "minggu": report.week.label,
        "periode": week_span_id(report.week).split("(", 1)[1].rstrip(")"),
        "minggu_berturut": str(verdict.streak), "minggu_awal": report.week.shift(-(verdict.streak - 1)).label,
        "tanggal": format_date_id(decided), "batas_waktu": format_date_id(deadline),
        "batas_hari": str((deadline - decided).days), "tahun": str(decided.year),
    }


def fill(template: LetterTemplate, report: WeeklyReport, verdict: UnitVerdict) -> Letter:
    values = letter_values(report, verdict)
    reasons = json.loads(verdict.step_row["reasons"])
    findings = tuple((r["message_id"], tuple((e["text"], e["url"]) for e in r["evidence"])) for r in reasons)
    return Letter(
        kop=tuple(line.format_map(values) for line in template.kop),
        texts={k: v.format_map(values) for k, v in template.texts.items()},
        kepada=template.kepada[verdict.unit["unit_kind"]].format_map(values),
        isi=template.body_for(verdict.step_row["to_level"]).format_map(values),
        findings=findings,
        penandatangan={k: v.format_map(values) for k, v in template.penandatangan.items()},
        tembusan=tuple(t.format_map(values) for t in template.tembusan),
        title=f"Surat Teguran {values['tingkat']} — {values['unit']} — {report.week.label}",
        date=dt.date.fromisoformat(verdict.step_row["decided_on"]),
    )


# --- HTML / PDF ------------------------------------------------------------------------------

def _link(url: str | None, text: str) -> str:
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{escape(url, quote=True)}">{escape(url)}</a>' + (f" — {escape(text)}" if text else "")
    return escape(text)


def letter_html(letter: Letter) -> str:
    kop = "".join(f'<p class="{"k" + str(i) if i < 2 else "lain"}">{escape(line)}</p>'
                  for i, line in enumerate(letter.kop))
    t = letter.texts
    head = "".join(f"<tr><td>{label}</td><td>:</td><td>{escape(t[key])}</td></tr>" for label, key in (
        ("Nomor", "nomor_surat"), ("Sifat", "sifat"), ("Lampiran", "lampiran"), ("Perihal", "perihal")))
    findings = "".join(
        f"<li>{escape(statement)}"
        + ("<ul class=\"bukti\">" + "".join(f"<li>{_link(url, text)}</li>" for text, url in proofs) + "</ul>"
           if proofs else "") + "</li>"
        for statement, proofs in letter.findings)
    sign = letter.penandatangan
    copies = "".join(f"<li>{escape(c)}</li>" for c in letter.tembusan)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{escape(letter.title)}</title>
<style>
{CSS.read_text(encoding="utf-8")}
</style>
</head>
<body>
<div class="kop">{kop}</div>
<p class="draf">DRAF — disiapkan oleh pantau, diperiksa sebelum ditandatangani</p>
<p class="tanggal">{escape(t["tempat_tanggal"])}</p>
<table class="kepala">{head}</table>
<div class="kepada"><p>Yth. {escape(letter.kepada)}</p><p>{escape(t["di"])}</p></div>
<p class="isi">{escape(t["pembuka"])}</p>
<p class="isi">{escape(letter.isi)}</p>
<p class="isi">{escape(t["temuan_pengantar"])}</p>
<ol class="temuan">{findings}</ol>
<p class="isi">{escape(t["batas"])}</p>
<p class="isi">{escape(t["penutup"])}</p>
<div class="ttd">
<p>{escape(sign.get("jabatan", ""))},</p>
<p class="ruang"></p>
<p><strong>{escape(sign.get("nama", ""))}</strong></p>
<p>{escape(sign.get("pangkat", ""))}</p>
<p>{escape(sign.get("nip", ""))}</p>
</div>
{f'<div class="tembusan"><p>Tembusan:</p><ol>{copies}</ol></div>' if copies else ""}
</body>
</html>
"""


# --- DOCX ------------------------------------------------------------------------------------

def _hyperlink(paragraph, url: str, text: str) -> None:
    """A clickable link run (python-docx has no API for it: one w:hyperlink element)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1A4F8B")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([colour, underline])
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    stamp = dt.datetime.combine(letter.date, dt.time())
    props = doc.core_properties
    props.author, props.title, props.created, props.modified = "pantau", letter.title, stamp, stamp
    props.last_modified_by, props.revision = "pantau", 1

    for i, line in enumerate(letter.kop):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(line)
        run.bold = i < 2
        run.font.size = Pt(13 if i == 0 else 12 if i == 1 else 9)
    rule = doc.add_paragraph("═" * 48)
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t = letter.texts
    doc.add_paragraph(t["tempat_tanggal"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = doc.add_table(rows=0, cols=3)
    for label, key in (("Nomor", "nomor_surat"), ("Sifat", "sifat"), ("Lampiran", "lampiran"),
                       ("Perihal", "perihal")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", t[key]
    for row in table.rows:
        row.cells[0].width, row.cells[1].width, row.cells[2].width = Cm(2.5), Cm(0.5), Cm(13.0)
    doc.add_paragraph()
    doc.add_paragraph(f"Yth. {letter.kepada}").paragraph_format.space_after = Pt(0)
    doc.add_paragraph(t["di"])
    for key in ("pembuka",):
        doc.add_paragraph(t[key]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph(letter.isi).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph(t["temuan_pengantar"]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for number, (statement, proofs) in enumerate(letter.findings, start=1):
        p = doc.add_paragraph(f"{number}. {statement}")
        p.paragraph_format.left_indent = Cm(0.6)
        p.paragraph_format.space_after = Pt(2)
        for text, url in proofs:
            q = doc.add_paragraph("– ")
            q.paragraph_format.left_indent = Cm(1.2)
            q.paragraph_format.space_after = Pt(0)
            if url and urlsplit(url).scheme in ("http", "https"):
                _hyperlink(q, url, url)
                if text:
                    q.add_run(f" — {text}")
            else:
                q.add_run(text)
    doc.add_paragraph(t["batas"]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph(t["penutup"]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    sign = letter.penandatangan
    for text, space in ((f"{sign.get('jabatan', '')},", 36), (sign.get("nama", ""), 0), (sign.get("pangkat", ""), 0),
                        (sign.get("nip", ""), 0)):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(9)
        p.paragraph_format.space_after = Pt(space)
        run = p.add_run(text)
        run.bold = text == sign.get("nama")
    if letter.tembusan:
        doc.add_paragraph("Tembusan:").paragraph_format.space_after = Pt(0)
        for number, copy in enumerate(letter.tembusan, start=1):
            doc.add_paragraph(f"{number}. {copy}").paragraph_format.space_after = Pt(0)
    buffer = io.BytesIO()
    doc.save(buffer)
    return fixed_time_zip(buffer.getvalue())


# --- writing ---------------------------------------------------------------------------------

def letter_stem(report: WeeklyReport, verdict: UnitVerdict) -> str:
    """teguran-II-15-disdik-2026-W47"""
    return (f"teguran-{ROMAN[verdict.step_row['to_level']]}-{verdict.unit['region_code']}-"
            f"{verdict.unit['unit_short']}-{report.week.label}")


def write_letters(db: sqlite_utils.Database, report: WeeklyReport, out_dir: Path,
                  template: LetterTemplate) -> dict[int, dict]:
    """A PDF and a DOCX for every escalation of the week; their paths are stored on the step."""
    written: dict[int, dict] = {}
    escalations = [v for v in report.steps if v.step_row["action"] == "escalate"]
    if not escalations:
        return written
    out_dir.mkdir(parents=True, exist_ok=True)
    for verdict in escalations:
        letter = fill(template, report, verdict)
        stem = letter_stem(report, verdict)
        pdf = html_to_pdf(letter_html(letter), out_dir / f"{stem}.pdf")
        docx = out_dir / f"{stem}.docx"
        docx.write_bytes(letter_docx(letter))
        written[verdict.unit["unit_id"]] = {"paths": [pdf, docx]}
        db["reprimands"].update(verdict.step_row["id"], {"letter_pdf": str(pdf), "letter_docx": str(docx)})
        verdict.step_row.update(letter_pdf=str(pdf), letter_docx=str(docx))
    return written


__all__ = ["ConfigError", "LetterTemplate", "Letter", "load_template", "fill", "letter_html", "letter_docx",
           "write_letters", "letter_stem"]
