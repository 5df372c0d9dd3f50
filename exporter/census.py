"""The national website census (seed 000, Table 2) from the latest probes, for any scope.

Every pemda (a region of the registry: province, kabupaten or kota) falls in exactly one
class, judged on its portal site(s):

- accessible: a portal's latest probe is ``ok`` (or ``oversized``: the server answered);
- no website: the registry has no portal URL for the pemda, or every portal's name does
  not exist (``dns_nxdomain``);
- not accessible: otherwise, with the error class of its first failing portal;
- not probed: a portal that no probe has reached yet (shown only when there is one).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlite_utils

from crawler.errors import Outcome

ACCESSIBLE, NOT_ACCESSIBLE, NO_WEBSITE, NOT_PROBED = "accessible", "not_accessible", "no_website", "not_probed"
CLASSES = (ACCESSIBLE, NOT_ACCESSIBLE, NO_WEBSITE, NOT_PROBED)
LABELS = {
    ACCESSIBLE: "Dapat diakses",
    NOT_ACCESSIBLE: "Tidak dapat diakses",
    NO_WEBSITE: "Tidak memiliki website",
    NOT_PROBED: "Belum diperiksa",
}
UP_OUTCOMES = {Outcome.OK.value, Outcome.OVERSIZED.value}
# Short Indonesian names of the reasons a site is not accessible, in the order they are listed.
REASONS = {
    Outcome.CONNECT_REFUSED.value: "Koneksi ditolak",
    Outcome.CONNECT_TIMEOUT.value: "Koneksi melewati batas waktu",
    Outcome.READ_TIMEOUT.value: "Server tidak menjawab dalam batas waktu",
    Outcome.DNS_ERROR.value: "Gangguan DNS",
    Outcome.TLS_EXPIRED.value: "Sertifikat HTTPS kedaluwarsa",
    Outcome.TLS_SELF_SIGNED.value: "Sertifikat HTTPS ditandatangani sendiri",
    Outcome.TLS_HOSTNAME_MISMATCH.value: "Sertifikat HTTPS untuk nama domain lain",
    Outcome.TLS_OTHER.value: "Kesalahan HTTPS lainnya",
    Outcome.HTTP_5XX.value: "Kesalahan server (HTTP 5xx)",
    Outcome.HTTP_4XX.value: "Halaman ditolak atau tidak ada (HTTP 4xx)",
    Outcome.REDIRECT_LOOP.value: "Pengalihan alamat berputar-putar",
    Outcome.TOO_MANY_REDIRECTS.value: "Pengalihan alamat terlalu banyak",
    Outcome.EMPTY_BODY.value: "Halaman utama kosong",
    Outcome.PARKED_OR_DEFACED.value: "Terparkir, diretas atau disusupi judi online",
    Outcome.BLOCKED.value: "Diblokir pantau (alamat privat)",
    Outcome.NETWORK_ERROR.value: "Gangguan jaringan lainnya",
}
NO_URL = "no_url"


class ScopeError(LookupError):
    pass


@dataclass(frozen=True)
class PemdaStatus:
    code: str
    name: str
    kind: str
    status: str  # one of CLASSES
    reason: str | None  # an Outcome value, or "no_url"
    url: str | None


@dataclass
class Census:
    scope: str  # Indonesian description of the scope
    pemda: list[PemdaStatus] = field(default_factory=list)
    first_probe: str | None = None
    last_probe: str | None = None

    @property
    def counts(self) -> Counter:
        return Counter(p.status for p in self.pemda)

    @property
    def reasons(self) -> Counter:
        return Counter(p.reason for p in self.pemda if p.status == NOT_ACCESSIBLE)

    @property
    def total(self) -> int:
        return len(self.pemda)


def percent(part: int, whole: int) -> str:
    """Whole percent, half rounded up, as the seed prints it ("88%")."""
    if not whole:
        return "-"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}%"


def _scope(db: sqlite_utils.Database, province: str | None, region: str | None) -> tuple[str, str, dict]:
    if province and region:
        raise ScopeError("give either a province or a region, not both")
    code = province or region
    if code is None:
        return "1 = 1", "Nasional", {}
    row = next(db.query("select code, name, kind from regions where code = ?", [code]), None)
    if row is None:
        raise ScopeError(f"no region with code {code!r} in the registry")
    if province:
        if row["kind"] != "provinsi":
            raise ScopeError(f"{code} ({row['name']}) is not a province; use --region for one pemda")
        return ("r.code = :code OR r.code LIKE :code || '.%'",
                f"{row['name']} ({code}) beserta kabupaten/kotanya", {"code": code})
    return "r.code = :code", f"{row['name']} ({code})", {"code": code}


def census(db: sqlite_utils.Database, province: str | None = None, region: str | None = None,
           run_id: int | None = None) -> Census:
    """Sort every pemda of the scope into the census classes from its portals' latest probes.

    ``province`` takes the province and all its kabupaten/kota; ``region`` one pemda only;
    neither, the whole registry. ``run_id`` reads one probe round instead of each site's
    latest probe.
    """
    condition, label, params = _scope(db, province, region)
    result = Census(scope=label)
    regions = list(db.query(f"SELECT r.code, r.name, r.kind FROM regions r WHERE ({condition}) ORDER BY r.code",
                            params))
    portals: dict[str, list[dict]] = {}
    for row in db.query(f"""
            SELECT r.code, s.id, s.url FROM sites s JOIN units u ON u.id = s.unit_id
            JOIN regions r ON r.code = u.region_code
            WHERE ({condition}) AND s.role = 'portal' AND s.active = 1 ORDER BY s.id""", params):
        portals.setdefault(row["code"], []).append(row)
    if run_id is not None:
        if next(db.query("SELECT 1 FROM runs WHERE id = ? AND kind = 'probe'", [run_id]), None) is None:
            raise ScopeError(f"no probe round {run_id} in the database")
        latest_sql = "SELECT site_id, error_class, probed_at FROM probes WHERE run_id = :run"
        latest_params = {"run": run_id}
    else:
        # Each portal's newest probe through the (site_id, probed_at) index, however long the history.
        latest_sql = """
            SELECT p.site_id, p.error_class, p.probed_at FROM sites s JOIN probes p
              ON p.id = (SELECT id FROM probes WHERE site_id = s.id ORDER BY probed_at DESC, id DESC LIMIT 1)
            WHERE s.role = 'portal' AND s.active = 1"""
        latest_params = {}
    site_ids = {site["id"] for sites in portals.values() for site in sites}
    latest = {row["site_id"]: row for row in db.query(latest_sql, latest_params) if row["site_id"] in site_ids}
    times = sorted(row["probed_at"] for row in latest.values())
    if times:
        result.first_probe, result.last_probe = times[0], times[-1]
    for region_row in regions:
        sites = portals.get(region_row["code"], [])
        status, reason, url = _classify(sites, latest)
        result.pemda.append(PemdaStatus(region_row["code"], region_row["name"], region_row["kind"], status,
                                        reason, url))
    return result


def _classify(sites: list[dict], latest: dict[int, dict]) -> tuple[str, str | None, str | None]:
    if not sites:
        return NO_WEBSITE, NO_URL, None
    outcomes = [(site, latest[site["id"]]["error_class"] if site["id"] in latest else None) for site in sites]
    for site, outcome in outcomes:
        if outcome in UP_OUTCOMES:
            return ACCESSIBLE, outcome, site["url"]
    if all(outcome == Outcome.DNS_NXDOMAIN.value for _, outcome in outcomes):
        return NO_WEBSITE, Outcome.DNS_NXDOMAIN.value, sites[0]["url"]
    if any(outcome is None for _, outcome in outcomes):
        site = next(site for site, outcome in outcomes if outcome is None)
        return NOT_PROBED, None, site["url"]
    site, outcome = next((s, o) for s, o in outcomes if o != Outcome.DNS_NXDOMAIN.value)
    return NOT_ACCESSIBLE, outcome, site["url"]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], left: int = 1) -> list[str]:
    """Columns padded to their widest cell; the first ``left`` aligned left, the rest right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  ".join(f"{cell:<{widths[i]}}" if i < left else f"{cell:>{widths[i]}}" for i, cell in enumerate(row))
            .rstrip() for row in [header, *rows]]


