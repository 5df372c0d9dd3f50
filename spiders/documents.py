"""What the audit spider reads from inside a linked PDF: its own dates and title.

A PDF's Info dictionary (/CreationDate, /ModDate, /Title, ...) and XMP packet date a
document even when the server sends no Last-Modified. The spider asks for the first
``PANTAU_PDF_READ_BYTES`` of each PDF (a ranged GET; a small file arrives whole) and
keeps the raw strings found there; interpreting them is the checks' job
(``checks.dates.parse_pdf_date``).

A whole file is parsed with pypdf. A truncated one (a large PDF of which only the first
bytes were read) cannot be parsed by pypdf, which needs the cross-reference table at the
end, so its bytes are scanned for the same keys instead: writers often put the Info
dictionary and the XMP packet near the start, but a compressed object stream hides them.
"""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

INFO_KEYS = {"/Title": "title", "/Author": "author", "/Subject": "subject", "/Creator": "creator",
             "/Producer": "producer", "/CreationDate": "creation_date", "/ModDate": "mod_date"}
XMP_KEYS = {"CreateDate": "xmp_create_date", "ModifyDate": "xmp_modify_date", "MetadataDate": "xmp_metadata_date"}
MAX_VALUE_LENGTH = 300
PDF_MAGIC = b"%PDF-"

_INFO_SCAN = {
    key: re.compile(rb"/" + key[1:].encode() + rb"\s*(?:\((?P<lit>(?:\\.|[^\\)]){0,600})\)|<(?P<hex>[0-9A-Fa-f\s]{0,1200})>)")
    for key in INFO_KEYS
}
_XMP_SCAN = {
    key: re.compile(rb"xmp:" + key.encode() + rb"(?:\s*=\s*[\"'](?P<attr>[^\"'<]{1,80})[\"']|>(?P<elem>[^<]{1,80})<)")
    for key in XMP_KEYS
}
_LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")",
                    b"\\": b"\\"}


def is_pdf(data: bytes) -> bool:
    """True when ``data`` carries the PDF header within its first kilobyte (junk may precede it)."""
    return PDF_MAGIC in data[:1024]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text[:MAX_VALUE_LENGTH] or None


def _decode_pdf_string(raw: bytes) -> str:
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return raw.decode("utf-16", "replace")
    return raw.decode("latin-1")


