"""Build the shipped national registry (registry/national.csv) from the source files.

    python -m crawler.build_registry SOURCE_DIR OUT_CSV

SOURCE_DIR holds the files described in its SOURCES.md. Every province, kabupaten and
kota of the Kemendagri list becomes a region with one portal unit; the portal gets a
site when some source names its domain. Claims are weighed in this order and the first
*confirmed* one wins, else the first guessed one:

1. jambi_hosts_observed.csv (hosts seen in real Jambi code and documents),
2. lpse_hosts_derived_pemda_domains.csv (the pemda domain under a procurement host),
3. provinsi_websites_seeder.csv (confirmed unless flagged UNVERIFIED),
4. kabkota_domain_slug_guess.csv (confirmed when the guess is in the LPSE list).

DKI Jakarta's administrative kabupaten and kota get no guessed domain. Jambi's OPD and
PPID hosts (jambi_hosts_observed.csv, tanjabtimkab_subdomains_2019.txt) become opd and
ppid units of their pemda. The output is checked with crawler.registry.read_rows
before it is written, and a summary of what was matched, dropped and left unresolved
goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from crawler.registry import COLUMNS, read_rows

WILAYAH = "wilayah_prov_kabkota_kemendagri_2025.csv"
SEEDER = "provinsi_websites_seeder.csv"
LPSE = "lpse_hosts_derived_pemda_domains.csv"
SLUG_GUESS = "kabkota_domain_slug_guess.csv"
JAMBI_OBSERVED = "jambi_hosts_observed.csv"
TANJABTIM_SUBDOMAINS = "tanjabtimkab_subdomains_2019.txt"

# LPSE domains that are abbreviations (or names shared by a kabupaten and a kota), so
# matching by name cannot place them. bandung.go.id is Kota Bandung: Kabupaten Bandung
# is bandungkab.go.id in the same list, and SOURCES.md names bandung.go.id as a real
# exception to the slug guess.
LPSE_ALIASES = {
    "anambaskab.go.id": ("kabupaten", "Kepulauan Anambas"),
    "bandung.go.id": ("kota", "Bandung"),
    "bolmongkab.go.id": ("kabupaten", "Bolaang Mongondow"),
    "gorutkab.go.id": ("kabupaten", "Gorontalo Utara"),
    "inhukab.go.id": ("kabupaten", "Indragiri Hulu"),
    "jogjakota.go.id": ("kota", "Yogyakarta"),
    "kalteng.go.id": ("provinsi", "Kalimantan Tengah"),
    "kotimkab.go.id": ("kabupaten", "Kotawaringin Timur"),
    "maltengkab.go.id": ("kabupaten", "Maluku Tengah"),
    "mentawaikab.go.id": ("kabupaten", "Kepulauan Mentawai"),
    "okukab.go.id": ("kabupaten", "Ogan Komering Ulu"),
    "palikab.go.id": ("kabupaten", "Penukal Abab Lematang Ilir"),
    "pangkepkab.go.id": ("kabupaten", "Pangkajene dan Kepulauan"),
    "papua.go.id": ("provinsi", "Papua"),
    "penajamkab.go.id": ("kabupaten", "Penajam Paser Utara"),
    "polmankab.go.id": ("kabupaten", "Polewali Mandar"),
    "sbbkab.go.id": ("kabupaten", "Seram Bagian Barat"),
    "sidrapkab.go.id": ("kabupaten", "Sidenreng Rappang"),
    "tanjabbarkab.go.id": ("kabupaten", "Tanjung Jabung Barat"),
    "tanjabtimkab.go.id": ("kabupaten", "Tanjung Jabung Timur"),
}
# The seeder's short province names, where they differ from Kemendagri's.
SEEDER_ALIASES = {
    "Bangka Belitung": "Kepulauan Bangka Belitung",
    "DKI Jakarta": "Daerah Khusus Ibukota Jakarta",
    "DI Yogyakarta": "Daerah Istimewa Yogyakarta",
}
# OPD host labels as they are usually written; the label set also decides which
# tanjabtimkab.go.id subdomains are OPD sites (the others are applications, mail,
# statistics pages or control panels).
OPD_LABELS = {
    "bapenda": "Bapenda",
    "bappeda": "Bappeda",
    "bkd": "BKD",
    "bkpsdmd": "BKPSDMD",
    "bpbd": "BPBD",
    "bpkad": "BPKAD",
    "disbudparpora": "Disbudparpora",
    "disdik": "Disdik",
    "dishub": "Dishub",
    "diskominfo": "Diskominfo",
    "disnak": "Disnak",
    "disparpora": "Disparpora",
    "dlh": "DLH",
    "dpmd": "DPMD",
    "dpmptsp": "DPMPTSP",
    "dukcapil": "Dukcapil",
    "kesra": "Biro Kesra",
    "nakertrans": "Nakertrans",
    "polpp": "Satpol PP",
    "sekretariatdprd": "Sekretariat DPRD",
    "setda": "Setda",
}
NAME_PREFIXES = ("kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota ", "provinsi ", "kab. ")
ROLE_ORDER = {"portal": 0, "ppid": 1, "opd": 2}
PRIORITY = {"jambi-observed": 0, "lpse": 1, "seeder": 2, "slug-guess": 3}


def norm(name: str) -> str:
    """A region name reduced for matching: no kind prefix, letters only, lower-case."""
    name = name.strip().lower()
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return re.sub(r"[^a-z]", "", name)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: str
    parent: str | None

    @property
    def title(self) -> str:
        """The pemda's own name: Kemendagri names provinces without "Provinsi"."""
        return f"Provinsi {self.name}" if self.kind == "provinsi" else self.name

    @property
    def administrative(self) -> bool:
        return "Administrasi" in self.name


