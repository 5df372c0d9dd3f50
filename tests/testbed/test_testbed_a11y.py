"""Seeded accessibility defects: each one shows up as its WCAG rule, and only where seeded."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from checks.wcag import audit_html
from testbed import a11y
from testbed.content import Links
from testbed.server import SiteResponder, default_base_urls
from testbed.world import A11Y_DEFECTS, A11Y_EXTRA_DEFECTS, load_world, world_from_dict

AXE_WORLD = Path(__file__).resolve().parents[2] / "bench" / "axe_world.yaml"
PATHS = ("/", "/berita", "<article>", "/kontak", "/profil", "/dokumen", "/layanan", a11y.SERVICE_TABLE_PATH)
RULES_OF_DEFECT = {
    "img_no_alt": {"image-alt", "link-name"},  # the logo is the home link's only content
    "no_html_lang": {"html-has-lang"}, "missing_title": {"document-title"},
    "empty_link": {"link-name"}, "unlabeled_form": {"label-placeholder-only"}, "low_contrast": {"color-contrast"},
    "empty_button": {"button-name"}, "duplicate_id": {"duplicate-id"}, "zoom_disabled": {"meta-viewport"},
    "iframe_no_title": {"frame-title"}, "table_no_headers": {"td-has-header"},
    "autoplay_audio": {"no-autoplay-audio"}, "unlabeled_select": {"label"}, "invalid_lang": {"html-lang-valid"},
    "image_button_no_alt": {"input-image-alt"},
}
# What every testbed template fails whatever its options: home has no <h1>, list pages jump from
# <h1> to <h3>, and the home page links its newest PDFs by title alone.
TEMPLATE_RULES = {"page-has-heading-one", "heading-order", "link-pdf-unmarked"}


@pytest.fixture(scope="module")
def axe_world():
    return load_world(AXE_WORLD)


def responders(world):
    links = Links(world, default_base_urls(world))
    return {spec.host: SiteResponder(world, spec, links) for spec in world.sites}


def failed_rules(responder) -> set[str]:
    found = set()
    for path in PATHS:
        if path == "<article>":
            path = responder.model.news[0].path
        reply = responder.respond("GET", path, {})
        if reply.status == 200:
            found.update(audit_html(reply.body, path).failed)
    return found


def test_every_defect_maps_to_a_rule():
    assert set(RULES_OF_DEFECT) == set(A11Y_DEFECTS + A11Y_EXTRA_DEFECTS)


def test_each_site_of_the_comparison_world_fails_exactly_its_seeded_rules(axe_world):
    for host, responder in responders(axe_world).items():
        expected = TEMPLATE_RULES.union(*(RULES_OF_DEFECT[d] for d in responder.spec.a11y_defects))
        assert failed_rules(responder) == expected, host


def test_the_comparison_world_seeds_every_defect_on_a_site_of_its_own_mix(axe_world):
    seeded = [set(spec.a11y_defects) for spec in axe_world.sites]
    assert set().union(*seeded) == set(RULES_OF_DEFECT)
    assert any(not s for s in seeded) and len({frozenset(s) for s in seeded}) == len(seeded)


def test_rich_widgets_are_accessible_unless_broken():
    world = world_from_dict({"seed": 3, "today": "2026-11-23", "regions": [{
        "code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "domain": "jambiprov.go.id", "ppid": False,
        "portal": {"a11y_rich": True, "a11y_defects": [], "pages": 24}}]})
    [responder] = responders(world).values()
    home = responder.respond("GET", "/", {}).body.decode()
    assert '<iframe class="video-profil"' in home and '<div class="pengumuman" role="note">' in home
    assert '<img src="/assets/img/ornamen.png" role="presentation" class="ornamen">' in home
    assert failed_rules(responder) == TEMPLATE_RULES


def test_sites_without_accessibility_options_render_no_widget():
    world = load_world(None)
    plain = [s for s in world.sites if not s.a11y_rich and not set(s.a11y_defects) & set(A11Y_EXTRA_DEFECTS)]
    assert len(plain) == len(world.sites)
    responder = responders(world)[plain[0].host]
    home = responder.respond("GET", "/", {}).body.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in home
    assert not re.search(r"<style|pengumuman|<iframe|<audio|bagikan", home)
    assert responder.respond("GET", a11y.ANTHEM_PATH, {}).status == 404


def test_the_anthem_is_a_twenty_second_wav_file(axe_world):
    responder = responders(axe_world)["dinkes.jambiprov.go.id"]
    reply = responder.respond("GET", a11y.ANTHEM_PATH, {})
    assert (reply.status, reply.headers["Content-Type"]) == (200, "audio/wav")
    body = reply.body
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    rate, byte_rate = struct.unpack("<II", body[24:32])
    data_size = struct.unpack("<I", body[40:44])[0]
    assert data_size / byte_rate == a11y.ANTHEM_SECONDS == 20
