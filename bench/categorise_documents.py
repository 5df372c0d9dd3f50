"""Precision and recall of the document categoriser on a labelled set of generated PDFs.

Every document is generated with a known category: a title as an Indonesian pemda would write
it (full names, acronyms, old spellings, the unit and the year in varying places), a file name
(informative, half informative or a scanner's "scan_0012.pdf"), the link text the crawler would
store ("Unduh", the title, the file name) and a real PDF made by the testbed (``make_pdf``) whose
/Title is the title, empty, or a word processor's "Microsoft Word - dokumen1.docx". The PDF
bytes go through the spider's reader (``spiders.documents.pdf_metadata``) and then through
``checks.documents.categorise`` exactly as in a crawl. Distractors that look like a category and
are not (Laporan Realisasi Anggaran, Perjanjian Kinerja, quarterly performance reports,
Keputusan Bupati, DIPA, Standar Pelayanan) are labelled "other".

A naive baseline (the first category acronym found in the file name alone) runs on the same
documents, so the figures read as a comparison measured in the same run.

    python -m bench.categorise_documents [--per-category 16] [--seed 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
from collections import Counter
from dataclasses import dataclass

from checks.documents import OTHER, categorise
from checks.freshness_config import rules
from spiders.documents import pdf_metadata
from testbed.documents import make_pdf

WIB = dt.timezone(dt.timedelta(hours=7))
UNITS = ["Dinas Kesehatan", "Dinas Pendidikan", "Badan Perencanaan Pembangunan Daerah", "Inspektorat",
         "Dinas Komunikasi dan Informatika", "Dinas Pekerjaan Umum dan Penataan Ruang", "Kecamatan Telanaipura",
         "Badan Pengelolaan Keuangan dan Aset Daerah", "Dinas Sosial", "Sekretariat DPRD"]
REGIONS = ["Provinsi Jambi", "Kabupaten Muaro Jambi", "Kota Jambi", "Kabupaten Tebo", "Kabupaten Kerinci"]

# category -> (title templates, informative file-name templates)
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "apbd": (["APBD Tahun Anggaran {y}", "Anggaran Pendapatan dan Belanja Daerah {region} Tahun {y}",
              "Perda Nomor {n} Tahun {y0} tentang APBD Tahun Anggaran {y}", "Ringkasan APBD {y}",
              "Nota Keuangan RAPBD {y}", "Penjabaran APBD TA {y}"],
             ["APBD_{y}.pdf", "apbd-{y}.pdf", "RINGKASAN%20APBD%20{y}.pdf", "Perda_APBD_{y}.pdf"]),
    "apbd_p": (["Perubahan APBD Tahun Anggaran {y}", "APBD-P {y}", "APBD Perubahan TA {y}",
                "Perda tentang Perubahan APBD Tahun {y}", "P-APBD {region} {y}"],
               ["APBD-P_{y}.pdf", "Perubahan_APBD_{y}.pdf", "p-apbd-{y}.pdf"]),
    "kua_ppas": (["KUA-PPAS Tahun Anggaran {y}", "Kebijakan Umum Anggaran (KUA) dan Prioritas Plafon Anggaran "
                  "Sementara (PPAS) {y}", "Nota Kesepakatan KUA PPAS {y}", "Perubahan KUA-PPAS {y}"],
                 ["KUA-PPAS_{y}.pdf", "KUA_PPAS_{y}.pdf", "kua-ppas-{y}.pdf"]),
    "rkpd": (["Rencana Kerja Pemerintah Daerah (RKPD) Tahun {y}", "RKPD {region} {y}",
              "Rancangan Akhir RKPD Tahun {y}", "Perubahan RKPD {y}"],
             ["RKPD_{y}.pdf", "rkpd-{y}-final.pdf"]),
    "rka": (["RKA {unit} Tahun {y}", "Rencana Kerja dan Anggaran SKPD {y}", "RKA-SKPD {unit} TA {y}",
             "Dokumen RKA Perubahan {y}"],
            ["RKA_{y}.pdf", "RKA-SKPD_{y}.pdf", "rka_{unit_short}_{y}.pdf"]),
    "dpa": (["Dokumen Pelaksanaan Anggaran (DPA) Tahun Anggaran {y}", "DPA {unit} {y}", "DPA-SKPD TA {y}",
             "DPPA {unit} Tahun {y}", "Dokumen Pelaksanaan Perubahan Anggaran {y}"],
            ["DPA_{y}.pdf", "DPA-SKPD_{y}.pdf", "dppa_{y}.pdf"]),
    "lkpd": (["Laporan Keuangan Pemerintah Daerah (LKPD) Tahun {y} Audited", "LKPD {region} {y}",
              "LKPD Unaudited Tahun Anggaran {y}"],
             ["LKPD_{y}_Audited.pdf", "lkpd-{y}.pdf"]),
    "lkjip": (["Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun {y}", "LAKIP {unit} {y}",
               "Laporan Akuntabilitas Kinerja Instansi Pemerintah {y}", "LKjIP {region} Tahun {y}"],
              ["LKjIP_{y}.pdf", "LAKIP_{y}.pdf", "lkjip-{unit_short}-{y}.pdf"]),
    "lppd": (["Laporan Penyelenggaraan Pemerintahan Daerah (LPPD) Tahun {y}", "Ringkasan LPPD {y}",
              "LPPD {region} Tahun {y}"],
             ["LPPD_{y}.pdf", "ringkasan-lppd-{y}.pdf"]),
    "renstra": (["Rencana Strategis {unit} {y0}-{y1}", "Renstra {unit} Tahun {y0}-{y1}",
                 "Reviu Renstra {y0}-{y1}", "Renstra Perubahan {y0} s.d. {y1}"],
                ["Renstra_{y0}-{y1}.pdf", "RENSTRA_{unit_short}_{y0}_{y1}.pdf"]),
    "renja": (["Rencana Kerja (Renja) Tahun {y}", "Renja {unit} {y}", "Rencana Kerja {unit} Tahun {y}",
               "Renja Perubahan Tahun {y}"],
              ["Renja_{y}.pdf", "RENJA-{y}.pdf", "renja_{unit_short}_{y}.pdf"]),
    "dip": (["Daftar Informasi Publik Tahun {y}", "DIP {unit} {y}", "Daftar Informasi Publik (DIP) PPID {region}"],
            ["DIP_{y}.pdf", "daftar-informasi-publik-{y}.pdf"]),
    "sop": (["SOP Pelayanan Informasi Publik", "Standar Operasional Prosedur Pengelolaan Pengaduan",
             "SOP Penanganan Keberatan", "Standar Operasional Prosedur (SOP) {unit}"],
            ["SOP_Pelayanan_Informasi.pdf", "sop-pengaduan.pdf", "SOP_{y}.pdf"]),
    "laporan_layanan_informasi": (["Laporan Layanan Informasi Publik Tahun {y}", "Laporan Tahunan PPID {y}",
                                   "Ringkasan Laporan Akses Informasi Publik {y}",
                                   "Laporan Pelayanan Informasi Publik Semester I {y}"],
                                  ["Laporan_Layanan_Informasi_{y}.pdf", "laporan-ppid-{y}.pdf"]),
    "perda_perbup": (["Peraturan Daerah Nomor {n} Tahun {y} tentang Retribusi Jasa Umum",
                      "Peraturan Bupati Nomor {n} Tahun {y} tentang Tunjangan Kinerja", "Perbup No. {n} Tahun {y}",
                      "Pergub Nomor {n} Tahun {y}", "Peraturan Wali Kota Nomor {n} Tahun {y}"],
                     ["Perda_{n}_{y}.pdf", "PERBUP-{n}-{y}.pdf", "perwali_{n}_{y}.pdf"]),
    OTHER: (["Laporan Realisasi Anggaran Semester I Tahun {y}", "Perjanjian Kinerja Tahun {y}",
             "Laporan Kinerja Triwulan III Tahun {y}", "Keputusan Bupati Nomor {n} Tahun {y} tentang Tim PPID",
             "DIPA Satuan Kerja {y}", "Standar Pelayanan {unit}", "Maklumat Pelayanan",
             "Laporan Keuangan {unit} Tahun {y}", "Rencana Aksi Daerah {y}", "Pengumuman Seleksi Terbuka {y}",
             "Brosur Layanan {unit}", "Undangan Musrenbang Kecamatan {y}", "Profil Kesehatan {y}",
             "Data Statistik Sektoral {y}"],
            ["LRA_Semester_I_{y}.pdf", "Perjanjian_Kinerja_{y}.pdf", "pengumuman-{y}.pdf", "brosur.pdf",
             "profil_{y}.pdf"]),
}
UNINFORMATIVE_FILES = ["scan_{k:04d}.pdf", "dokumen-{k}.pdf", "Lampiran_{k}.pdf", "file_{k}.pdf", "{k}.pdf"]
LINK_TEXTS = ["Unduh", "Download", "Lihat", "Klik di sini"]


@dataclass(frozen=True)
class Labelled:
    label: str
    link_text: str
    url: str
    pdf: bytes
    signal: bool  # the category shows in the link text, the file name or the PDF title


def _short(unit: str) -> str:
    return "".join(word[0] for word in unit.split() if word[0].isupper()).lower()


def generate(per_category: int, seed: int) -> list[Labelled]:
    """``per_category`` documents of every category (and of "other"), deterministic in ``seed``."""
    rng = random.Random(f"categorise-bench:{seed}")
    docs = []
    for label, (titles, files) in TEMPLATES.items():
        for k in range(per_category):
            y = rng.randint(2017, 2027)
            y0 = rng.choice([2016, 2019, 2021, 2024])
            unit = rng.choice(UNITS)
            values = {"y": y, "y0": y0, "y1": y0 + 5, "n": rng.randint(1, 30), "unit": unit,
                      "unit_short": _short(unit), "region": rng.choice(REGIONS), "k": rng.randint(1, 999)}
            title = rng.choice(titles).format(**values)
            if rng.random() < 0.3:
                title = title.upper() if rng.random() < 0.5 else title.lower()
            # Where the category shows: in the link text, the file name, the PDF title, or several.
            file_kind = rng.random()
            file = (rng.choice(files) if file_kind < 0.55 else rng.choice(UNINFORMATIVE_FILES)).format(**values)
            link_text = title if rng.random() < 0.6 else rng.choice(LINK_TEXTS + [file])
            pdf_title_kind = rng.random()
            pdf_title = (title if pdf_title_kind < 0.5 else "" if pdf_title_kind < 0.75
                         else f"Microsoft Word - dokumen{values['k']}.docx")
            created = dt.datetime(min(y, 2026), rng.randint(1, 12), rng.randint(1, 28), 9, 0, tzinfo=WIB)
            pdf = make_pdf(pdf_title, [f"{title}.", "BAB I PENDAHULUAN"], created=created,
                           modified=created + dt.timedelta(hours=2), author=unit, subject="")
            signal = link_text == title or file_kind < 0.55 or pdf_title == title
            docs.append(Labelled(label, link_text, f"https://contoh.go.id/files/{file}", pdf, signal))
    return docs


_BASELINE = [(re.compile(rf"(?<![a-z]){word}(?![a-z])", re.IGNORECASE), label) for word, label in (
    ("apbd-p", "apbd_p"), ("kua", "kua_ppas"), ("apbd", "apbd"), ("rkpd", "rkpd"), ("rka", "rka"), ("dpa", "dpa"),
    ("lkpd", "lkpd"), ("lkjip", "lkjip"), ("lakip", "lkjip"), ("lppd", "lppd"), ("renstra", "renstra"),
    ("renja", "renja"), ("dip", "dip"), ("sop", "sop"), ("perda", "perda_perbup"), ("perbup", "perda_perbup"))]


def baseline(doc: Labelled) -> str:
    """The first category acronym in the file name alone."""
    name = doc.url.rsplit("/", 1)[1]
    return next((label for pattern, label in _BASELINE if pattern.search(name)), OTHER)


def scores(pairs: list[tuple[str, str]], labels: list[str]) -> dict:
    """Per label precision, recall and support; micro accuracy; macro precision and recall."""
    out = {}
    for label in labels:
        tp = sum(1 for truth, guess in pairs if truth == label and guess == label)
        fp = sum(1 for truth, guess in pairs if truth != label and guess == label)
        fn = sum(1 for truth, guess in pairs if truth == label and guess != label)
        out[label] = {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
                      "support": tp + fn}
    categories = [label for label in labels if label != OTHER]
    out["_macro"] = {"precision": sum(out[c]["precision"] for c in categories) / len(categories),
                     "recall": sum(out[c]["recall"] for c in categories) / len(categories)}
    out["_accuracy"] = sum(1 for truth, guess in pairs if truth == guess) / len(pairs)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=16, help="documents generated per category")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    docs = generate(args.per_category, args.seed)
    started = time.perf_counter()
    ours, base = [], []
    for doc in docs:
        meta = pdf_metadata(doc.pdf, complete=True)
        guess, _ = categorise(doc.link_text, doc.url, meta)
        ours.append((doc.label, guess))
        base.append((doc.label, baseline(doc)))
    elapsed = time.perf_counter() - started
    labels = [c.id for c in rules().documents.categories] + [OTHER]
    mine, theirs = scores(ours, labels), scores(base, labels)
    with_signal = [pair for pair, doc in zip(ours, docs) if doc.signal]
    print(f"{len(docs)} labelled PDFs ({args.per_category} per category, seed {args.seed}); "
          f"{len(with_signal)} show their category somewhere (link text, file name or PDF title), "
          f"{len(docs) - len(with_signal)} nowhere; {elapsed / len(docs) * 1000:.2f} ms per document "
          f"(read + categorise)")
    print(f"{'category':28} {'support':>7} {'precision':>9} {'recall':>7}   {'baseline P':>10} {'baseline R':>10}")
    for label in labels:
        m, t = mine[label], theirs[label]
        print(f"{label:28} {m['support']:7d} {m['precision']:9.3f} {m['recall']:7.3f}   "
              f"{t['precision']:10.3f} {t['recall']:10.3f}")
    print(f"{'macro (categories)':28} {'':7} {mine['_macro']['precision']:9.3f} {mine['_macro']['recall']:7.3f}   "
          f"{theirs['_macro']['precision']:10.3f} {theirs['_macro']['recall']:10.3f}")
    print(f"{'accuracy (all)':28} {'':7} {mine['_accuracy']:9.3f} {'':7}   {theirs['_accuracy']:10.3f}")
    print(f"ratio to baseline: macro precision x{mine['_macro']['precision'] / max(theirs['_macro']['precision'], 1e-9):.2f}, "
          f"macro recall x{mine['_macro']['recall'] / max(theirs['_macro']['recall'], 1e-9):.2f}, "
          f"accuracy x{mine['_accuracy'] / max(theirs['_accuracy'], 1e-9):.2f}")
    shown = scores(with_signal, labels)
    print(f"{'only documents with a signal':28} {len(with_signal):7d} {shown['_macro']['precision']:9.3f} "
          f"{shown['_macro']['recall']:7.3f}   (macro; accuracy {shown['_accuracy']:.3f})")
    errors = Counter((truth, guess) for truth, guess in with_signal if truth != guess)
    if errors:
        print("confusions among documents with a signal (truth -> guess): "
              + ", ".join(f"{t} -> {g} x{n}" for (t, g), n in errors.most_common(8)))


if __name__ == "__main__":
    main()
