"""Interaction features, page-builder markup and decoys on testbed pages, and their page-level truth."""

from __future__ import annotations

import re

import pytest

from testbed import features as feature_markup
from testbed.content import Links, build_site
from testbed.server import SiteResponder, default_base_urls
from testbed.world import FEATURES, WorldError, load_world, world_from_dict

ALL_NEW = ["sms", "polling", "comments", "live_chat", "complaint_page", "siak", "e_planning", "e_budgeting", "jdih",
           "satu_data", "online_app", "sso"]


def world_with(**portal):
    return world_from_dict({
        "seed": 3, "today": "2026-11-23", "defaults": {"pages": 20, "news": 4, "documents": 1},
        "regions": [{"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id",
                     "portal": {"a11y_defects": [], **portal}, "ppid": {"a11y_defects": []},
                     "opds": [{"short": "dinkes", "name": "Dinas Kesehatan"}]}]})


def html_of(world, host: str, path: str) -> str:
    links = Links(world, default_base_urls(world))
    reply = SiteResponder(world, world.site(host), links).respond("GET", path, {})
    assert reply.status == 200, path
    return reply.body.decode()


@pytest.mark.parametrize("options, message", [
    ({"markup": "elementor"}, "regions[0].portal.markup: 'elementor' is not one of: classic, builder"),
    ({"decoys": "ya"}, "regions[0].portal.decoys: must be true or false, got string 'ya'"),
])
def test_bad_markup_and_decoys_options_are_refused(options, message):
    with pytest.raises(WorldError, match=re.escape(message)):
        world_with(**options)


def test_feature_pages_fit_the_page_budget_and_are_in_the_menu():
    world = world_with(features=["email", "complaint_page", "online_app"])
    model = build_site(world, world.site("jambiprov.go.id"))
    assert len(model.html_paths) == 20
    assert {"/pengaduan", "/layanan-online"} <= set(model.html_paths)
    home = html_of(world, "jambiprov.go.id", "/")
    assert '<li><a href="/pengaduan">Pengaduan</a></li>' in home
    assert '<form action="/pengaduan/kirim" method="post">' in html_of(world, "jambiprov.go.id", "/pengaduan")
    assert 'type="password"' in html_of(world, "jambiprov.go.id", "/layanan-online")


def test_classic_and_builder_markup_show_the_same_features_differently():
    classic = world_with(features=["email", "phone", "whatsapp", "sms", "social"], email_style="mailto")
    builder = world_with(features=["email", "phone", "whatsapp", "sms", "social"], markup="builder")
    c, b = html_of(classic, "jambiprov.go.id", "/"), html_of(builder, "jambiprov.go.id", "/")
    assert 'href="mailto:humas@jambiprov.go.id"' in c and "mailto:" not in b
    assert 'data-cfemail="' in b and "humas@jambiprov.go.id" not in b
    assert "SMS Center: 0811-" in c and 'href="sms:+62811' in b
    assert 'href="https://wa.me/62' in c and 'class="joinchat joinchat--right"' in b
    assert "elementor-social-icon-tiktok" in b


def test_decoys_are_there_only_when_asked_for():
    plain, tricky = world_with(features=[]), world_with(features=[], decoys=True)
    for world, present in ((plain, False), (tricky, True)):
        article = build_site(world, world.site("jambiprov.go.id")).news[0].path
        page = html_of(world, "jambiprov.go.id", article)
        assert ("facebook.com/sharer/sharer.php" in page) is present
        assert ("Komentar ditutup." in page) is present
        assert ("<!-- Widget obrolan dinonaktifkan" in page) is present
        assert (re.search(r"NIP\. \d{8} \d{6} \d \d{3}", html_of(world, "jambiprov.go.id",
                                                                   "/profil/struktur-organisasi")) is not None) is present
        assert ("rekening Bank Jambi" in html_of(world, "jambiprov.go.id", "/kontak")) is present


def test_page_truth_follows_where_each_feature_is_rendered():
    world = world_with(features=["email", "feedback_form", "comments", "complaint_page", "jdih", "lapor"])
    links = Links(world, default_base_urls(world))
    model = build_site(world, world.site("jambiprov.go.id"))
    home = feature_markup.page_truth(model, links, "/")
    assert home == {"email", "complaint", "gov_links", "e_services"}
    assert feature_markup.page_truth(model, links, "/kontak") == home | {"feedback_form"}
    assert feature_markup.page_truth(model, links, model.news[0].path) == home | {"forum"}
    assert feature_markup.page_truth(model, links, "/pengaduan") == home | {"feedback_form"}
    assert feature_markup.site_truth(model, links) == home | {"feedback_form", "forum"}


def test_a_site_without_other_government_links_has_no_gov_links_truth():
    world = world_from_dict({"seed": 1, "today": "2026-11-23", "regions": [
        {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id",
         "portal": {"features": ["email"]}, "ppid": False}]})
    links = Links(world, default_base_urls(world))
    model = build_site(world, world.site("jambiprov.go.id"))
    assert feature_markup.page_truth(model, links, "/") == {"email"}


def test_the_default_world_keeps_its_portal_stages_and_sets_decoys_on_two_kinds_of_portal():
    world = load_world()
    portals = {s.region.code: s for s in world.sites if s.role == "portal"}
    assert portals["15.01"].decoys and portals["15.01"].features == ()
    assert portals["15.03"].decoys and portals["15.03"].markup == "builder" and portals["15.03"].features == ()
    assert portals["15.72"].markup == "builder" and "lpse" not in portals["15.72"].features
    services = {"lpse", "perizinan", "siak", "e_planning", "e_budgeting", "jdih", "satu_data", "online_app"}
    assert sorted(code for code, s in portals.items() if services & set(s.features)) == ["15.04", "15.71"]
    assert set(ALL_NEW) <= set(FEATURES)
