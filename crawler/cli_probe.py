"""``pantau probe``: is every registered site up, and if not, why? Once, or every N seconds."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import click

from crawler.options import db_option


def _summary(run_id: int, stats) -> str:
    outcomes = ", ".join(f"{name} {count}" for name, count in
                         sorted(stats.outcomes.items(), key=lambda item: (item[0] != "ok", -item[1], item[0])))
    rss = " + ".join(f"{value:.0f}" for value in stats.peak_rss_mib)
    return (f"probe run {run_id}: {stats.probes} sites in {stats.seconds:.1f} s "
            f"({stats.per_second:.0f} probes/s, peak RSS {rss or '?'} MiB); {outcomes or 'nothing to probe'}")


async def _rounds(db_path: str, settings, select: dict, every: float | None, rounds: int | None,
                  workers: int) -> int:
    from crawler.probe_store import ProbeWriter, finish_round, probe_targets, start_round
    from crawler.probe_workers import probe_round
    from crawler.prober import Prober, RoundStats
    from storage.db import open_db

    db = open_db(db_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    done = 0
    async with Prober(settings) as prober:
        while not stop.is_set():
            started = time.monotonic()
            targets = probe_targets(db, **select)
            run_id = start_round(db, settings)
            writer = ProbeWriter(db, run_id)
            task = asyncio.ensure_future(probe_round(targets, settings, writer, workers=workers, prober=prober))
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if not task.done():  # interrupted: keep what was measured, mark the round failed
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                writer.flush()
                finish_round(db, run_id, RoundStats(probes=writer.written), status="failed")
                click.echo(f"probe run {run_id} interrupted after {writer.written} sites", err=True)
                break
            stats = task.result()
            writer.flush()
            finish_round(db, run_id, stats)
            click.echo(_summary(run_id, stats))
            done += 1
            if every is None or (rounds is not None and done >= rounds):
                break
            try:
                await asyncio.wait_for(stop.wait(), max(0.0, every - (time.monotonic() - started)))
            except asyncio.TimeoutError:
                pass
    db.close()
    return done


@click.command("probe")
@db_option
@click.option("--region", help="Only sites of this region and its children (Kemendagri code).")
@click.option("--sites", "site_ids", help="Only these site ids, comma-separated.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many sites.")
@click.option("--every", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Probe again every SECONDS (e.g. 300) until interrupted. Default: once.")
@click.option("--rounds", type=click.IntRange(min=1), help="With --every: stop after this many rounds.")
@click.option("--concurrency", type=click.IntRange(min=1), default=200, show_default=True,
              help="Probes in flight at once.")
@click.option("--per-host", type=click.IntRange(min=1), default=2, show_default=True,
              help="Probes in flight per host name.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes probing at once, this one included (e.g. the number of CPUs); "
                   "the concurrency is shared among them.")
@click.option("--connect-timeout", type=click.FloatRange(min=0.01), default=10.0, show_default=True,
              help="Seconds for the TCP and TLS handshakes.")
@click.option("--read-timeout", type=click.FloatRange(min=0.01), default=20.0, show_default=True,
              help="Seconds of silence allowed while waiting for headers or body.")
@click.option("--timeout", "total_timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True,
              help="Seconds for a whole probe, redirects and body included.")
@click.option("--max-redirects", type=click.IntRange(min=0), default=10, show_default=True,
              help="More redirects than this is too_many_redirects.")
@click.option("--hosts-file", type=click.Path(exists=True, dir_okay=False), envvar="PANTAU_HOSTS_FILE",
              help="Resolve names from this hosts file only (e.g. a testbed's hosts.txt).")
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False), envvar="PANTAU_CA_FILE",
              help="Extra trusted CA certificates (PEM) for verifying certificate chains.")
@click.option("--allow-private", is_flag=True, envvar="PANTAU_ALLOW_PRIVATE_ADDRESSES",
              help="Permit loopback and private addresses (a local testbed). Off by default.")
def probe(db_path, region, site_ids, limit, every, rounds, concurrency, per_host, workers, connect_timeout,
          read_timeout, total_timeout, max_redirects, hosts_file, ca_file, allow_private):
    """Probe the home URL of every registered site (or a subset) and store one row per site.

    Each row has the DNS, connect, TLS, first-byte and total times, the status, the final
    URL after redirects, the certificate's facts and one error class (ok, dns_nxdomain,
    connect_timeout, tls_expired, http_5xx, parked_or_defaced, ...). `pantau report census`
    and `pantau report uptime` read them.
    """
    from crawler.prober import ProbeSettings

    if rounds is not None and every is None:
        raise click.UsageError("--rounds needs --every")
    ids = None
    if site_ids:
        try:
            ids = [int(part) for part in site_ids.split(",") if part.strip()]
        except ValueError:
            raise click.BadParameter(f"expected comma-separated site ids, got {site_ids!r}",
                                     param_hint="--sites") from None
    try:
        settings = ProbeSettings(
            concurrency=concurrency, per_host=per_host, connect_timeout=connect_timeout,
            read_timeout=read_timeout, total_timeout=total_timeout, max_redirects=max_redirects,
            hosts_file=str(Path(hosts_file).resolve()) if hosts_file else None,
            allow_private=allow_private, ca_file=str(Path(ca_file).resolve()) if ca_file else None)
        settings.guard()  # a bad hosts file stops here, before any round starts
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    select = {"region": region, "site_ids": ids, "limit": limit}
    done = asyncio.run(_rounds(db_path, settings, select, every, rounds, workers))
    if done == 0:
        sys.exit(130)
