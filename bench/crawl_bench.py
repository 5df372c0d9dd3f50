"""Crawl benchmark: pantau's full pipeline against a bare Scrapy spider, in the same run.

    python -m bench.crawl_bench [--sites 200] [--pages 30]

1. serves a generated testbed of N sites x P pages on loopback;
2. runs ``pantau crawl`` (robots, middlewares, link extraction, SQLite pipeline) and then
   ``pantau score`` over it, each in its own process;
3. runs the bare spider (bench/bare_spider.py) over exactly the HTML pages the full crawl
   fetched, with the same concurrency and resolver;
4. prints pages/second both ways, their ratio, and each process's peak RSS.
The machine is shared and noisy: read the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.cli_demo import start_testbed, stop_testbed
from storage.db import open_db


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Run ``cmd``; return wall seconds, peak RSS in MiB and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{text}")
    return elapsed, usage.ru_maxrss // 1024, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    testbed_dir = work / "testbed"
    testbed_dir.mkdir()
    proc = start_testbed(testbed_dir, extra_args=("--generate", str(args.sites), "--pages", str(args.pages)),
                         timeout=300)
    pantau = [sys.executable, "-m", "crawler.cli"]
    db_path = work / "pantau.db"
    try:
        subprocess.run([*pantau, "sites", "import", str(testbed_dir / "registry.csv"), "--db", str(db_path)],
                       check=True, capture_output=True)
        crawl_s, crawl_rss, _ = timed([
            *pantau, "crawl", "--db", str(db_path), "--hosts-file", str(testbed_dir / "hosts.txt"),
            "--ca-file", str(testbed_dir / "ca.pem"), "--allow-private", "--no-progress", "--no-score",
            "--max-pages", str(args.pages), "--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "LOG_LEVEL=ERROR"])
        score_s, score_rss, _ = timed([*pantau, "score", "--db", str(db_path)])
        db = open_db(db_path)
        urls = [row["final_url"] for row in db.query(
            "select final_url from pages where kind in ('home', 'page') and status = 200")]
        all_fetched = db.execute("select count(*) from pages where status is not null").fetchone()[0]
        db.close()
        urls_file = work / "urls.txt"
        urls_file.write_text("\n".join(urls))
        bare_s, bare_rss, bare_out = timed([sys.executable, "-m", "bench.bare_spider", str(urls_file),
                                            str(testbed_dir / "hosts.txt")])
    finally:
        stop_testbed(proc)

    html_pages = len(urls)
    crawl_rate = html_pages / crawl_s
    full_rate = html_pages / (crawl_s + score_s)
    bare_rate = int(bare_out.strip().splitlines()[-1]) / bare_s
    print(f"testbed: {args.sites} sites x {args.pages} pages; {html_pages} HTML pages fetched "
          f"({all_fetched} responses in all, with robots, sitemaps, feeds and document HEADs)")
    print(f"bare scrapy       : {bare_rate:8.1f} pages/s   peak RSS {bare_rss} MiB")
    print(f"pantau crawl      : {crawl_rate:8.1f} pages/s   peak RSS {crawl_rss} MiB   "
          f"ratio to bare {crawl_rate / bare_rate:.2f}")
    print(f"pantau crawl+score: {full_rate:8.1f} pages/s   peak RSS {max(crawl_rss, score_rss)} MiB   "
          f"ratio to bare {full_rate / bare_rate:.2f}")
    print(f"(work files in {work})")


if __name__ == "__main__":
    main()
