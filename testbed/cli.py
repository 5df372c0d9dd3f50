"""``pantau testbed``: serve the simulated go.id web, or print its ground truth."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import click

from testbed.world import World, WorldError, load_world

DEFAULT_OUT = "var/testbed"


@click.group("testbed")
def testbed() -> None:
    """A simulated go.id web on 127.0.0.1, for demos and tests of the crawler."""


def _load(world_path: str | None, generated: int | None, pages: int, overlays: tuple[str, ...] = ()) -> World:
    if generated is not None:
        if world_path is not None:
            raise click.UsageError("give either --world or --generate, not both")
        if overlays:
            raise click.UsageError("--overlay applies to a world file, not to --generate")
        from testbed.generate import generate_world

        return generate_world(generated, pages=pages)
    try:
        if overlays:
            from testbed.overlay import load_world_with_overlays
            from testbed.world import default_world_path

            return load_world_with_overlays(world_path or default_world_path(), list(overlays))
        return load_world(world_path)
    except WorldError as exc:
        raise click.ClickException(str(exc)) from exc


_world_option = click.option("--world", "world_path", type=click.Path(exists=True, dir_okay=False),
                             default=None, help="World file (YAML). Default: the packaged Jambi world.")
_generate_option = click.option("--generate", "generated", type=click.IntRange(min=1), default=None,
                                help="Serve a synthetic world of this many sites instead of a world file.")
_pages_option = click.option("--pages", type=click.IntRange(min=8), default=30, show_default=True,
                             help="Pages per site of a --generate world.")
_overlay_option = click.option("--overlay", "overlays", multiple=True, type=click.Path(exists=True, dir_okay=False),
                               help="Overlay file applied on top of the world (repeatable; see testbed/overlay.py).")


@testbed.command("serve")
@_world_option
@_generate_option
@_pages_option
@_overlay_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=DEFAULT_OUT, show_default=True,
              help="Where to write hosts.txt, registry.csv, ca.pem, truth.json and, last, ready.")
@click.option("--http-port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port of the shared plain-HTTP listener (0 = any free port).")
def serve(world_path: str | None, generated: int | None, pages: int, overlays: tuple[str, ...], out_dir: str,
          http_port: int) -> None:
    """Serve every site of the world until SIGINT or SIGTERM.

    The files written to --out tell the crawler where everything is: point its resolver
    at hosts.txt, import registry.csv, trust ca.pem. The `ready` file appears once all
    listeners accept connections and is removed again on shutdown.
    """
    world = _load(world_path, generated, pages, overlays)
    asyncio.run(_serve(world, Path(out_dir), http_port))


async def _serve(world: World, out_dir: Path, http_port: int) -> None:
    from testbed.server import start_testbed

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    testbed_ = await start_testbed(world, http_port=http_port)
    ready = out_dir / "ready"
    try:
        paths = testbed_.write_files(out_dir)
        ready.write_text(json.dumps({
            "pid": os.getpid(),
            "http_port": testbed_.http_port,
            "tls_ports": testbed_.tls_ports,
            "down_port": testbed_.down_port,
            "sites": len(testbed_.sites),
            "files": {name: str(path) for name, path in paths.items()},
        }, indent=1) + "\n", encoding="utf-8")
        click.echo(f"testbed: {len(testbed_.sites)} sites from {world.source} (today {world.today.isoformat()})")
        click.echo(f"  http  127.0.0.1:{testbed_.http_port}")
        for variant, port in testbed_.tls_ports.items():
            click.echo(f"  https 127.0.0.1:{port} ({variant})")
        for name, path in paths.items():
            click.echo(f"  {name}: {path}")
        click.echo(f"  ready: {ready}")
        click.echo("serving; stop with Ctrl-C")
        await stop.wait()
    finally:
        ready.unlink(missing_ok=True)
        await testbed_.close()
        click.echo("testbed stopped")


@testbed.command("truth")
@_world_option
@_generate_option
@_pages_option
@_overlay_option
def truth(world_path: str | None, generated: int | None, pages: int, overlays: tuple[str, ...]) -> None:
    """Print the ground truth of a world as JSON, without serving it.

    URLs carry no port here; a running testbed writes the same truth with its ports to
    truth.json.
    """
    from testbed.server import world_truth

    world = _load(world_path, generated, pages, overlays)
    click.echo(json.dumps(world_truth(world), indent=1, ensure_ascii=False))
