"""Scrape benchmark: `pantau serve` over a generated store of 25,000 sites.

    python -m bench.scrape_bench [--sites 25000] [--pages 30] [--runs 2] [--scrapes 5] [--db PATH]

Generates a store shaped like a real one (every site crawled and scored in each of
``--runs`` weekly runs, ``--pages`` pages per site per run, https certificates, freshness
findings), starts the real ``pantau serve`` on loopback and scrapes it over HTTP, plain
and gzip, reporting the time per scrape, the answer's size, samples and series per site,
and the exporter's resident memory after the first and the last scrape (it must not grow).
The baseline, measured in the same run, is prometheus-client's own ``generate_latest``
over the same collector in this process; the ratio compares the in-process render of
both with the same data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest

from exporter.metrics import PantauCollector, render
from storage.db import open_db

REPO = Path(__file__).resolve().parents[1]
DIMENSIONS = ("availability", "accessibility", "interaction", "freshness")
CHECKS = ("availability.home", "availability.tls", "availability.latency", "accessibility.basics",
          "interaction.contact")


def build_store(path: Path, sites: int, pages: int, runs: int, seed: int = 7) -> None:
    """A store with ``sites`` sites in ~550 regions, each crawled and scored in ``runs`` runs,
    probed in two rounds, and judged in two weekly lag lists: every family has data."""
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    conn = db.conn
    provinces = [f"{p:02d}" for p in range(11, 49)]
    regions = [(p, f"Provinsi {p}", "provinsi", None) for p in provinces]
    while len(regions) < 552:
        p = rng.choice(provinces)
        code = f"{p}.{len(regions):02d}"
        regions.append((code, f"Kabupaten {code}", "kabupaten", p))
    conn.executemany("insert into regions (code, name, kind, parent) values (?, ?, ?, ?)", regions)
    unit_rows, site_rows = [], []
    for i in range(1, sites + 1):
        region = regions[i % len(regions)][0]
        kind = "portal" if i % 45 == 0 else "ppid" if i % 45 == 1 else "opd"
        unit_rows.append((i, region, f"Dinas Nomor {i}", f"dinas{i}", kind))
        scheme = "https" if i % 5 else "http"
        site_rows.append((i, i, f"{scheme}://dinas{i}.r{region.replace('.', '')}.go.id/",
                          f"dinas{i}.r{region.replace('.', '')}.go.id", kind, "confirmed", 1))
    conn.executemany("insert into units (id, region_code, name, short_name, kind) values (?, ?, ?, ?, ?)", unit_rows)
    conn.executemany("insert into sites (id, unit_id, url, host, role, domain_status, active) "
                     "values (?, ?, ?, ?, ?, ?, ?)", site_rows)
    # The stage finding carries every feature with its evidence: a few kilobytes per site.
    features = {f"feature_{n}": {"found": bool(n % 2), "evidence": [{"url": "https://x.go.id/kontak",
                                                                    "snippet": "telepon (0741) 123456 " * 4}]}
                for n in range(12)}
    for run in range(1, runs + 1):
        day = 1 + 7 * (run - 1)
        conn.execute("insert into runs (id, kind, started_at, finished_at, status) values (?, 'crawl', ?, ?, "
                     "'finished')", [run, f"2026-11-{day:02d}T01:00:00+00:00", f"2026-11-{day:02d}T05:00:00+00:00"])
        page_rows, finding_rows, score_rows = [], [], []
        for sid, _, url, _, role, _, _ in site_rows:
            down = rng.random() < 0.1
            tls = json.dumps({"not_after": f"2027-0{rng.randint(1, 9)}-15T00:00:00+00:00", "expired": False,
                              "issuer": "CN=R3"}) if url.startswith("https") else None
            page_rows.append((run, sid, url, "home", None if down else 200, "connect_refused" if down else "ok",
                              rng.uniform(50, 4000), tls))
            for n in range(1, pages):
                page_rows.append((run, sid, f"{url}halaman/{n}", "page", 200, "ok", rng.uniform(50, 4000), tls))
            newest = f"202{rng.randint(4, 6)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            finding_rows.append((run, sid, "freshness.newest_content", "freshness", "info", 1,
                                 json.dumps({"newest": None if down else newest, "source": "feed"})))
            finding_rows.append((run, sid, "interaction.stage", "interaction", "info", 1,
                                 json.dumps({"stage": None if down else rng.randint(1, 4), "features": features})))
            for year in (2025, 2026):
                missing = [{"category": "apbd", "label": "APBD"}] * rng.randint(0, 3)
                finding_rows.append((run, sid, "freshness.required_documents", "freshness", "medium", not missing,
                                     json.dumps({"fiscal_year": year, "missing": missing})))
            if role == "ppid":
                finding_rows.append((run, sid, "freshness.ppid", "freshness", "medium", 0,
                                     json.dumps({"missing": rng.randint(0, 8), "stale": rng.randint(0, 4)})))
            finding_rows += [(run, sid, check, check.split(".")[0], "low", rng.random() < 0.6, "{}")
                             for check in CHECKS]
            dims = [0.0 if down else float(rng.choice((0, 35, 50, 65, 85, 100))) for _ in DIMENSIONS]
            score_rows += [(run, sid, d, s) for d, s in zip(DIMENSIONS, dims)]
            score_rows.append((run, sid, "composite", round(sum(dims) / len(dims), 1)))
        conn.executemany("insert into pages (run_id, site_id, url, kind, status, error_class, elapsed_ms, tls) "
                         "values (?, ?, ?, ?, ?, ?, ?, ?)", page_rows)
        conn.executemany("insert into findings (run_id, site_id, check_id, dimension, severity, passed, detail) "
                         "values (?, ?, ?, ?, ?, ?, ?)", finding_rows)
        conn.executemany("insert into scores (run_id, site_id, dimension, score, scored_at) "
                         "values (?, ?, ?, ?, '2026-11-23T06:00:00+00:00')", score_rows)
        conn.commit()
    for n, minute in enumerate((0, 5)):
        run = runs + 1 + n
        conn.execute("insert into runs (id, kind, started_at, finished_at, status) values (?, 'probe', ?, ?, "
                     "'finished')", [run, f"2026-11-23T10:{minute:02d}:00+00:00",
                                     f"2026-11-23T10:{minute + 1:02d}:00+00:00"])
        conn.executemany(
            "insert into probes (run_id, site_id, probed_at, status, error_class, total_ms, tls) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [(run, sid, f"2026-11-23T10:{minute:02d}:{sid % 60:02d}+00:00", 200, "ok", rng.uniform(50, 4000),
              json.dumps({"not_after": "2027-03-01T00:00:00+00:00"}) if url.startswith("https") else None)
             for sid, _, url, _, _, _, _ in site_rows])
    conn.executemany("insert into weekly_status (week, unit_id, region_code, has_data, lagging, level) "
                     "values (?, ?, ?, 1, ?, ?)",
                     [(week, uid, region, rng.random() < 0.2, rng.randint(0, 3))
                      for week in ("2026-W46", "2026-W47") for uid, region, _, _, _ in unit_rows])
    conn.commit()
    conn.execute("analyze")
    conn.commit()
    db.close()


def rss_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far: what a scrape costs on an idle core."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scrape(url: str, use_gzip: bool) -> tuple[float, bytes, int]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if use_gzip else {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
    elapsed = time.perf_counter() - start
    return elapsed, gzip.decompress(raw) if use_gzip else raw, len(raw)


def start_exporter(db_path: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path), "--listen",
                             "127.0.0.1:0"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    line = proc.stdout.readline()
    match = re.search(r"(http://\S+/metrics)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"the exporter did not start: {line!r}")
    return proc, match.group(1)


def series_per_site(text: str) -> tuple[int, int, float]:
    samples = [line for line in text.splitlines() if line and not line.startswith("#")]
    per_site = [line for line in samples if ',site="' in line or '{site="' in line]
    sites = {re.search(r'site="(\d+)"', line).group(1) for line in per_site}
    return len(samples), len(sites), len(per_site) / max(1, len(sites))


def in_process(db_path: Path) -> dict[str, float]:
    """Seconds and peak Python allocations of the streaming render and of generate_latest."""
    collector = PantauCollector(db_path)
    registry = CollectorRegistry()
    registry.register(collector)
    result = {}
    for name, produce in (("stream", lambda: sum(len(p) for p in render(collector.iter_families(lazy=True)))),
                          ("baseline", lambda: len(generate_latest(registry)))):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            produce()
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        produce()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result[f"{name}_s"] = min(times)
        result[f"{name}_peak_mib"] = peak / 2**20
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=25_000)
    parser.add_argument("--pages", type=int, default=30, help="pages per site per run")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--scrapes", type=int, default=5)
    parser.add_argument("--db", type=Path, default=REPO / "var" / "bench" / "scrape.db",
                        help="store to generate (reused with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing store at --db")
    args = parser.parse_args(argv)

    if not (args.reuse and args.db.exists()):
        start = time.perf_counter()
        build_store(args.db, args.sites, args.pages, args.runs)
        print(f"store: {args.db} ({args.sites} sites x {args.runs} runs x {args.pages} pages) built in "
              f"{time.perf_counter() - start:.1f} s, {args.db.stat().st_size / 2**20:.0f} MiB")

    proc, url = start_exporter(args.db)
    load_before = os.getloadavg()[0]
    try:
        rows = {}
        for use_gzip in (False, True):
            times, sizes, cpu = [], [], []
            for n in range(args.scrapes):
                cpu_before = cpu_seconds(proc.pid)
                elapsed, text, size = scrape(url, use_gzip)
                cpu.append(cpu_seconds(proc.pid) - cpu_before)
                times.append(elapsed)
                sizes.append(size)
                if n == 0 and not use_gzip:
                    rss_first = rss_kib(proc.pid)["VmRSS"]
                    body = text.decode("utf-8")
            rows["gzip" if use_gzip else "plain"] = (statistics.median(times), max(times), statistics.median(sizes),
                                                     statistics.median(cpu))
        rss = rss_kib(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)

    samples, sites, per_site = series_per_site(body)
    print(f"answer: {samples} samples, {sites} sites with results, {per_site:.2f} series per site")
    print(f"load average {load_before:.1f} when the scrapes started, on {os.cpu_count()} CPUs "
          "(wall time stretches with it; CPU time does not)")
    for name, (median, worst, size, cpu) in rows.items():
        print(f"HTTP scrape ({name:5}): median {median:.3f} s, worst {worst:.3f} s over {args.scrapes}, "
              f"exporter CPU {cpu:.3f} s per scrape, {size / 2**20:.1f} MiB on the wire")
    print(f"exporter RSS: {rss_first / 1024:.0f} MiB after the first scrape, {rss['VmRSS'] / 1024:.0f} MiB after "
          f"{2 * args.scrapes}, peak {rss['VmHWM'] / 1024:.0f} MiB")
    figures = in_process(args.db)
    print(f"in process: streaming render {figures['stream_s']:.3f} s (peak Python allocations "
          f"{figures['stream_peak_mib']:.1f} MiB); prometheus_client generate_latest {figures['baseline_s']:.3f} s "
          f"(peak {figures['baseline_peak_mib']:.1f} MiB); ratio {figures['baseline_s'] / figures['stream_s']:.1f}x "
          f"faster, {figures['baseline_peak_mib'] / figures['stream_peak_mib']:.1f}x less memory")


if __name__ == "__main__":
    main()