@dataclass(frozen=True)
class Claim:
    """One source's statement that ``domain`` is the portal of a region."""

    domain: str
    www: bool
    confirmed: bool
    source: str


@dataclass(frozen=True)
class Unit:
    short: str
    name: str
    kind: str
    url: str
    source: str


class Sources:
    """The source files, read once, and lookups between their naming schemes."""

    def __init__(self, src: Path) -> None:
        self.src = src
        self.notes: list[str] = []
        self.regions = [
            Region(r["kode"], r["nama"], r["jenis"], None if r["jenis"] == "provinsi" else r["kode_prov"])
            for r in self.read(WILAYAH)
        ]
        self.by_name: dict[tuple[str, str], list[Region]] = {}
        for region in self.regions:
            self.by_name.setdefault((region.kind, norm(region.name)), []).append(region)

    def read(self, name: str) -> list[dict[str, str]]:
        with open(self.src / name, newline="", encoding="utf-8-sig") as handle:
            return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]

    def find(self, kinds: tuple[str, ...], name: str) -> list[Region]:
        return [region for kind in kinds for region in self.by_name.get((kind, norm(name)), [])]

    def one(self, kind: str, name: str) -> Region:
        found = self.find((kind,), name)
        if len(found) != 1:
            raise SystemExit(f"build_registry: {kind} {name!r} matches {len(found)} regions, expected one")
        return found[0]


def seeder_claims(sources: Sources) -> dict[str, list[Claim]]:
    claims: dict[str, list[Claim]] = {}
    for row in sources.read(SEEDER):
        name = SEEDER_ALIASES.get(row["nama_provinsi"], row["nama_provinsi"])
        region = sources.one("provinsi", name)
        host = row["website_as_seeded"].split("://", 1)[1].strip("/").lower()
        www = host.startswith("www.")
        domain = host[4:] if www else host
        confirmed = "UNVERIFIED" not in row["note"]
        claims.setdefault(region.code, []).append(Claim(domain, www, confirmed, "seeder"))
    return claims


