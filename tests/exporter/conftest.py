"""A scored database for lag-list tests, filled row by row so every score is known."""

from __future__ import annotations

import json

import pytest

from storage.db import open_db

DIMENSIONS = ("availability", "accessibility", "interaction", "freshness")

# site id -> (unit id, region, role, url, composite, dimension scores)
SITES = {
    10: (1, "15", "opd", "https://bappeda.jambiprov.go.id/", 82.5, (100, 70, 100, 50)),
    11: (2, "15", "opd", "http://disdik.jambiprov.go.id/", 45.2, (70, 55, 65, 0)),
    12: (3, "15.71", "ppid", "https://ppid.jambikota.go.id/", 0.0, (0, 0, 0, 0)),
    13: (4, "16", "portal", "https://sumselprov.go.id/", 45.2, (100, 40, 0, 10)),
}
UNITS = [
    (1, "15", "Badan Perencanaan Pembangunan Daerah", "bappeda", "opd"),
    (2, "15", "Dinas Pendidikan", "disdik", "opd"),
    (3, "15.71", "PPID Kota Jambi", "ppid", "ppid"),
    (4, "16", "Pemerintah Provinsi Sumatera Selatan", "portal", "portal"),
]
# site id -> (check id, severity, message_id, evidence url, detail)
FAILED = [
    (12, "availability.home", "critical", "Situs tidak dapat dihubungi (koneksi ditolak)",
     "https://ppid.jambikota.go.id/", {"error_class": "connect_refused"}),
    (12, "interaction.contact", "high", "Tidak ada halaman HTML yang dapat diperiksa kontaknya",
     "https://ppid.jambikota.go.id/", {"no_evidence": True}),
    (11, "availability.latency", "medium", "Halaman utama lambat dimuat (2,6 detik)",
     "http://disdik.jambiprov.go.id/", {}),
    (11, "availability.tls", "medium", "Situs tidak menggunakan HTTPS", "http://disdik.jambiprov.go.id/", {}),
    (11, "freshness.newest_content", "critical", "Konten tidak diperbarui sejak 3 Juni 2024 (903 hari lalu, "
     "sumber: tanggal tertulis di halaman)", "http://disdik.jambiprov.go.id/berita/rapat?id=3&p=1", {}),
    (11, "interaction.contact", "high", "Tidak ditemukan alamat email atau nomor telepon di 4 halaman yang diperiksa",
     "http://disdik.jambiprov.go.id/", {}),
    (10, "freshness.newest_content", "medium", "Konten tidak diperbarui sejak 2 Agustus 2026 (113 hari lalu, "
     "sumber: RSS/Atom)", "https://bappeda.jambiprov.go.id/feed", {}),
    (13, "accessibility.basics", "high", "<script>alert(1)</script> [red]9 dari 10 gambar tanpa teks alternatif",
     "javascript:alert(1)", {}),
]


@pytest.fixture
def lag_db(tmp_path):
    """Run 1 scored; run 2 the latest finished but not scored; run 3 still running."""
    path = tmp_path / "pantau.db"
    db = open_db(path)
    db["regions"].insert_all([
        {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None},
        {"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15"},
        {"code": "16", "name": "Provinsi Sumatera Selatan", "kind": "provinsi", "parent": None},
    ])
    db["units"].insert_all([dict(zip(("id", "region_code", "name", "short_name", "kind"), u)) for u in UNITS])
    db["sites"].insert_all([{"id": sid, "unit_id": unit, "url": url, "host": url.split("/")[2], "role": role,
                             "domain_status": "confirmed", "active": 1}
                            for sid, (unit, _, role, url, _, _) in SITES.items()])
    db["runs"].insert_all([
        {"id": 1, "kind": "crawl", "started_at": "2026-11-23T01:00:00+00:00",
         "finished_at": "2026-11-23T03:00:00+00:00", "status": "finished"},
        {"id": 2, "kind": "crawl", "started_at": "2026-11-24T01:00:00+00:00",
         "finished_at": "2026-11-24T03:00:00+00:00", "status": "finished"},
        {"id": 3, "kind": "crawl", "started_at": "2026-11-25T01:00:00+00:00", "status": "running"},
    ])
    scores = []
    for sid, (_, _, _, _, composite, dims) in SITES.items():
        scores.append({"run_id": 1, "site_id": sid, "dimension": "composite", "score": composite,
                       "scored_at": "2026-11-23T04:00:00+00:00"})
        scores += [{"run_id": 1, "site_id": sid, "dimension": d, "score": float(s),
                    "scored_at": "2026-11-23T04:00:00+00:00"} for d, s in zip(DIMENSIONS, dims)]
    db["scores"].insert_all(scores)
    db["findings"].insert_all([
        {"run_id": 1, "site_id": sid, "check_id": check, "dimension": check.split(".")[0], "severity": severity,
         "passed": 0, "message_id": message, "message_en": "english", "evidence_url": url, "detail": json.dumps(detail)}
        for sid, check, severity, message, url, detail in FAILED
    ] + [{"run_id": 1, "site_id": 10, "check_id": "availability.home", "dimension": "availability",
          "severity": "info", "passed": 1, "message_id": "Halaman utama dapat dibuka (HTTP 200)",
          "message_en": "ok", "evidence_url": "https://bappeda.jambiprov.go.id/", "detail": "{}"}])
    db.close()
    return path
