"""pantau's WCAG rules against axe-core in headless Chromium, page by page.

    python -m bench.axe_compare [--world bench/axe_world.yaml] [--json var/bench/axe_compare.json]

1. serves the world (default: bench/axe_world.yaml, ten sites with seeded defects) on
   127.0.0.1;
2. picks eight pages of every site (home, news list, an article, contact, profile,
   documents, services, the service-standard page);
3. pantau: fetches each page over HTTP, as the crawler would, and runs ``checks.wcag``
   twice: on the page alone (what a crawl stores today) and with the same-site style
   sheets the page links, fetched as a browser would (``--mode`` picks which to judge);
4. axe-core 4.14 (bench/axe/, ``npm ci`` there first) renders the same URLs in Debian's
   chromium through playwright-core, with only the testbed reachable;
5. for every pantau rule that has axe-core counterparts, counts per page: both flag, only
   pantau, only axe, neither; agreement = (both + neither) / pages. Every disagreement is
   listed with pantau's CSS path and axe's target, so it can be explained.

Not a test: it needs chromium and node. Exit status 1 when a shared rule agrees on fewer
than 95% of the pages in the judged mode.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from cssselect import SelectorError
from cssselect.xpath import ExpressionError
from lxml.cssselect import CSSSelector

from checks.wcag import RULES, audit_html
from testbed.server import Testbed, start_testbed
from testbed.world import World, load_world

HERE = Path(__file__).resolve().parent
AXE_DIR = HERE / "axe"
DEFAULT_WORLD = HERE / "axe_world.yaml"
TARGET = 0.95
PATHS = ("/", "/berita", "<article>", "/kontak", "/profil", "/dokumen", "/layanan", "/layanan/standar-pelayanan")


class ServedWorld:
    """The testbed of ``world`` on an event loop in a daemon thread."""

    def __init__(self, world: World):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.testbed: Testbed = asyncio.run_coroutine_threadsafe(start_testbed(world), self.loop).result(30)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.testbed.close(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def sample_urls(served: Testbed, max_sites: int | None = None) -> list[str]:
    """Eight pages of every healthy plain-HTTP site (of the first ``max_sites`` such sites)."""
    urls = []
    sites = [site for site in served.sites if site.fault == "none" and site.tls == "none"]
    for site in sites[:max_sites]:
        model = served.responder(site.host).model
        for path in PATHS:
            if path == "<article>":
                if not model.news:
                    continue
                path = model.news[0].path
            elif path not in ("/", "/berita") and path not in model.pages:
                continue
            urls.append(site.url.rstrip("/") + path)
    return urls


def fetch(url: str, port: int) -> bytes:
    """GET ``url`` from the testbed on 127.0.0.1:``port`` with its Host header, like the crawler."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                     headers={"Host": parts.netloc, "User-Agent": "pantau-axe-compare"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return body
    finally:
        conn.close()


def linked_stylesheets(url: str, html: bytes, port: int) -> dict[str, str]:
    """The same-site style sheets a page links, fetched from the testbed."""
    from checks.wcag.dom import parse_html

    root = parse_html(html)
    sheets = {}
    for link in ([] if root is None else root.iter("link")):
        if "stylesheet" not in (link.get("rel") or "").lower().split() or not link.get("href"):
            continue
        target = urljoin(url, link.get("href"))
        if urlsplit(target).netloc == urlsplit(url).netloc and target not in sheets:
            sheets[target] = fetch(target, port).decode("utf-8", "replace")
    return sheets


def run_axe(urls: list[str], allow: list[str], rules: list[str], chromium: str) -> dict:
    if not (AXE_DIR / "node_modules" / "axe-core").is_dir():
        raise SystemExit(f"axe-core is not installed: run `npm ci` in {AXE_DIR}")
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"urls": urls, "allow": allow, "rules": rules, "chromium": chromium}, handle)
    try:
        done = subprocess.run([node, str(AXE_DIR / "run_axe.mjs"), handle.name], cwd=AXE_DIR,
                              capture_output=True, text=True, timeout=1800)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise SystemExit(f"run_axe.mjs failed:\n{done.stderr}")
    return json.loads(done.stdout)


def resolve(root, targets: list[str]) -> tuple[set, int]:
    """The elements of pantau's tree that axe's CSS targets name, and how many named none."""
    found, lost = set(), 0
    for target in targets:
        try:
            hits = CSSSelector(target, translator="html")(root)
        except (SelectorError, ExpressionError):
            hits = []
        if len(hits) == 1:
            found.add(hits[0])
        else:
            lost += 1
    return found, lost