def lpse_claims(sources: Sources, seeded: dict[str, list[Claim]]) -> dict[str, list[Claim]]:
    """Place each LPSE-derived pemda domain on its region: by alias, by the seeder's
    province domain, or by name ("<name>kab", "<name>kota", "kab<name>", "kota<name>",
    "pemko<name>" or a bare "<name>" matching exactly one kabupaten or kota)."""
    province_of = {claim.domain: code for code, found in seeded.items() for claim in found}
    claims: dict[str, list[Claim]] = {}
    for row in sources.read(LPSE):
        domain = row["derived_base_domain"].lower()
        if not domain.endswith(".go.id"):
            sources.notes.append(f"lpse: skipped {domain} ({row['suffix_class']})")
            continue
        if domain in LPSE_ALIASES:
            kind, name = LPSE_ALIASES[domain]
            found = [sources.one(kind, name)]
        elif domain in province_of:
            found = [r for r in sources.regions if r.code == province_of[domain]]
        else:
            label = domain[: -len(".go.id")]
            found = []
            for pattern, kinds in (
                (r"(?P<n>.+)kab", ("kabupaten",)),
                (r"(?P<n>.+)kota", ("kota",)),
                (r"kab(?P<n>.+)", ("kabupaten",)),
                (r"(?:kota|pemko)(?P<n>.+)", ("kota",)),
                (r"(?P<n>.+)", ("kabupaten", "kota")),
            ):
                match = re.fullmatch(pattern, label)
                if match and (found := sources.find(kinds, match["n"])):
                    break
        if len(found) != 1:
            sources.notes.append(f"lpse: left {domain} unplaced ({len(found)} candidate regions)")
            continue
        claims.setdefault(found[0].code, []).append(Claim(domain, False, True, "lpse"))
    return claims


def slug_claims(sources: Sources) -> dict[str, list[Claim]]:
    claims: dict[str, list[Claim]] = {}
    codes = {region.code: region for region in sources.regions}
    for row in sources.read(SLUG_GUESS):
        region = codes[row["kode"]]
        if region.administrative:
            continue
        confirmed = row["guess_seen_in_lpse_list"] == "yes"
        claims.setdefault(region.code, []).append(Claim(row["slug_guess_domain"].lower(), False, confirmed, "slug-guess"))
    return claims


def jambi_region(sources: Sources, pemda: str) -> Region:
    kind = "provinsi" if pemda.startswith("Provinsi") else "kota" if pemda.startswith("Kota") else "kabupaten"
    return sources.one(kind, pemda)


def jambi_observed(sources: Sources) -> tuple[dict[str, list[Claim]], dict[str, list[Unit]]]:
    """Portal claims and OPD/PPID units from the Jambi observations. Rows about
    applications, APIs, LPSE, DPRD or Puskesmas hosts, and summary rows, are skipped."""
    claims: dict[str, list[Claim]] = {}
    units: dict[str, list[Unit]] = {}
    for row in sources.read(JAMBI_OBSERVED):
        host = row["host"].lower()
        kind = row["kind"]
        if not re.fullmatch(r"[a-z0-9.-]+\.go\.id", host):
            sources.notes.append(f"jambi-observed: skipped summary row {row['host']!r}")
            continue
        region = jambi_region(sources, row["pemda"])
        evidence = " ".join(row.values())
        if kind.startswith("portal"):
            www = f"www.{host}" in evidence or "(www." in kind
            claims.setdefault(region.code, []).append(Claim(host, www, True, "jambi-observed"))
        elif kind == "PPID":
            units.setdefault(region.code, []).append(
                Unit("ppid", f"PPID {region.title}", "ppid", f"https://{host}/", "jambi-observed")
            )
        elif kind.startswith("OPD"):
            label = host.split(".", 1)[0]
            display = OPD_LABELS.get(label, label.upper())
            units.setdefault(region.code, []).append(
                Unit(label, f"{display} {region.title}", "opd", f"https://{host}/", "jambi-observed")
            )
        else:
            sources.notes.append(f"jambi-observed: skipped {host} ({kind})")
    return claims, units


def tanjabtim_units(sources: Sources) -> tuple[str, list[Unit]]:
    """OPD and PPID sites among the 2019 subdomains of tanjabtimkab.go.id."""
    region = sources.one("kabupaten", "Tanjung Jabung Timur")
    units = []
    for line in (sources.src / TANJABTIM_SUBDOMAINS).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        host = line.split()[-1].lower()
        label = host.removesuffix(".tanjabtimkab.go.id")
        if label == "ppid":
            units.append(Unit("ppid", f"PPID {region.title}", "ppid", f"https://{host}/", "tanjabtim-2019"))
        elif label in OPD_LABELS:
            units.append(
                Unit(label, f"{OPD_LABELS[label]} {region.title}", "opd", f"https://{host}/", "tanjabtim-2019")
            )
    return region.code, units


