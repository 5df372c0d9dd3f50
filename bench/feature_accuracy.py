"""Precision and recall of the feature detectors on a labelled set of generated testbed pages.

A world of random sites is generated: each site draws its interaction features, its theme
(classic or page-builder markup) and whether it carries decoys. Several pages of every site
are rendered by the testbed exactly as it serves them, and each page is labelled from the
world's options by ``testbed.features.page_truth`` (never by reading the HTML). Every page is
then judged alone by ``checks.features``; whole sites are judged too (all their pages at once).

A naive baseline (keyword and pattern search over the raw HTML) runs on the same pages, so
the figures read as a comparison measured in the same run.

    python -m bench.feature_accuracy [--regions 8] [--seed 4]
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from checks.base import Page, SiteEvidence
from checks.features import DETECTORS, detect_all
from testbed import features as feature_markup
from testbed.content import Links
from testbed.server import SiteResponder, default_base_urls
from testbed.world import A11Y_DEFECTS, FEATURES, World, world_from_dict

OPDS = (("diskominfo", "Dinas Komunikasi dan Informatika"), ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"), ("bappeda", "Badan Perencanaan "
        "Pembangunan Daerah"))
# How likely a site shows each testbed feature: the basics are common, the rest are not.
LIKELY = {"email": 0.7, "phone": 0.7, "social": 0.5, "lapor": 0.4, **{service: 0.08 for service in (
    "lpse", "perizinan", "siak", "e_planning", "e_budgeting", "jdih", "satu_data", "online_app")}}
SAMPLED_PATHS = ("/", "/kontak", "/profil/struktur-organisasi", "/perangkat-daerah", "/ppid", "/layanan",
                 *feature_markup.EXTRA_PATHS.values())

# The naive baseline: what a keyword search over the page source would say.
BASELINE = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\[at\]", re.I),
    "telephone": re.compile(r"\(?0\d{2,3}\)?[ .-]?\d{3,4}[ .-]?\d{2,5}"),
    "sms": re.compile(r"\bsms\b", re.I),
    "whatsapp": re.compile(r"whatsapp|wa\.me", re.I),
    "feedback_form": re.compile(r"<textarea", re.I),
    "polling": re.compile(r"survei|polling|jajak pendapat|\bskm\b|\bikm\b", re.I),
    "forum": re.compile(r"komentar|forum|disqus", re.I),
    "live_chat": re.compile(r"tawk\.to|tidio|crisp\.chat|livechatinc|customerchat", re.I),
    "complaint": re.compile(r"lapor\.go\.id|pengaduan", re.I),
    "social_media": re.compile(r"(facebook|instagram|twitter|youtube|tiktok)\.com|//x\.com", re.I),
    "gov_links": re.compile(r"href=\"https?://[^\"]*\.go\.id", re.I),
    "e_services": re.compile(r"lpse|\boss\b|perizinan|\bsiak\b|jdih|satu data|e-planning|e-budgeting|\bsipd\b", re.I),
    "integration": re.compile(r"\bsso\b|satu akun", re.I),
}


def random_world(regions: int = 8, seed: int = 4) -> World:
    """``regions`` kabupaten, each with a portal, a PPID site and four OPD sites, options drawn at random."""
    rng = random.Random(f"feature-accuracy:{seed}")

    def options() -> dict:
        features = [f for f in FEATURES if rng.random() < LIKELY.get(f, 0.3)]
        return {"features": features, "markup": "builder" if rng.random() < 0.4 else "classic",
                "decoys": rng.random() < 0.5, "email_style": rng.choice(["mailto", "obfuscated"]),
                "a11y_defects": rng.sample(A11Y_DEFECTS, rng.choice([0, 0, 1, 2]))}

    data = {"seed": seed, "today": "2026-11-23", "defaults": {"pages": 20, "news": 6, "documents": 2},
            "regions": [{"code": "15", "name": "Provinsi Uji", "kind": "provinsi", "domain": "ujiprov.go.id",
                         "portal": options(), "ppid": options(), "opds": []}]}
    for n in range(1, regions):
        data["regions"].append({
            "code": f"15.{n:02d}", "name": f"Kabupaten Uji {n}", "kind": "kabupaten", "parent": "15",
            "domain": f"uji{n}kab.go.id", "portal": options(), "ppid": options(),
            "opds": [{"short": short, "name": name, **options()} for short, name in OPDS]})
    # Lone portals (no PPID site, no agencies) link no other government site unless a feature does.
    for n in range(regions, regions + max(2, regions // 2)):
        data["regions"].append({"code": f"15.{n:02d}", "name": f"Kabupaten Uji {n}", "kind": "kabupaten",
                                "parent": "15", "domain": f"uji{n}kab.go.id", "portal": options(), "ppid": False})
    return world_from_dict(data, source=f"<feature accuracy regions={regions} seed={seed}>")


@dataclass
class Labelled:
    host: str
    path: str
    page: Page
    truth: set[str]


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)

    def add(self, feature: str, truth: bool, found: bool) -> None:
        self.counts[(feature, {(True, True): "tp", (False, True): "fp", (True, False): "fn",
                               (False, False): "tn"}[(truth, found)])] += 1

    def get(self, feature: str, outcome: str) -> int:
        return self.counts[(feature, outcome)]

    def precision(self, feature: str) -> float:
        tp, fp = self.get(feature, "tp"), self.get(feature, "fp")
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, feature: str) -> float:
        tp, fn = self.get(feature, "tp"), self.get(feature, "fn")
        return tp / (tp + fn) if tp + fn else 1.0


def labelled_pages(world: World) -> tuple[list[Labelled], dict[str, tuple[list[Page], set[str]]]]:
    """Rendered pages with their labels, and per site every page with the site's label."""
    links = Links(world, default_base_urls(world))
    pages, sites = [], {}
    for spec in world.sites:
        responder = SiteResponder(world, spec, links)
        model = responder.model
        site_pages = []
        for path in ["/", *model.html_paths]:
            base, _, query = path.partition("?")
            reply = responder.respond("GET", base, dict([query.split("=")]) if query else {})
            if reply.status != 200:
                continue
            page = Page(url=links.absolute(spec.host, path), kind="home" if path == "/" else "page", status=200,
                        content_type=reply.headers["Content-Type"], text=reply.body.decode("utf-8"))
            site_pages.append(page)
            sampled = path in SAMPLED_PATHS or (model.news and path == model.news[0].path)
            if sampled:
                pages.append(Labelled(spec.host, path, page, feature_markup.page_truth(model, links, path)))
        sites[spec.host] = (site_pages, feature_markup.site_truth(model, links))
    return pages, sites


