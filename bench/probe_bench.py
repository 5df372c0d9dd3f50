"""Probe benchmark: ``pantau probe`` against Debian's prometheus-blackbox-exporter, same run.

    python -m bench.probe_bench [--sites 25000] [--concurrency 256] [--workers 2] [--timeout 5]
                                [--https-share 0.2] [--repeat 1]

1. serves a generated testbed of N hosts on loopback in a child process: mostly healthy
   sites (a fifth of them HTTPS, or --https-share), some slow (1-2 s, inside the timeout), some down
   (connection refused) and some with a broken certificate (expired, self-signed, wrong
   host). Every home page is rendered before the clock starts, so whichever prober runs
   second gets no warmer server than the first;
2. imports the testbed's registry and runs the real ``pantau probe`` over it in its own
   process (names through the hosts file, certificates against the testbed CA, one row
   per site written to SQLite);
3. starts ``prometheus-blackbox-exporter`` (apt-get install prometheus-blackbox-exporter)
   on 127.0.0.1 and drives its ``/probe`` endpoint over the same hosts from a small aiohttp
   client with the same concurrency. blackbox_exporter 0.23 cannot be given a hosts file,
   so each target is given as ``http(s)://127.0.0.1:PORT/`` with a module of its own that
   sets the ``Host`` header and the TLS ``server_name`` to the site's name and trusts the
   testbed CA: it sends the same requests to the same listeners and verifies the same
   certificates, and no name is ever looked up in DNS;
4. prints probes/second both ways, their ratio, CPU seconds, each process's peak RSS, and
   how many probes each found successful (they must agree, or the comparison is void).
With ``--repeat N`` the two alternate N times (who goes first alternates too) and medians
and every pair are printed. The testbed shares the machine's CPUs with the prober under
test, so on a small machine the ratio understates the difference in CPU per probe.
The machine is shared and noisy: read the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLACKBOX = "prometheus-blackbox-exporter"

# The mix of the benchmark world, by share of hosts; the rest are healthy.
SLOW_SHARE, DOWN_SHARE, TLS_BROKEN_SHARE, HTTPS_SHARE = 0.04, 0.04, 0.03, 0.2
SLOW_MS = (1000, 2000)


def bench_site_options(rng: random.Random, pages: int, https_share: float = HTTPS_SHARE) -> dict:
    roll = rng.random()
    options: dict = {"pages": pages, "news": 2, "documents": 0, "newest_days_ago": 1}
    if roll < SLOW_SHARE:
        options.update(fault="slow", slow_ms=rng.randint(*SLOW_MS))
    elif roll < SLOW_SHARE + DOWN_SHARE:
        options["fault"] = "down"
    elif roll < SLOW_SHARE + DOWN_SHARE + TLS_BROKEN_SHARE:
        options["tls"] = rng.choice(["expired", "self_signed", "wrong_host"])
        return options
    if rng.random() < https_share:
        options["tls"] = "valid"
    return options


def kind_of(site) -> str:
    if site.fault == "slow":
        return "slow"
    if site.fault == "down":
        return "down"
    if site.tls in ("expired", "self_signed", "wrong_host"):
        return "tls_broken"
    return "up"


# --- the testbed child process ------------------------------------------------------------


def serve(sites: int, out: Path, https_share: float = HTTPS_SHARE) -> None:
    from testbed.generate import generate_world
    from testbed.server import REGISTRY_COLUMNS, start_testbed

    world = generate_world(sites, pages=8,
                           site_options=lambda rng, pages: bench_site_options(rng, pages, https_share))

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        testbed = await start_testbed(world)
        try:
            for site in testbed.sites:
                if site.fault != "down":
                    testbed.responder(site.host).respond("GET", "/", {}, {})
            out.mkdir(parents=True, exist_ok=True)
            (out / "hosts.txt").write_text(testbed.hosts_file_text(), encoding="utf-8")
            (out / "ca.pem").write_bytes(testbed.ca_cert_pem)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(testbed.registry_rows())
            (out / "registry.csv").write_text(buffer.getvalue(), encoding="utf-8")
            targets = [{"host": s.host, "url": s.url, "kind": kind_of(s.spec),
                        "ip_url": s.url.replace(f"//{s.host}:", "//127.0.0.1:")} for s in testbed.sites]
            (out / "targets.json").write_text(json.dumps(targets), encoding="utf-8")
            (out / "ready").write_text(str(os.getpid()))
            await stop.wait()
        finally:
            await testbed.close()

    asyncio.run(run())


def start_server(sites: int, out: Path, https_share: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "bench.probe_bench", "serve", "--sites", str(sites),
                             "--out", str(out), "--https-share", str(https_share)], cwd=REPO)
    deadline = time.monotonic() + 900
    while not (out / "ready").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the benchmark testbed did not start")
        time.sleep(0.2)
    return proc


# --- measuring ------------------------------------------------------------------------------


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd``; return wall seconds, CPU seconds (its worker processes included) and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{text}")
    return elapsed, usage.ru_utime + usage.ru_stime, text


def blackbox_config(targets: list[dict], ca_file: Path, timeout: float) -> str:
    """One module per host: the Host header and TLS server name of that host."""
    lines = ["modules:"]
    for n, target in enumerate(targets):
        lines += [
            f"  h{n}:",
            "    prober: http",
            f"    timeout: {timeout}s",
            "    http:",
            "      preferred_ip_protocol: ip4",
            "      ip_protocol_fallback: false",
            f"      headers: {{Host: {target['host']}}}",
            f"      tls_config: {{ca_file: {ca_file}, server_name: {target['host']}}}",
        ]
    return "\n".join(lines) + "\n"


async def drive_blackbox(port: int, targets: list[dict], concurrency: int) -> tuple[float, Counter]:
    import aiohttp

    results: Counter = Counter()
    queue = list(enumerate(targets))
    queue.reverse()
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency),
                                     timeout=timeout) as session:
        async def worker() -> None:
            while queue:
                n, target = queue.pop()
                url = f"http://127.0.0.1:{port}/probe"
                async with session.get(url, params={"target": target["ip_url"], "module": f"h{n}"}) as response:
                    text = await response.text()
                success = "\nprobe_success 1" in "\n" + text
                results[(target["kind"], success)] += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, results


def vm_mib(pid: int, field_name: str) -> int:
    """VmRSS (now) or VmHWM (peak) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    serve_parser = sub.add_parser("serve", help="(internal) serve the benchmark testbed")
    serve_parser.add_argument("--sites", type=int, required=True)
    serve_parser.add_argument("--out", type=Path, required=True)
    serve_parser.add_argument("--https-share", type=float, default=HTTPS_SHARE)
    parser.add_argument("--sites", type=int, default=25_000)
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="pantau probe --workers (default: the number of CPUs)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per probe, both probers")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each prober this many times, alternating; medians are reported")
    parser.add_argument("--https-share", type=float, default=HTTPS_SHARE,
                        help=f"share of the healthy and slow hosts served over HTTPS (default {HTTPS_SHARE})")
    parser.add_argument("--skip-blackbox", action="store_true")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.sites, args.out, args.https_share)
        return
    bench(args)