def _when(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render(result: Census, detail: bool = False) -> str:
    """The census as text: the seed's Table 2, then the reasons for "not accessible"."""
    counts, total = result.counts, result.total
    lines = [f"Sensus website pemerintah daerah: {result.scope}"]
    if result.last_probe:
        first, last = _when(result.first_probe), _when(result.last_probe)
        lines.append(f"Pemeriksaan: {first}" + (f" s.d. {last}" if last != first else ""))
    else:
        lines.append("Pemeriksaan: belum ada (jalankan `pantau probe`)")
    lines.append("")
    rows = [(LABELS[c], str(counts[c]), percent(counts[c], total)) for c in CLASSES
            if c != NOT_PROBED or counts[c]]
    rows.append(("Total", str(total), percent(total, total)))
    lines += _table(("Status", "Jumlah website", "Persentase"), rows)
    reasons = result.reasons
    if reasons:
        lines += ["", f"Penyebab tidak dapat diakses ({counts[NOT_ACCESSIBLE]} pemda):"]
        order = list(REASONS)
        ranked = sorted(reasons.items(), key=lambda item: (-item[1], order.index(item[0]) if item[0] in order
                                                          else len(order), item[0]))
        lines += _table(("Penyebab", "Kelas", "Jumlah", "Persentase"),
                        [(REASONS.get(reason, reason), reason, str(n), percent(n, counts[NOT_ACCESSIBLE]))
                         for reason, n in ranked], left=2)
    no_website = [p for p in result.pemda if p.status == NO_WEBSITE]
    if no_website:
        no_url = sum(1 for p in no_website if p.reason == NO_URL)
        lines += ["", f"Tidak memiliki website: {no_url} tanpa alamat situs di registri, "
                      f"{len(no_website) - no_url} dengan nama domain yang tidak terdaftar (dns_nxdomain)."]
    if detail:
        listed = [p for p in result.pemda if p.status != ACCESSIBLE]
        if listed:
            lines += ["", "Pemda yang situsnya tidak dapat diakses atau tidak ada:"]
            for p in listed:
                lines.append(f"  {p.code:<6} {p.name:<40} {LABELS[p.status]:<23} {p.reason or '-':<22} {p.url or '-'}")
    return "\n".join(lines) + "\n"
