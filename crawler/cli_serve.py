"""``pantau serve``: the Prometheus exporter over the store."""

from __future__ import annotations

import logging
import signal
import threading

import click

from crawler.options import db_option
from exporter.metrics import DEFAULT_LAGGING_BELOW, DEFAULT_STALE_AFTER_DAYS

DEFAULT_LISTEN = "127.0.0.1:9717"


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) -> (host, port); port 0 picks a free port."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise click.BadParameter(f"{value!r} is not HOST:PORT")
    return host.strip("[]") or "0.0.0.0", int(port)


@click.command("serve")
@db_option
@click.option("--listen", default=DEFAULT_LISTEN, show_default=True, envvar="PANTAU_LISTEN",
              help="Address to serve /metrics on (HOST:PORT; port 0 picks a free one).")
@click.option("--lagging-below", type=click.FloatRange(0, 100), default=DEFAULT_LAGGING_BELOW, show_default=True,
              envvar="PANTAU_LAGGING_BELOW",
              help="Composite score under which a unit lags, when the store holds no weekly lag flag.")
@click.option("--stale-after-days", type=click.IntRange(min=1), default=DEFAULT_STALE_AFTER_DAYS,
              show_default=True, envvar="PANTAU_STALE_AFTER_DAYS",
              help="Content older than this many days is stale (exported for the alert rule).")
@click.option("--max-scrapes", type=click.IntRange(min=1), default=2, show_default=True,
              help="Scrapes served at the same time; more wait.")
def serve(db_path: str, listen: str, lagging_below: float, stale_after_days: int, max_scrapes: int) -> None:
    """Serve Prometheus metrics read from the store at every scrape (/metrics, /healthz)."""
    from exporter.metrics import ExporterSettings, SchemaError, connect
    from exporter.server import make_server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        connect(db_path).close()
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    host, port = parse_listen(listen)
    settings = ExporterSettings(lagging_below=lagging_below, stale_after_days=stale_after_days)
    try:
        server = make_server(db_path, host, port, settings, max_scrapes=max_scrapes)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {listen}: {exc}") from None

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"serving {db_path} on {server.url}metrics", err=False)
    try:
        server.serve_forever()
    finally:
        server.server_close()
