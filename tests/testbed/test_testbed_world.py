"""The world file: the default Jambi world, resolution of defaults, and validation errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from testbed.generate import generate_world
from testbed.world import FAULTS, PROBE_FAULTS, WorldError, load_world, world_from_dict

# Kemendagri 2025 codes of Jambi's twelve pemda and their portal domains.
JAMBI_REGIONS = {
    "15": ("Provinsi Jambi", "provinsi", None, "jambiprov.go.id"),
    "15.01": ("Kabupaten Kerinci", "kabupaten", "15", "kerincikab.go.id"),
    "15.02": ("Kabupaten Merangin", "kabupaten", "15", "meranginkab.go.id"),
    "15.03": ("Kabupaten Sarolangun", "kabupaten", "15", "sarolangunkab.go.id"),
    "15.04": ("Kabupaten Batanghari", "kabupaten", "15", "batangharikab.go.id"),
    "15.05": ("Kabupaten Muaro Jambi", "kabupaten", "15", "muarojambikab.go.id"),
    "15.06": ("Kabupaten Tanjung Jabung Barat", "kabupaten", "15", "tanjabbarkab.go.id"),
    "15.07": ("Kabupaten Tanjung Jabung Timur", "kabupaten", "15", "tanjabtimkab.go.id"),
    "15.08": ("Kabupaten Bungo", "kabupaten", "15", "bungokab.go.id"),
    "15.09": ("Kabupaten Tebo", "kabupaten", "15", "tebokab.go.id"),
    "15.71": ("Kota Jambi", "kota", "15", "jambikota.go.id"),
    "15.72": ("Kota Sungai Penuh", "kota", "15", "sungaipenuhkota.go.id"),
}


@pytest.fixture(scope="module")
def jambi():
    return load_world()


def test_default_world_has_jambis_twelve_pemda_with_their_codes_and_domains(jambi):
    got = {r.code: (r.name, r.kind, r.parent, r.domain) for r in jambi.regions}
    assert got == JAMBI_REGIONS


def test_every_pemda_runs_a_portal_a_ppid_site_and_at_least_eight_opd_sites(jambi):
    for region in jambi.regions:
        roles = Counter(s.role for s in jambi.sites_of(region.code))
        assert roles["portal"] == 1 and roles["ppid"] == 1, region.code
        assert roles["opd"] >= 8, region.code
    assert 115 <= len(jambi.sites) <= 130
    assert jambi.site("jambiprov.go.id").role == "portal"
    assert jambi.site("ppidv2.tebokab.go.id").role == "ppid"  # the observed Tebo PPID host
    assert jambi.site("diskominfo.jambiprov.go.id").unit_name == "Dinas Komunikasi dan Informatika"


def test_default_world_mixes_every_fault_and_tls_variant_into_a_mostly_healthy_web(jambi):
    faults = Counter(s.fault for s in jambi.sites)
    assert set(faults) == set(FAULTS) - PROBE_FAULTS
    assert faults["nxdomain"] == 1 and faults["slow"] == 1 and 2 <= faults["down"] <= 4
    assert faults["none"] >= 0.85 * len(jambi.sites)
    tls = Counter(s.tls for s in jambi.sites)
    assert tls["expired"] == tls["self_signed"] == tls["wrong_host"] == 1
    assert tls["none"] + tls["valid"] == len(jambi.sites) - 3
    slow = [s for s in jambi.sites if s.fault == "slow"]
    assert slow[0].slow_ms == 3000


def test_default_world_has_stale_sites_that_pretend_to_be_fresh(jambi):
    stale = [s for s in jambi.sites if s.newest_days_ago >= 400]
    assert len(stale) >= 5
    assert all(s.newest_days_ago <= 1500 for s in stale)
    today = jambi.today
    tricksters = [s for s in stale if s.today_widget or s.footer_copyright_year == today.year]
    assert len(tricksters) >= 2
    assert [s.host for s in jambi.sites if s.calendar_trap] == ["jambikota.go.id"]
    assert jambi.site("jambiprov.go.id").robots_disallow == ("/admin/", "/dokumen/internal/")
    assert sum(s.wordpress for s in jambi.sites) >= 3


def test_unset_options_are_drawn_from_the_seed_and_host_so_every_load_agrees(small_world_path):
    first, second = load_world(small_world_path), load_world(small_world_path)
    assert first.sites == second.sites
    site = first.site("wp.jambiprov.go.id")
    assert site.date_style in ("long", "short", "numeric")
    assert site.email_style in ("mailto", "obfuscated")
    kalender = first.site("kalender.jambiprov.go.id")
    assert 0 <= kalender.newest_days_ago <= 6  # fresh unless the file says otherwise


def test_explicit_options_and_defaults_reach_the_site(small_world):
    portal = small_world.site("jambiprov.go.id")
    assert (portal.tls, portal.email_style, portal.robots_disallow) == ("valid", "obfuscated", ("/admin/",))
    assert portal.features == ("email", "phone", "lapor", "social")
    assert [d.file for d in portal.documents] == ["APBD_2026.pdf", "LKjIP_2025.pdf", "Renstra_2021-2026.pdf"]
    usang = small_world.site("usang.jambiprov.go.id")
    assert usang.footer_copyright_year == 2026  # "current" is the world's today
    assert usang.a11y_defects == ("img_no_alt", "no_html_lang")
    assert small_world.newest_date(usang) == dt.date(2026, 3, 10) - dt.timedelta(days=900)
    lambat = small_world.site("lambat.jambiprov.go.id")
    assert (lambat.pages, lambat.news, lambat.slow_ms) == (8, 2, 300)
    assert small_world.site("wp.jambiprov.go.id").pages == 20  # from defaults
    assert small_world.region("15.71").parent == "15"
    assert [s.role for s in small_world.sites_of("15.71")] == ["portal"]  # ppid: false


BASE = """\
seed: 1
today: 2026-03-10
regions:
  - code: "15"
    name: Provinsi Jambi
    kind: provinsi
    domain: jambiprov.go.id
    portal: {tls: valid}
    opds:
      - {short: diskominfo, name: Dinas Komunikasi dan Informatika}
