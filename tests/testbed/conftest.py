"""A small world with one site per fault and TLS variant, served once per test session.

The server runs on its own event loop in a background thread, so tests stay plain
functions and fetch with ``asyncio.run``. Names resolve only through the testbed's hosts
file (``HostsResolver``), exactly as the crawler resolves them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tb_helpers import ServerThread

from testbed.server import Testbed
from testbed.world import World, load_world

SMALL_WORLD = """\
seed: 7
today: 2026-03-10
defaults: {pages: 20, news: 12, documents: 4, features: [email, phone]}
regions:
  - code: "15"
    name: Provinsi Jambi
    kind: provinsi
    parent: null
    domain: jambiprov.go.id
    capital: Jambi
    portal:
      tls: valid
      robots_disallow: [/admin/]
      features: [email, phone, social, lapor]
      email_style: obfuscated
      a11y_defects: []
      documents:
        - {title: APBD Tahun Anggaran 2026, category: berkala, year: 2026, file: APBD_2026.pdf, days_ago: 60}
        - {title: LKjIP 2025, category: berkala, year: 2025, file: LKjIP_2025.pdf, days_ago: 20}
        - {title: Renstra 2021-2026, category: setiap_saat, year: 2021, file: Renstra_2021-2026.pdf}
    ppid: {tls: valid, features: [email, feedback_form], a11y_defects: []}
    opds:
      - {short: wp, name: Dinas WordPress, wordpress: true, newest_days_ago: 3}
      - {short: kalender, name: Dinas Kalender, calendar_trap: true}
      - {short: lambat, name: Dinas Lambat, fault: slow, slow_ms: 300, pages: 8, news: 2}
      - {short: mati, name: Dinas Mati, fault: down}
      - {short: hilang, name: Dinas Hilang, fault: nxdomain}
      - {short: rusak, name: Dinas Rusak, fault: http_500}
      - {short: tolak, name: Dinas Tolak, fault: http_403}
      - {short: tanpahome, name: Dinas Tanpa Beranda, fault: http_404_home}
      - {short: putar, name: Dinas Berputar, fault: redirect_loop}
      - {short: kosong, name: Dinas Kosong, fault: empty_body}
      - {short: parkir, name: Dinas Parkir, fault: parked}
      - {short: kedaluwarsa, name: Dinas Sertifikat Kedaluwarsa, tls: expired}
      - {short: swasign, name: Dinas Sertifikat Sendiri, tls: self_signed}
      - {short: salahnama, name: Dinas Salah Nama, tls: wrong_host}
      - {short: usang, name: Dinas Usang, newest_days_ago: 900, today_widget: true,
         footer_copyright_year: current, a11y_defects: [img_no_alt, no_html_lang], features: []}
  - code: "15.71"
    name: Kota Jambi
    kind: kota
    parent: "15"
    domain: jambikota.go.id
    portal: {features: [email, phone, whatsapp, lpse, perizinan]}
    ppid: false
"""


@pytest.fixture(scope="session")
def small_world_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("world") / "small.yaml"
    path.write_text(SMALL_WORLD, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_world(small_world_path) -> World:
    return load_world(small_world_path)


@pytest.fixture(scope="session")
def served(small_world) -> Testbed:
    server = ServerThread(small_world)
    yield server.testbed
    server.stop()
