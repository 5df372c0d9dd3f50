"""Helpers shared by the testbed tests: a server thread, a hosts-file resolver, fetch()."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver
from multidict import CIMultiDict

from testbed.server import Testbed, start_testbed
from testbed.world import World


class ServerThread:
    """Runs a testbed on an event loop of its own, in a daemon thread."""

    def __init__(self, world: World, **kwargs):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.testbed: Testbed = self.call(start_testbed(world, **kwargs))

    def call(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.call(self.testbed.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


class HostsResolver(AbstractResolver):
    """Resolves only the names of a hosts file; every other name is NXDOMAIN."""

    def __init__(self, hosts_text: str):
        self.table = {}
        for line in hosts_text.splitlines():
            address, name = line.split()
            self.table[name] = address

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        if host not in self.table:
            raise OSError(socket.EAI_NONAME, f"NXDOMAIN {host}")
        return [{"hostname": host, "host": self.table[host], "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


@dataclass
class Fetched:
    status: int
    headers: CIMultiDict
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


async def fetch_async(testbed: Testbed, url: str, *, method: str = "GET", headers: dict | None = None,
                      verify: bool = False, timeout: float = 10) -> Fetched:
    ssl_arg: ssl.SSLContext | bool = False
    if verify:
        ssl_arg = ssl.create_default_context(cadata=testbed.ca_cert_pem.decode())
    connector = aiohttp.TCPConnector(resolver=HostsResolver(testbed.hosts_file_text()), ssl=ssl_arg)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        start = time.monotonic()
        async with session.request(method, url, headers=headers, allow_redirects=False) as response:
            body = await response.read()
            return Fetched(response.status, CIMultiDict(response.headers), body, time.monotonic() - start)


def fetch(testbed: Testbed, url: str, **kwargs) -> Fetched:
    return asyncio.run(fetch_async(testbed, url, **kwargs))


def url_of(testbed: Testbed, host: str, path: str = "/") -> str:
    return testbed.site(host).url.rstrip("/") + path