"""

BAD_WORLDS = [
    (BASE.replace("{tls: valid}", "{tls: vaild}"),
     "8: regions[0].portal.tls: 'vaild' is not one of: none, valid, expired, self_signed, wrong_host"),
    (BASE.replace("{short: diskominfo,", "{short: diskominfo, tsl: valid,"),
     "10: regions[0].opds[0]: unknown key 'tsl' (expected one of: short, name, host, tls, fault, slow_ms, "
     "newest_days_ago, wordpress, robots_disallow, calendar_trap, pages, news, features, documents, "
     "footer_copyright_year, today_widget, a11y_defects, email_style, date_style, hsts, https_redirect, "
     "a11y_rich, markup, decoys, dates_only_in_pdfs)"),
    (BASE.replace('code: "15"', "code: 15"),
     '4: regions[0].code: must be a non-empty string (a quoted Kemendagri code like "15" or "15.01"), '
     "got number 15"),
    (BASE + "      - {short: kominfo, name: Kominfo, host: diskominfo.jambiprov.go.id}\n",
     "11: regions[0].opds[1].host: duplicate host 'diskominfo.jambiprov.go.id' (first at line 10)"),
    (BASE + '  - {code: "15.71", name: Kota Jambi, kind: kota, parent: "16", domain: jambikota.go.id}\n',
     "11: regions[1].parent: unknown parent region '16'"),
    (BASE.replace("    domain: jambiprov.go.id\n", ""),
     "4: regions[0]: missing required key 'domain'"),
    (BASE.replace("{tls: valid}", "{tls: valid, pages: 3}"),
     "8: regions[0].portal.pages: must be between 8 and 5000, got 3"),
    (BASE.replace("    kind: provinsi\n", "    kind: provinsi\n    kind: kota\n"),
     "7: duplicate key 'kind'"),
    (BASE.replace("{tls: valid}", "{tls: valid"),
     "9: invalid YAML: expected ',' or '}', but got ':'"),
    (BASE.replace("{tls: valid}", "{documents: [{title: APBD 2026, category: berkala, year: 2026}]}"),
     "8: regions[0].portal.documents[0]: missing required key 'file'"),
    (BASE.replace("{tls: valid}", "{robots_disallow: [admin]}"),
     "8: regions[0].portal.robots_disallow[0]: must be a path starting with '/', got 'admin'"),
    (BASE.replace("today: 2026-03-10", "today: kemarin"),
     "2: today: must be a date like 2026-11-23 or null, got string 'kemarin'"),
    (BASE.replace("{tls: valid}", "{features: [email, fax]}"),
     "8: regions[0].portal.features[1]: 'fax' is not one of: email, phone, whatsapp, feedback_form, lapor, "
     "social, lpse, perizinan, sms, polling, comments, live_chat, complaint_page, siak, e_planning, e_budgeting, "
     "jdih, satu_data, online_app, sso"),
    (BASE.replace("{short: diskominfo,", "{short: diskominfo, fault: lambat,"),
     "10: regions[0].opds[0].fault: 'lambat' is not one of: none, down, nxdomain, slow, http_500, http_403, "
     "http_404_home, redirect_loop, empty_body, parked, blackhole, dns_error, redirect_chain, defaced, tls_broken"),
    (BASE.replace("kind: provinsi", "kind: negara"),
     "6: regions[0].kind: 'negara' is not one of: provinsi, kabupaten, kota"),
    ("regions: []\n", "1: regions: must list at least one region"),
    (BASE.replace("{tls: valid}", "{host: Jambi_Prov.go.id}"),
     "8: regions[0].portal.host: 'Jambi_Prov.go.id' is not valid (a lower-case host name)"),
    (BASE.replace("{short: diskominfo, name:", "{name:"),
     "10: regions[0].opds[0]: missing required key 'short'"),
    (BASE.replace("{tls: valid}", "{wordpress: ya}"),
     "8: regions[0].portal.wordpress: must be true or false, got string 'ya'"),
    (BASE.replace("{tls: valid}", "{host: salah.example.go.id}"),
     "8: regions[0].portal.host: 'salah.example.go.id' is reserved for the wrong_host certificate"),
]


@pytest.mark.parametrize("text, message", BAD_WORLDS, ids=[m.split(":", 2)[1].strip() or m for _, m in BAD_WORLDS])
def test_a_bad_world_file_is_refused_with_its_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError) as info:
        load_world(path)
    assert str(info.value) == f"{path}:{message}"


def test_the_base_of_the_bad_world_table_is_itself_valid(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert [s.host for s in load_world(path).sites] == [
        "jambiprov.go.id", "ppid.jambiprov.go.id", "diskominfo.jambiprov.go.id"]


def test_a_missing_world_file_names_itself(tmp_path):
    with pytest.raises(WorldError, match=r"nope\.yaml: cannot read world file"):
        load_world(tmp_path / "nope.yaml")


def test_a_world_built_in_code_is_validated_too():
    with pytest.raises(WorldError) as info:
        world_from_dict({"regions": [{"code": "15", "name": "X", "kind": "provinsi", "domain": "x.go.id",
                                      "portal": {"fault": "meledak"}}]}, source="<code>")
    assert str(info.value).startswith("<code>: regions[0].portal.fault: 'meledak' is not one of")


def test_generated_worlds_have_the_requested_size_and_are_reproducible():
    world = generate_world(250, pages=12, seed=3)
    assert len(world.sites) == 250
    assert len({s.host for s in world.sites}) == 250
    assert [s.host for s in world.sites] == [s.host for s in generate_world(250, pages=12, seed=3).sites]
    assert all(s.pages == 12 for s in world.sites)
    faults = Counter(s.fault for s in world.sites)
    assert set(faults) <= {"none", "slow", "down"}
    assert faults["none"] >= 0.9 * 250 and faults["slow"] + faults["down"] >= 1
    assert sum(s.tls == "none" for s in world.sites) >= 0.9 * 250
    parents = {r.parent for r in world.regions} - {None}
    assert parents <= {r.code for r in world.regions}
    assert len(generate_world(1).sites) == 1