class Pantau:
    """``pantau probe`` rounds over the benchmark registry, each in its own process."""

    def __init__(self, work: Path, testbed_dir: Path, args):
        self.db_path = work / "pantau.db"
        self.cmd = [sys.executable, "-m", "crawler.cli"]
        subprocess.run([*self.cmd, "sites", "import", str(testbed_dir / "registry.csv"), "--db", str(self.db_path)],
                       check=True, capture_output=True, cwd=REPO)
        t = str(args.timeout)
        self.probe = [*self.cmd, "probe", "--db", str(self.db_path), "--hosts-file", str(testbed_dir / "hosts.txt"),
                      "--ca-file", str(testbed_dir / "ca.pem"), "--allow-private", "--concurrency",
                      str(args.concurrency), "--per-host", "2", "--workers", str(args.workers),
                      "--connect-timeout", t, "--read-timeout", t, "--timeout", t]

    def run(self, by_host: dict[str, str]) -> dict:
        from storage.db import open_db

        seconds, cpu, out = timed(self.probe)
        db = open_db(self.db_path, readonly=True)
        run = next(db.query("select id, stats from runs where kind = 'probe' order by id desc limit 1"))
        ok: Counter = Counter()
        for row in db.query("select s.host, p.error_class from probes p join sites s on s.id = p.site_id "
                            "where p.run_id = ?", [run["id"]]):
            ok[(by_host[row["host"]], row["error_class"] == "ok")] += 1
        db.close()
        stats = json.loads(run["stats"])
        return {"seconds": seconds, "cpu": cpu, "probes": sum(ok.values()), "ok": ok,
                "summary": out.strip().splitlines()[-1], "rss": sum(stats["peak_rss_mib"]),
                "rss_parts": stats["peak_rss_mib"]}


