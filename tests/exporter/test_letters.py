"""Surat Teguran templates: editable without code, validated at load, filled for each step."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from weekly_helpers import Store, down

from crawler.lagconfig import ConfigError, load_config
from exporter.letters import DEFAULT_TEMPLATE, fill, letter_html, load_template
from exporter.weekly_ladder import Week
from exporter.weekly_report import build_report, write_report

SHIPPED = DEFAULT_TEMPLATE.read_text(encoding="utf-8")


def test_the_shipped_template_loads():
    template = load_template()
    assert template.kop[0] == "PEMERINTAH {pemda_kapital}"
    assert sorted(template.isi) == [1, 2, 3] and sorted(template.kepada) == ["opd", "portal", "ppid"]
    assert template.body_for(5) == template.isi[3]


@pytest.mark.parametrize("edit,message", [
    (("kop:\n  - \"PEMERINTAH {pemda_kapital}\"", "kop:\n  - \"PEMERINTAH {provinsi}\""),
     "{f}:23: kop[0]: unknown placeholder {provinsi} (known: pemda, pemda_kapital, pemda_singkat, kode_wilayah, "
     "unit, unit_singkat, situs, tingkat, tingkat_kata, minggu, periode, minggu_berturut, minggu_awal, tanggal, "
     "batas_waktu, batas_hari, tahun)"),
    (("perihal: \"Teguran {tingkat_kata}", "perihal: \"Teguran {tingkat_kata"),
     "{f}:30: perihal: broken placeholder: unexpected '{' in field name"),
    (("  portal: \"Kepala Dinas Komunikasi dan Informatika {pemda}\"\n", ""),
     "{f}:31: kepada: missing required key 'portal'"),
    (("tembusan:", "salinan:"), "{f}:63: salinan: unknown key (expected one of: kop, kepada, isi, penandatangan, "
     "tembusan, nomor_surat, tempat_tanggal, sifat, lampiran, perihal, di, pembuka, temuan_pengantar, batas, "
     "penutup)"),
    (("  \"1\": >-", "  \"7\": >-"), "{f}:42: isi.7: must be a reprimand level from 1 to 5"),
])
def test_a_broken_template_is_refused_with_file_and_line(tmp_path, edit, message):
    old, new = edit
    assert old in SHIPPED
    path = tmp_path / "surat.yaml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_template(path)
    assert str(caught.value) == message.replace("{f}", str(path))


@pytest.fixture
def judged(tmp_path):
    s = Store(tmp_path / "pantau.db")
    s.unit("dlh", "Dinas Lingkungan Hidup")
    s.unit("ppid", "PPID Utama Provinsi Jambi", kind="ppid", url="https://ppid.jambiprov.go.id/")
    s.unit("portal", "Pemerintah Provinsi Jambi", kind="portal", url="https://jambiprov.go.id/")
    for week in ("2026-11-11T03:00:00+00:00", "2026-11-18T03:00:00+00:00"):
        s.run(week, {site: down(s.db["sites"].get(site)["url"]) for site in s.sites.values()})
    return s


def test_each_unit_kind_gets_its_addressee_and_the_body_of_its_level(judged):
    report = build_report(judged.db, Week.parse("2026-W47"), "15", load_config())
    letters = {v.unit["unit_short"]: fill(load_template(), report, v) for v in report.steps}
    assert {k: v.kepada for k, v in letters.items()} == {
        "dlh": "Kepala Dinas Lingkungan Hidup",
        "ppid": "Pejabat Pengelola Informasi dan Dokumentasi (PPID Utama Provinsi Jambi)",
        "portal": "Kepala Dinas Komunikasi dan Informatika Provinsi Jambi"}
    letter = letters["dlh"]
    assert letter.texts["perihal"] == "Teguran Kedua (Teguran II) atas Pengelolaan Situs Web"
    assert letter.texts["tempat_tanggal"] == "Jambi, 23 November 2026"
    assert letter.texts["batas"].startswith("Kami minta Saudara memperbaiki hal-hal tersebut paling lambat tanggal "
                                            "30 November 2026 (7 hari sejak surat ini)")
    assert letter.isi.startswith("Teguran Pertama yang telah kami sampaikan sebelumnya belum ditindaklanjuti")
    assert letter.findings[0] == ("Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)", (
        ("Situs tidak dapat dihubungi (koneksi ditolak)", "https://dlh.jambiprov.go.id/"),))
    html = letter_html(letter)
    assert ('<li><a href="https://dlh.jambiprov.go.id/">https://dlh.jambiprov.go.id/</a> — Situs tidak dapat '
            "dihubungi (koneksi ditolak)</li>") in html


def test_a_pemda_s_own_template_is_named_in_its_rules_file(judged, tmp_path):
    own = tmp_path / "pemda" / "surat-jambi.yaml"
    own.parent.mkdir()
    own.write_text(SHIPPED.replace('"[Alamat kantor, nomor telepon, laman dan pos-el]"',
                                   '"Jalan Jenderal Sudirman No. 1, Telanaipura, Jambi"')
                   .replace('"[NAMA SEKRETARIS DAERAH]"', '"Drs. Fulan bin Fulan, M.Si."'), encoding="utf-8")
    rules = own.parent / "aturan.yaml"
    rules.write_text("report: {letter_template: surat-jambi.yaml}\nunits: [opd]\n", encoding="utf-8")
    config = load_config(rules)
    assert config.report.letter_template == str(own)
    files = write_report(judged.db, build_report(judged.db, Week.parse("2026-W47"), "15", config), tmp_path / "out",
                         formats=("html",))
    assert [Path(p).name for p in files.letters] == ["teguran-II-15-dlh-2026-W47.pdf",
                                                     "teguran-II-15-dlh-2026-W47.docx"]
    text = "\n".join(p.text for p in docx.Document(str(files.letters[1])).paragraphs)
    assert "Jalan Jenderal Sudirman No. 1, Telanaipura, Jambi" in text and "Drs. Fulan bin Fulan, M.Si." in text
