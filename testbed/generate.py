"""Synthetic worlds of any size, for benchmarks.

``generate_world(5000)`` gives 5,000 sites in made-up regions (portal, PPID and eight
OPDs each), mostly plain HTTP and healthy, with a few slow or down ones, fresh or stale
at random. The same arguments always give the same world.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from testbed.world import World, world_from_dict

_OPDS = [
    ("diskominfo", "Dinas Komunikasi dan Informatika"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("dinkes", "Dinas Kesehatan"),
    ("disdik", "Dinas Pendidikan"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("inspektorat", "Inspektorat"),
]
SITES_PER_REGION = 2 + len(_OPDS)
SLOW_SHARE = 0.02
DOWN_SHARE = 0.02
SLOW_MS = 1500


def _site_options(rng: random.Random, pages: int) -> dict:
    roll = rng.random()
    options: dict = {"pages": pages}
    if roll < SLOW_SHARE:
        options.update(fault="slow", slow_ms=SLOW_MS)
    elif roll < SLOW_SHARE + DOWN_SHARE:
        options["fault"] = "down"
    if rng.random() < 0.05:
        options["tls"] = "valid"
    options["newest_days_ago"] = rng.randint(0, 10) if rng.random() < 0.8 else rng.randint(100, 1200)
    return options


def generate_world(n_sites: int, pages: int = 30, seed: int = 1,
                   site_options: Callable[[random.Random, int], dict] | None = None) -> World:
    """A world of exactly ``n_sites`` sites across synthetic provinces and kabupaten.

    ``site_options(rng, pages)`` replaces the default mix of healthy, slow and down sites
    (a benchmark brings its own mix of faults and TLS variants).
    """
    options_of = site_options or _site_options
    if n_sites < 1:
        raise ValueError("n_sites must be at least 1")
    rng = random.Random(f"generate:{seed}:{n_sites}:{pages}")
    regions: list[dict] = []
    made = 0
    province_number = 99
    while made < n_sites:
        if province_number < 11:
            raise ValueError(f"n_sites={n_sites} exceeds the synthetic code space")
        for kab in range(0, 100):
            if made >= n_sites:
                break
            if kab == 0:
                code, kind, parent = f"{province_number}", "provinsi", None
                name, domain = f"Provinsi Sintetis {province_number}", f"sintetis{province_number}prov.go.id"
            else:
                code, kind, parent = f"{province_number}.{kab:02d}", "kabupaten", f"{province_number}"
                name = f"Kabupaten Sintetis {province_number}-{kab:02d}"
                domain = f"sintetis{province_number}k{kab:02d}kab.go.id"
            region: dict = {"code": code, "name": name, "kind": kind, "parent": parent, "domain": domain,
                            "capital": f"Kota Sintetis {code}", "portal": options_of(rng, pages)}
            made += 1
            if made < n_sites:
                region["ppid"] = options_of(rng, pages)
                made += 1
            else:
                region["ppid"] = False
            region["opds"] = []
            for short, opd_name in _OPDS:
                if made >= n_sites:
                    break
                region["opds"].append({"short": short, "name": opd_name, **options_of(rng, pages)})
                made += 1
            regions.append(region)
        province_number -= 1
    data = {"seed": seed, "today": None, "defaults": {"features": ["email", "phone", "social"]},
            "regions": regions}
    return world_from_dict(data, source=f"<generated n_sites={n_sites} pages={pages} seed={seed}>")