def evaluate(regions: int = 8, seed: int = 4) -> dict:
    """Tallies of pantau's detectors and of the baseline, per page and per site, with the misses."""
    world = random_world(regions, seed)
    pages, sites = labelled_pages(world)
    page_tally, base_tally, site_tally = Tally(), Tally(), Tally()
    misses = []
    for item in pages:
        site = {"host": item.host, "url": f"https://{item.host}/"}
        found = {k for k, r in detect_all(SiteEvidence(site=site, pages=[item.page])).items() if r.found}
        for feature in DETECTORS:
            page_tally.add(feature, feature in item.truth, feature in found)
            base_tally.add(feature, feature in item.truth, bool(BASELINE[feature].search(item.page.text)))
            if (feature in item.truth) != (feature in found):
                misses.append((item.host, item.path, feature, feature in item.truth))
    for host, (site_pages, truth) in sites.items():
        found = {k for k, r in detect_all(SiteEvidence(site={"host": host}, pages=site_pages)).items() if r.found}
        for feature in DETECTORS:
            site_tally.add(feature, feature in truth, feature in found)
    return {"pages": len(pages), "sites": len(sites), "page": page_tally, "baseline": base_tally,
            "site": site_tally, "misses": misses}


def report(result: dict) -> str:
    page, base, site = result["page"], result["baseline"], result["site"]
    lines = [f"labelled pages: {result['pages']} (from {result['sites']} generated sites); per page, then per site",
             "", f"{'detector':14} {'pos':>4} {'neg':>4} {'prec':>6} {'recall':>6}   {'baseline prec':>13} "
                 f"{'recall':>6}   {'site prec':>9} {'recall':>6}"]
    for feature in DETECTORS:
        pos = page.get(feature, "tp") + page.get(feature, "fn")
        neg = page.get(feature, "fp") + page.get(feature, "tn")
        lines.append(f"{feature:14} {pos:4} {neg:4} {page.precision(feature):6.3f} {page.recall(feature):6.3f}   "
                     f"{base.precision(feature):13.3f} {base.recall(feature):6.3f}   "
                     f"{site.precision(feature):9.3f} {site.recall(feature):6.3f}")
    total = {name: sum(t.get(f, o) for f in DETECTORS for o in ("tp", "tn")) /
             sum(t.get(f, o) for f in DETECTORS for o in ("tp", "tn", "fp", "fn"))
             for name, t in (("pantau", page), ("baseline", base))}
    errors = {name: sum(t.get(f, o) for f in DETECTORS for o in ("fp", "fn")) for name, t in
              (("pantau", page), ("baseline", base))}
    lines += ["", f"page-level accuracy over all detectors: pantau {total['pantau']:.3f} ({errors['pantau']} "
                  f"wrong verdicts), baseline {total['baseline']:.3f} ({errors['baseline']} wrong verdicts)"]
    for host, path, feature, expected in result["misses"][:20]:
        lines.append(f"miss: {feature} {'missed' if expected else 'false alarm'} on {host}{path}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    print(report(evaluate(args.regions, args.seed)))


if __name__ == "__main__":
    main()