def _unescape_literal(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        char = raw[i:i + 1]
        if char == b"\\" and i + 1 < len(raw):
            nxt = raw[i + 1:i + 2]
            if nxt in _LITERAL_ESCAPES:
                out += _LITERAL_ESCAPES[nxt]
                i += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                i += 1 + len(octal.group(0))
                continue
            i += 1
            continue
        out += char
        i += 1
    return bytes(out)


def _scan(data: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, name in INFO_KEYS.items():
        match = _INFO_SCAN[key].search(data)
        if match is None:
            continue
        if match.group("lit") is not None:
            raw = _unescape_literal(match.group("lit"))
        else:
            digits = re.sub(rb"\s", b"", match.group("hex"))
            try:
                raw = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
            except ValueError:
                continue
        value = _text(_decode_pdf_string(raw))
        if value:
            found[name] = value
    for key, name in XMP_KEYS.items():
        match = _XMP_SCAN[key].search(data)
        if match is not None:
            value = _text((match.group("attr") or match.group("elem")).decode("utf-8", "replace"))
            if value:
                found[name] = value
    return found


def _parse(data: bytes) -> tuple[dict[str, Any], str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    found: dict[str, Any] = {}
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return found, "encrypted"
        info = reader.metadata or {}
        for key, name in INFO_KEYS.items():
            value = _text(info.get(key))
            if value:
                found[name] = value
        found["pages"] = len(reader.pages)
        try:
            xmp = reader.xmp_metadata
        except Exception:  # noqa: BLE001 - a broken XMP packet must not hide the Info dictionary
            xmp = None
        if xmp is not None:
            # The packet's own strings, not pypdf's datetimes (which drop the time zone).
            try:
                packet = xmp.stream.get_data()
            except Exception:  # noqa: BLE001 - an undecodable stream is the same as none
                packet = b""
            found.update({k: v for k, v in _scan(packet).items() if k in XMP_KEYS.values()})
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            OSError, AssertionError) as exc:
        return found, f"unreadable: {type(exc).__name__}"
    return found, None


def pdf_metadata(data: bytes, complete: bool) -> dict[str, Any]:
    """The raw metadata strings of a PDF (all of it when ``complete``, else its first bytes).

    Keys, each present only when found: ``title``, ``author``, ``subject``, ``creator``,
    ``producer``, ``creation_date``, ``mod_date`` (PDF date strings as written),
    ``xmp_create_date``, ``xmp_modify_date``, ``xmp_metadata_date`` (ISO-8601 or as
    written), ``pages``; always ``method`` (pypdf | scan | none) and, when nothing could be
    read, ``error``.
    """
    if not data or not is_pdf(data):
        return {"method": "none", "error": "not a pdf"}
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    if complete:
        pypdf_logger.setLevel(logging.ERROR)  # pypdf warns about every repairable oddity
        try:
            found, error = _parse(data)
        finally:
            pypdf_logger.setLevel(level)
        if error is None:
            return {**found, "method": "pypdf"}
        if error == "encrypted":
            return {"method": "pypdf", "error": error}
    found = _scan(data)
    if not found:
        return {"method": "scan", "error": "no metadata in the bytes read" if not complete else "unreadable"}
    return {**found, "method": "scan"}


# --- the spider's side: which documents to read, and what to store ---------------------------

READ_BYTES_SETTING = "PANTAU_PDF_READ_BYTES"
DEFAULT_READ_BYTES = 1024 * 1024


def read_limit(settings) -> int:
    """How many bytes of each PDF to read (``PANTAU_PDF_READ_BYTES``); 0 turns reading off."""
    return max(0, settings.getint(READ_BYTES_SETTING, DEFAULT_READ_BYTES))


def pdf_read_request(spider, response, item: dict, callback):
    """A ranged GET for the first bytes of a PDF that HEAD found, or None when there is nothing to read.

    The document item waits in the request's meta and is yielded by ``callback`` (or by
    the errback, through ``unread_document``) so each document is still one row. The
    request spends no document budget: its HEAD already did.
    """
    from scrapy import Request

    limit = read_limit(spider.settings)
    if (limit <= 0 or item.get("ext") != "pdf" or item.get("error_class") != "ok"
            or response.request.method != "HEAD"):
        return None
    meta = response.meta
    return Request(
        response.url, headers={"Range": f"bytes=0-{limit - 1}"}, callback=callback, errback=spider.on_error,
        dont_filter=True,
        # A server that ignores Range and sends a larger file whole is cut off here (oversized).
        meta={"site_id": meta["site_id"], "site_host": meta["site_host"], "kind": "document",
              "budgeted": False, "pending_document": item, "download_maxsize": limit},
    )


def _is_whole(response, body: bytes) -> bool:
    if response.status == 200:
        return True
    content_range = response.headers.get(b"Content-Range")
    match = re.match(rb"bytes\s+0-(\d+)/(\d+)", content_range or b"")
    return bool(match) and int(match.group(1)) + 1 >= int(match.group(2)) == len(body)


def with_pdf_metadata(item: dict, response) -> dict:
    """``item`` with ``pdf_meta`` (JSON of ``pdf_metadata``) and ``read_bytes`` from a GET response."""
    if item.get("ext") != "pdf":
        return item
    body = response.body or b""
    if response.status >= 400:
        meta = {"method": "none", "error": f"HTTP {response.status}"}
    else:
        meta = pdf_metadata(body, complete=_is_whole(response, body))
    return {**item, "pdf_meta": json.dumps(meta, ensure_ascii=False), "read_bytes": len(body)}


def unread_document(item: dict, outcome) -> dict:
    """The document item whose bytes could not be read, with the reason."""
    meta = {"method": "none", "error": getattr(outcome, "value", str(outcome))}
    return {**item, "pdf_meta": json.dumps(meta), "read_bytes": 0}
