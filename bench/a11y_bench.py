"""Cost of the WCAG checks on 100 KB pages, against parsing the same pages, in the same run.

    python -m bench.a11y_bench [--pages 40] [--repeat 7]

Builds ``--pages`` pages of at least 100 KB from the pages of bench/axe_world.yaml (each
page's body repeated, as a long news index or a busy portal home is long, and a 25 KB
WordPress-like inline style sheet in its head, since pemda sites built on WordPress ship
one), then times on each page, median of ``--repeat`` runs:

- ``lxml``: parsing alone (``checks.wcag.dom.parse_html``), the floor;
- ``bs4``: BeautifulSoup with lxml, what ``Page.soup`` costs the other checks;
- ``wcag``: parsing plus every rule of ``checks.wcag.RULES`` (what the accessibility check
  spends per page), with the style sheet already parsed, as on the second and later pages
  of a site, which share it;
- ``wcag cold``: the same with every cache emptied first, as on a site's first page;
- ``wcag no css``: ``wcag`` on the same page without the inline style sheet (colour
  contrast then has almost nothing it can judge: a lighter case).

Prints the median over pages of each, scaled to exactly 100 KB, and the ratio to lxml.
Times are CPU time of the measuring thread (``time.thread_time``): on a shared machine
wall-clock time also counts the slices other processes take, in steps of the scheduler's
quantum; the wall-clock medians are printed beside them.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from pathlib import Path

from bs4 import BeautifulSoup

from checks.wcag import audit_html
from checks.wcag import css as wcag_css
from checks.wcag.dom import parse_html
from testbed.content import Links
from testbed.server import SiteResponder, default_base_urls
from testbed.world import load_world

HERE = Path(__file__).resolve().parent
TARGET_BYTES = 100_000
PATHS = ("/", "/berita", "/kontak", "/profil", "/dokumen", "/layanan", "/layanan/standar-pelayanan")


def wordpress_like_css(seed: int) -> str:
    """About 25 KB of theme and block-library rules; a few of them style what the pages use."""
    rng = random.Random(seed)
    blocks = ["paragraph", "heading", "image", "gallery", "columns", "column", "group", "button", "buttons",
              "cover", "list", "quote", "table", "separator", "spacer", "media-text", "embed", "file",
              "navigation", "search", "latest-posts", "archives", "categories", "calendar", "social-links"]
    colours = ["black", "white", "cyan-bluish-gray", "pale-pink", "vivid-red", "luminous-vivid-orange",
               "luminous-vivid-amber", "light-green-cyan", "vivid-green-cyan", "pale-cyan-blue",
               "vivid-cyan-blue", "vivid-purple"]
    rules = []
    for block in blocks:
        for part in ("", "__inner-container", "__content", "__link", "__text"):
            hexa = "".join(rng.choice("0123456789abcdef") for _ in range(6))
            rules.append(f".wp-block-{block}{part}{{margin:0 0 1em;padding:{rng.randint(0, 24)}px;"
                         f"color:#{hexa};font-size:{rng.choice(['13px', '1rem', '1.125em', '90%'])}}}")
        rules.append(f".wp-block-{block} a:hover,.wp-block-{block} a:focus{{color:#1e73be}}")
        rules.append(f"@media (max-width:781px){{.wp-block-{block}{{flex-basis:100%!important}}}}")
    for name in colours:
        hexa = "".join(rng.choice("0123456789abcdef") for _ in range(6))
        rules.append(f".has-{name}-color{{color:#{hexa}!important}}")
        rules.append(f".has-{name}-background-color{{background-color:#{hexa}!important}}")
        rules.append(f".has-{name}-border-color{{border-color:#{hexa}!important}}")
    rules += ["body{background-color:#ffffff;color:#333333;font:16px/1.6 'Open Sans',Arial,sans-serif}",
              "a{color:#1e73be}", ".site-footer{background:#0b3d6b;color:#e0e0e0}", ".site-footer a{color:#fff}",
              ".site-header .logo img{max-height:64px}", ".menu-utama ul li a{color:#0b3d6b;text-decoration:none}",
              ".menu-utama .sub-menu{display:none}", ".menu-utama li:hover>.sub-menu{display:block}",
              ".sidebar .widget h3{border-bottom:2px solid #0b3d6b}", "main.konten h1{font-size:2rem}",
              ".berita .meta{color:#595959;font-size:.875rem}", ".screen-reader-text{clip:rect(1px,1px,1px,1px);"
              "position:absolute!important;height:1px;width:1px;overflow:hidden}"]
    text = "\n".join(rules)
    while len(text) < 25_000:
        hexa = "".join(rng.choice("0123456789abcdef") for _ in range(6))
        text += f"\n.elementor-element-{rng.randint(1000, 99999)} .elementor-widget-container{{color:#{hexa}}}"
    return text


def build_pages(count: int) -> list[str]:
    world = load_world(HERE / "axe_world.yaml")
    links = Links(world, default_base_urls(world))
    sources = []
    for spec in world.sites:
        responder = SiteResponder(world, spec, links)
        for path in PATHS:
            reply = responder.respond("GET", path, {})
            if reply.status == 200:
                sources.append(reply.body.decode("utf-8"))
    pages = []
    for n in range(count):
        html = sources[n % len(sources)]
        head, _, rest = html.partition("<body>")
        body, _, tail = rest.partition("</body>")
        head = head.replace("</head>", f"<style id=\"wp-inline-css\">{wordpress_like_css(n // len(PATHS))}"
                                      "</style>\n</head>")
        copies = 1
        while len(head) + len(body) * copies + len(tail) < TARGET_BYTES:
            copies += 1
        pages.append(head + "<body>" + body * copies + "</body>" + tail)
    return pages


def clear_caches() -> None:
    for cached in (wcag_css._parse_sheet, wcag_css._compile, wcag_css._inline_cached):
        cached.cache_clear()


def median_ms(run, page: str, repeat: int, before=None) -> tuple[float, float]:
    """Median CPU and wall-clock milliseconds of ``run(page)``."""
    cpu, wall = [], []
    for _ in range(repeat):
        if before:
            before()
        started, started_cpu = time.perf_counter(), time.thread_time()
        run(page)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    pages = build_pages(args.pages)
    for page in pages[:3]:
        audit_html(page)  # warm up imports and the style sheet caches
    measures = {
        "lxml": lambda page: parse_html(page),
        "bs4": lambda page: BeautifulSoup(page, "lxml"),
        "wcag": lambda page: audit_html(page),
    }
    per_100kb: dict[str, list[float]] = {name: [] for name in (*measures, "wcag cold", "wcag no css")}
    wall: dict[str, list[float]] = {name: [] for name in per_100kb}
    for page in pages:
        scale = TARGET_BYTES / len(page.encode("utf-8"))
        for name, run in measures.items():
            if name == "wcag":
                audit_html(page)  # this page's style sheet parsed, as by the site's earlier pages
            cpu_ms, wall_ms = median_ms(run, page, args.repeat)
            per_100kb[name].append(cpu_ms * scale)
            wall[name].append(wall_ms * scale)
        cpu_ms, wall_ms = median_ms(measures["wcag"], page, args.repeat, clear_caches)
        per_100kb["wcag cold"].append(cpu_ms * scale)
        wall["wcag cold"].append(wall_ms * scale)
        plain = re.sub(r'<style id="wp-inline-css">.*?</style>', "", page, flags=re.S)
        cpu_ms, wall_ms = median_ms(measures["wcag"], plain, args.repeat)
        per_100kb["wcag no css"].append(cpu_ms * scale)
        wall["wcag no css"].append(wall_ms * scale)

    sizes = [len(page.encode("utf-8")) for page in pages]
    print(f"{len(pages)} pages of {min(sizes) // 1000}-{max(sizes) // 1000} KB, median of {args.repeat} runs each, "
          f"scaled to 100 KB; load average {os.getloadavg()[0]:.1f}")
    floor = statistics.median(per_100kb["lxml"])
    print(f"{'':12} {'CPU median ms':>14} {'CPU p90 ms':>11} {'x lxml':>7} {'wall median ms':>15}")
    for name, values in per_100kb.items():
        values = sorted(values)
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"{name:12} {statistics.median(values):>14.2f} {p90:>11.2f} {statistics.median(values) / floor:>7.1f} "
              f"{statistics.median(wall[name]):>15.2f}")
    sample = audit_html(pages[0])
    print(f"first page: {len(sample.doc.index.elements)} elements, {len(sample.results)} rules applied, "
          f"{len(sample.failed)} failed")


if __name__ == "__main__":
    main()