class Blackbox:
    """prometheus-blackbox-exporter on 127.0.0.1, one module per target host."""

    def __init__(self, work: Path, testbed_dir: Path, targets: list[dict], args):
        import socket

        if shutil.which(BLACKBOX) is None:
            raise SystemExit(f"{BLACKBOX} is not installed: apt-get install {BLACKBOX} (or --skip-blackbox)")
        self.targets, self.concurrency = targets, args.concurrency
        config = work / "blackbox.yml"
        config.write_text(blackbox_config(targets, testbed_dir / "ca.pem", args.timeout))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen([BLACKBOX, f"--config.file={config}",
                                      f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=error",
                                      "--timeout-offset=0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{BLACKBOX} did not start (check {config})") from None
                time.sleep(0.1)
        self.idle_rss = vm_mib(self.proc.pid, "VmRSS")  # its configuration (a module per host) loaded

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def run(self) -> dict:
        cpu_before, client_before = self.cpu(), time.process_time()
        seconds, results = asyncio.run(drive_blackbox(self.port, self.targets, self.concurrency))
        return {"seconds": seconds, "probes": len(self.targets), "ok": results, "cpu": self.cpu() - cpu_before,
                "client_cpu": time.process_time() - client_before, "rss": vm_mib(self.proc.pid, "VmHWM")}

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def bench(args) -> None:
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="pantau-probe-bench-"))
    testbed_dir = work / "testbed"
    print(f"generating and serving {args.sites} hosts (home pages rendered before timing)...", flush=True)
    server = start_server(args.sites, testbed_dir, args.https_share)
    blackbox = None
    pantau_runs, blackbox_runs = [], []
    try:
        targets = json.loads((testbed_dir / "targets.json").read_text())
        by_host = {target["host"]: target["kind"] for target in targets}
        kinds = Counter(by_host.values())
        pantau = Pantau(work, testbed_dir, args)
        if not args.skip_blackbox:
            blackbox = Blackbox(work, testbed_dir, targets, args)
        for n in range(args.repeat):  # alternate who goes first, so a drift in the machine's load favours neither
            if blackbox is not None and n % 2:
                blackbox_runs.append(blackbox.run())
            pantau_runs.append(pantau.run(by_host))
            if blackbox is not None and not n % 2:
                blackbox_runs.append(blackbox.run())
    finally:
        if blackbox is not None:
            blackbox.close()
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)

    def median(runs: list[dict]) -> dict:
        return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]

    def ok_of(run: dict, kind: str | None = None) -> int:
        return sum(v for (k, success), v in run["ok"].items() if success and kind in (None, k))

    https = sum(1 for t in targets if t["url"].startswith("https:") and t["kind"] in ("up", "slow"))
    mix = ", ".join(f"{kinds[k]} {k}" for k in ("up", "slow", "down", "tls_broken")) + \
        f"; {https} of the up and slow ones over HTTPS"
    print(f"testbed: {len(targets)} hosts ({mix}); concurrency {args.concurrency}, timeout {args.timeout:g} s, "
          f"{os.cpu_count()} CPUs, pantau --workers {args.workers}; testbed in its own process")
    print(f"load average (1 min) before and after: {load_before:.1f}, {os.getloadavg()[0]:.1f} "
          "(other work on the machine slows both probers alike only if it is steady)")
    p = median(pantau_runs)
    p_rate = p["probes"] / p["seconds"]
    runs = "" if args.repeat == 1 else f" (median of {args.repeat}: " + ", ".join(
        f"{r['seconds']:.1f}" for r in pantau_runs) + " s)"
    print(f"pantau probe:      {p['probes']} probes in {p['seconds']:6.1f} s = {p_rate:6.0f} probes/s, "
          f"peak RSS {p['rss']:.0f} MiB ({' + '.join(f'{v:.0f}' for v in p['rss_parts'])}: coordinator + workers), "
          f"ok {ok_of(p)}{runs}")
    print(f"  process wall time, start-up and SQLite writes included; {p['cpu']:.1f} s of CPU "
          f"({1000 * p['cpu'] / p['probes']:.2f} ms a probe); its own summary: {p['summary']}")
    if blackbox_runs:
        b = median(blackbox_runs)
        b_rate = b["probes"] / b["seconds"]
        runs = "" if args.repeat == 1 else f" (median of {args.repeat}: " + ", ".join(
            f"{r['seconds']:.1f}" for r in blackbox_runs) + " s)"
        print(f"blackbox_exporter: {b['probes']} probes in {b['seconds']:6.1f} s = {b_rate:6.0f} probes/s, "
              f"peak RSS {b['rss']} MiB ({blackbox.idle_rss} MiB idle with its {len(targets)} modules), "
              f"probe_success {ok_of(b)}{runs}")
        print(f"  {b['cpu']:.1f} s of CPU ({1000 * b['cpu'] / b['probes']:.2f} ms a probe), driven by an aiohttp "
              f"client in the benchmark process ({b['client_cpu']:.1f} s of CPU more)")
        print(f"ratio pantau / blackbox_exporter (probes/s): {p_rate / b_rate:.2f}")
        if args.repeat > 1:
            pairs = [b_run["seconds"] / p_run["seconds"] for p_run, b_run in zip(pantau_runs, blackbox_runs)]
            print("  run by run (each pair back to back, pantau first in odd pairs): " + ", ".join(
                f"{p_run['seconds']:.1f} s vs {b_run['seconds']:.1f} s = {ratio:.2f}"
                for p_run, b_run, ratio in zip(pantau_runs, blackbox_runs, pairs)))
        for kind in ("up", "slow", "down", "tls_broken"):
            print(f"  {kind:10} ok: pantau {ok_of(p, kind):6}  blackbox {ok_of(b, kind):6}  of {kinds[kind]}")
        if ok_of(p) != ok_of(b):
            print("WARNING: the two probers disagree on how many sites are up; the comparison is void")


if __name__ == "__main__":
    main()
