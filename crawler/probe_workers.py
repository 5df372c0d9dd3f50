"""A probe round spread over worker processes, one event loop each.

One asyncio loop spends most of a probe's CPU in Python (aiohttp's request machinery, TLS
records, the parked-page test), so a single process saturates one core at some 1,500
probes a second. With ``workers`` > 1 the targets are split by host name (so the per-host
limit still holds) into ``workers`` shares, each with its part of the concurrency: this
process probes the first, a child process (``python -m crawler.probe_workers``) each other
one. Results stream back over the child's stdout as length-prefixed pickles; only this
process writes the database.

A child is started with ``-m`` rather than by ``multiprocessing``, which would import the
whole command line (every subcommand's modules) into each worker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import pickle
import resource
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from crawler.prober import Prober, ProbeResult, ProbeSettings, RoundStats, Target, probe_all

BATCH = 100
_LENGTH = struct.Struct("!I")


def shard_of(url: str, workers: int) -> int:
    host = (urlsplit(url).hostname or "").lower()
    return zlib.crc32(host.encode()) % workers


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _frame(message) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(payload)) + payload


async def _run_child(targets: list[Target], settings: ProbeSettings,
                     on_result: Callable[[ProbeResult], None] | None) -> tuple[RoundStats, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "crawler.probe_workers", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE)
    try:
        process.stdin.write(_frame((targets, settings)))
        await process.stdin.drain()
        process.stdin.close()
        while True:
            try:
                header = await process.stdout.readexactly(_LENGTH.size)
                message = pickle.loads(await process.stdout.readexactly(_LENGTH.unpack(header)[0]))
            except asyncio.IncompleteReadError:
                raise RuntimeError(f"a probe worker exited ({await process.wait()}) before finishing") from None
            if isinstance(message, list):
                for result in message:
                    if on_result is not None:
                        on_result(result)
            else:
                _, stats, rss = message
                await process.wait()
                return stats, rss
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def probe_round(targets: Iterable[Target], settings: ProbeSettings,
                      on_result: Callable[[ProbeResult], None] | None = None, workers: int = 1,
                      prober: Prober | None = None) -> RoundStats:
    """Probe every target in ``workers`` processes (this one and ``workers - 1`` children).

    ``settings.concurrency`` is the total over all workers. The returned stats carry each
    process's peak RSS in ``peak_rss_mib`` (this one first).
    """
    if workers <= 1:
        stats = await probe_all(targets, settings, on_result, prober=prober)
        stats.peak_rss_mib = [_peak_rss_mib()]
        return stats
    shares: list[list[Target]] = [[] for _ in range(workers)]
    for target in targets:
        shares[shard_of(target.url, workers)].append(target)
    share_settings = dataclasses.replace(settings, concurrency=max(1, settings.concurrency // workers))
    start = time.perf_counter()
    # This process probes the first share itself (its results need no pickling); children the rest.
    here = probe_all(shares[0], share_settings, on_result, prober=prober)
    finished = await asyncio.gather(here, *(_run_child(share, share_settings, on_result)
                                            for share in shares[1:] if share))
    stats = RoundStats()
    for child in finished:
        child_stats = child[0] if isinstance(child, tuple) else child
        stats.probes += child_stats.probes
        stats.outcomes.update(child_stats.outcomes)
    stats.seconds = time.perf_counter() - start
    stats.peak_rss_mib = [_peak_rss_mib()] + [child[1] for child in finished if isinstance(child, tuple)]
    return stats


def _child_main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    (length,) = _LENGTH.unpack(stdin.read(_LENGTH.size))
    targets, settings = pickle.loads(stdin.read(length))
    batch: list[ProbeResult] = []

    def send(result: ProbeResult) -> None:
        batch.append(result)
        if len(batch) >= BATCH:
            stdout.write(_frame(batch))
            stdout.flush()
            batch.clear()

    stats = asyncio.run(probe_all(targets, settings, send))
    stdout.write(_frame(batch))
    stdout.write(_frame(("done", stats, _peak_rss_mib())))
    stdout.flush()


if __name__ == "__main__":
    _child_main()