def compare(urls: list[str], audits: dict, axe: dict) -> tuple[list[dict], list[dict]]:
    """Per shared rule: the four page counts, element counts and agreement; and every disagreement."""
    by_url = {page["url"]: page for page in axe["pages"]}
    table, disagreements = [], []
    for rule in RULES:
        if not rule.axe:
            continue
        counts = Counter()
        for url in urls:
            audit = audits[url]
            page = by_url[url]
            mine = audit.results.get(rule.id) or []
            theirs = [v for v in page["violations"] if v["id"] in rule.axe]
            incomplete = [v for v in page["incomplete"] if v["id"] in rule.axe]
            counts["incomplete"] += bool(incomplete)
            named, lost = resolve(audit.doc.root, [t for v in theirs for t in v["targets"]])
            counts["elements_both"] += len(named & set(mine))
            counts["elements_only_pantau"] += len(set(mine) - named)
            counts["elements_only_axe"] += len(named - set(mine)) + lost
            if mine and theirs:
                counts["both"] += 1
            elif mine:
                counts["only_pantau"] += 1
            elif theirs:
                counts["only_axe"] += 1
            else:
                counts["neither"] += 1
            if bool(mine) != bool(theirs):
                disagreements.append({
                    "rule": rule.id, "url": url, "flagged_by": "pantau" if mine else "axe",
                    "pantau": [audit.doc.css_path(el) for el in mine],
                    "axe": [t for v in theirs for t in v["targets"]],
                    "axe_incomplete": [t for v in incomplete for t in v["targets"]],
                })
        pages = len(urls)
        table.append({"rule": rule.id, "axe": list(rule.axe), "pages": pages, "both": counts["both"],
                      "only_pantau": counts["only_pantau"], "only_axe": counts["only_axe"],
                      "neither": counts["neither"], "axe_incomplete": counts["incomplete"],
                      "elements": [counts["elements_both"], counts["elements_only_pantau"],
                                   counts["elements_only_axe"]],
                      "agreement": (counts["both"] + counts["neither"]) / pages if pages else 1.0})
    return table, disagreements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", default=str(DEFAULT_WORLD), help="world file (YAML)")
    parser.add_argument("--sites", type=int, default=None, help="sample at most this many sites")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser executable")
    parser.add_argument("--mode", choices=("with-css", "html-only"), default="with-css",
                        help="judge pantau with the linked same-site style sheets (as a browser sees the page) "
                             "or on the page HTML alone (what a crawl stores today); both are printed")
    parser.add_argument("--json", default=None, help="also write the full comparison here")
    args = parser.parse_args(argv)

    world = load_world(args.world)
    served = ServedWorld(world)
    try:
        testbed = served.testbed
        urls = sample_urls(testbed, args.sites)
        port = testbed.http_port
        bodies = {url: fetch(url, port) for url in urls}
        sheets = {url: linked_stylesheets(url, body, port) for url, body in bodies.items()}
        audits = {
            "html-only": {url: audit_html(body, url) for url, body in bodies.items()},
            "with-css": {url: audit_html(body, url, stylesheets=sheets[url]) for url, body in bodies.items()},
        }
        allow = sorted({f"{urlsplit(url).hostname}:{port}" for url in urls})
        rules = sorted({axe_id for rule in RULES for axe_id in rule.axe})
        axe = run_axe(urls, allow, rules, args.chromium)
    finally:
        served.close()

    errors = [page for page in axe["pages"] if page["error"]]
    if errors:
        raise SystemExit(f"axe could not check {len(errors)} pages, first: {errors[0]['url']}: {errors[0]['error']}")
    results = {mode: compare(urls, found, axe) for mode, found in audits.items()}
    sites = len({urlsplit(url).hostname for url in urls})
    seeded = sum(1 for url in urls if audits[args.mode][url].failed)
    print(f"{axe['engine']['name']} {axe['engine']['version']} in Chromium {axe['browser']}; "
          f"{len(urls)} pages of {sites} sites ({seeded} with at least one pantau finding); "
          f"requests blocked before leaving: {len(axe['blocked'])}")
    for mode in ("with-css", "html-only"):
        table, _ = results[mode]
        label = ("page + its linked same-site style sheets" if mode == "with-css"
                 else "page HTML only, as a crawl stores it today")
        print(f"\npantau on the {label} ({mode}{', judged' if mode == args.mode else ''}):")
        print(f"{'pantau rule':<22} {'axe-core rules':<30} {'both':>5} {'pantau':>7} {'axe':>5} {'neither':>8} "
              f"{'agree':>7}   elements both/pantau/axe")
        for row in table:
            axe_rules = ",".join(row["axe"]).replace("duplicate-id,duplicate-id-active,duplicate-id-aria",
                                                      "duplicate-id(-active,-aria)")
            print(f"{row['rule']:<22} {axe_rules:<30} {row['both']:>5} {row['only_pantau']:>7} "
                  f"{row['only_axe']:>5} {row['neither']:>8} {row['agreement']:>7.1%}   "
                  + "/".join(str(n) for n in row["elements"]))
        overall = sum(r["both"] + r["neither"] for r in table) / sum(r["pages"] for r in table)
        print(f"all shared rules: {overall:.1%} of page x rule verdicts agree; lowest rule "
              f"{min(r['agreement'] for r in table):.1%}")
    table, disagreements = results[args.mode]
    if disagreements:
        print(f"\ndisagreements ({args.mode}):")
        for item in disagreements:
            where = item["pantau"] if item["flagged_by"] == "pantau" else item["axe"]
            print(f"  {item['rule']}: only {item['flagged_by']} on {item['url']} at {'; '.join(where)[:160]}"
                  + (f" (axe: needs review at {'; '.join(item['axe_incomplete'])[:80]})"
                     if item["axe_incomplete"] else ""))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({
            "engine": axe["engine"], "browser": axe["browser"], "chromium_args": axe["args"], "pages": urls,
            "modes": {mode: {"rules": found[0], "disagreements": found[1]} for mode, found in results.items()},
            "blocked": axe["blocked"]}, indent=1) + "\n", encoding="utf-8")
    return 0 if all(row["agreement"] >= TARGET for row in table) else 1


if __name__ == "__main__":
    sys.exit(main())