def choose_portal(region: Region, claims: list[Claim], notes: list[str]) -> tuple[str, str, str] | None:
    """(url, domain_status, source) of a region's portal, or None when no source names one."""
    if not claims:
        return None
    ordered = sorted(claims, key=lambda claim: PRIORITY[claim.source])
    best = next((claim for claim in ordered if claim.confirmed), ordered[0])
    agreeing = [claim for claim in ordered if claim.domain == best.domain]
    for claim in ordered:
        if claim.domain != best.domain:
            notes.append(f"{region.code} {region.name}: dropped {claim.source} {claim.domain} for {best.domain}")
    www = any(claim.www for claim in agreeing)
    status = "confirmed" if any(claim.confirmed for claim in agreeing) else "guessed"
    source = "+".join(dict.fromkeys(claim.source for claim in agreeing))
    return f"https://{'www.' if www else ''}{best.domain}/", status, source


def build(src: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The national registry rows (COLUMNS plus ``source``) and the build notes."""
    sources = Sources(src)
    claims: dict[str, list[Claim]] = {}
    seeded = seeder_claims(sources)
    observed, units = jambi_observed(sources)
    for found in (observed, lpse_claims(sources, seeded), seeded, slug_claims(sources)):
        for code, more in found.items():
            claims.setdefault(code, []).extend(more)
    code, tanjabtim = tanjabtim_units(sources)
    known = {unit.url for unit in units.get(code, [])}
    units.setdefault(code, []).extend(unit for unit in tanjabtim if unit.url not in known)

    rows = []
    for region in sorted(sources.regions, key=lambda r: r.code):
        base = {
            "region_code": region.code,
            "region_name": region.name,
            "region_kind": region.kind,
            "region_parent": region.parent or "",
        }
        portal = choose_portal(region, claims.get(region.code, []), sources.notes)
        url, status, source = portal if portal else ("", "", "kemendagri (no domain in any source)")
        rows.append(
            {
                **base,
                "unit_name": f"Portal {region.title}",
                "unit_short": "portal",
                "unit_kind": "portal",
                "url": url,
                "role": "portal" if url else "",
                "domain_status": status,
                "source": source,
            }
        )
        for unit in sorted(units.get(region.code, []), key=lambda u: (ROLE_ORDER[u.kind], u.short, u.url)):
            rows.append(
                {
                    **base,
                    "unit_name": unit.name,
                    "unit_short": unit.short,
                    "unit_kind": unit.kind,
                    "url": unit.url,
                    "role": unit.kind,
                    "domain_status": "confirmed",
                    "source": unit.source,
                }
            )
    return rows, sources.notes


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "source"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.build_registry", description=__doc__.split("\n\n")[0])
    parser.add_argument("source_dir", type=Path, help="directory with the registry source files (see SOURCES.md)")
    parser.add_argument("out_csv", type=Path, help="where to write the national registry CSV")
    args = parser.parse_args(argv)

    rows, notes = build(args.source_dir)
    text = render(rows)
    # Check the output with the importer's own reader before replacing the shipped file.
    check = args.out_csv.with_name(args.out_csv.name + ".check.csv")
    check.write_text(text, encoding="utf-8")
    try:
        _, errors = read_rows(check)
    finally:
        check.unlink()
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        return 1
    args.out_csv.write_text(text, encoding="utf-8")

    for note in notes:
        print(note, file=sys.stderr)
    portals = [row for row in rows if row["unit_kind"] == "portal"]
    counts = {
        "regions": len(portals),
        "portals confirmed": sum(row["domain_status"] == "confirmed" for row in portals),
        "portals guessed": sum(row["domain_status"] == "guessed" for row in portals),
        "regions without a domain": sum(not row["url"] for row in portals),
        "opd/ppid sites": len(rows) - len(portals),
    }
    print(f"{args.out_csv}: " + ", ".join(f"{value} {key}" for key, value in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
