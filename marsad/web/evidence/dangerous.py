"""Files that sniff as a kind marsad keeps but are dangerous all the same.

`accept(data)` is `sniff(data)` plus these checks; every path that adds evidence calls it.

- **Polyglots**: an image, PDF or video that also carries a ZIP archive (an intact central
  directory, or a local file header with sane fields, anywhere after the start), a RAR or 7z
  signature, or web page code (`<script`, `<html`, `<svg`, `<iframe`, `on…=` handlers,
  `javascript:`) in its first 8 KiB, where a browser sniffing the content would see it.
- **Active PDFs**: `/JavaScript`, `/JS`, `/Launch`, `/EmbeddedFile` or `/RichMedia` names
  (also spelled with `#xx` escapes, also inside compressed object streams).
- **Expansion bombs**: a gzip'd web capture (WARC) is unpacked as a stream and refused once it
  grows past `MARSAD_MAX_EXPANDED_BYTES` (default ten times the per-file limit) or past 100
  times its packed size (beyond the first MiB); a PNG or GIF whose declared size is over
  `MAX_PIXELS` (it would blow up the memory of whatever draws it).

Archives themselves (ZIP, gzip, tar, 7z, RAR, ...) are refused by `sniff` before any of this,
from their first bytes, without unpacking anything.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from marsad.web.evidence import storage
from marsad.web.evidence.errors import EvidenceRejected
from marsad.web.evidence.sniff import sniff

MIB = 1024 * 1024
MARKUP_HEAD = 8192  # what a browser's content sniffing looks at, with room to spare
MAX_RATIO = 100
RATIO_FLOOR = MIB  # small captures may pack well: the ratio counts beyond this much
MAX_PIXELS = 150_000_000
OBJECT_STREAM_CAP = 16 * MIB  # unpacked bytes of a PDF's object streams looked at, in all
MEDIA = ("image/", "video/", "application/pdf")

MARKUP = re.compile(
    rb"<(?:script|html|svg|iframe|body|object|embed|!doctype\s+html|meta\s+http-equiv)[\s>/]"
    rb"|\bon(?:load|error|mouseover|focus|click)\s*=|javascript:",
    re.IGNORECASE,
)
OTHER_ARCHIVES = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")
ZIP_LOCAL = re.compile(rb"PK\x03\x04", re.DOTALL)
ZIP_METHODS = {0, 8, 9, 12, 14, 93, 95, 98, 99}
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
PDF_STREAM_BODY = re.compile(rb"(?<!end)stream\r?\n.*?endstream", re.DOTALL)


def accept(data: bytes) -> str:
    """The media type of `data` (see `sniff`), or EvidenceRejected naming why it is refused."""
    media_type = sniff(data)
    reason = danger(data, media_type)
    if reason:
        raise EvidenceRejected(_("This file is refused: %(reason)s.") % {"reason": reason})
    return media_type


def danger(data: bytes, media_type: str) -> str:
    """Why a file of a kept kind is dangerous (translated), or '' when it is not."""
    if media_type == "application/warc":
        return _expansion(data)
    if not media_type.startswith(MEDIA):
        return ""
    return (
        _markup(data)
        or _archive_inside(data)
        or (_pdf_active(data) if media_type == "application/pdf" else "")
        or _pixel_bomb(data, media_type)
    )


# --- polyglots --------------------------------------------------------------------------------


def _markup(data: bytes) -> str:
    if MARKUP.search(data[:MARKUP_HEAD]):
        return _("it also holds web page code (HTML or script) that a browser could run")
    return ""


def _archive_inside(data: bytes) -> str:
    if _has_zip(data) or any(signature in data for signature in OTHER_ARCHIVES):
        return _("it also holds an archive that other programs would open")
    return ""


def _has_zip(data: bytes) -> bool:
    """An intact ZIP central directory, or a plausible local file header, after byte 0."""
    if b"PK\x05\x06" in data[-(65536 + 22) :]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if archive.infolist():
                    return True
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            pass
    return any(_local_header(data, match.start()) for match in ZIP_LOCAL.finditer(data, 1))


def _local_header(data: bytes, at: int) -> bool:
    """Whether the bytes at `at` read as a ZIP local file header with a printable name."""
    header = data[at : at + 30]
    if len(header) < 30:
        return False
    version, flags, method = struct.unpack("<HHH", header[4:10])
    name_length = struct.unpack("<H", header[26:28])[0]
    if version > 63 or flags & 0xF000 or method not in ZIP_METHODS or not 0 < name_length < 512:
        return False
    name = data[at + 30 : at + 30 + name_length]
    return len(name) == name_length and all(32 <= byte < 127 for byte in name)


def _pdf_active(data: bytes) -> str:
    parts = [_without_streams(data), *_object_streams(data)]
    if any(PDF_ACTIVE.search(_unescape_names(part)) for part in parts):
        return _("the PDF holds scripts, embedded files or actions that start programs")
    return ""


def _unescape_names(data: bytes) -> bytes:
    """PDF names may spell letters as #xx (/J#61vaScript is /JavaScript)."""
    if b"#" not in data:
        return data
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _without_streams(data: bytes) -> bytes:
    """The PDF's objects without the bytes of its streams (images and fonts are binary: any
    short name could turn up in them by chance)."""
    return PDF_STREAM_BODY.sub(b"stream endstream", data)


def _object_streams(data: bytes) -> Iterator[bytes]:
    """The unpacked contents of the PDF's compressed object streams (objects hide there)."""
    budget = OBJECT_STREAM_CAP
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        dictionary = data[max(0, match.start() - 1024) : match.start()]
        if b"/ObjStm" not in dictionary.rsplit(b" obj", 1)[-1]:
            continue
        unpacked = _inflate(data[match.end() :], budget)
        budget -= len(unpacked) + 1
        yield unpacked


def _inflate(data: bytes, cap: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, cap)
    except zlib.error:
        return b""


# --- expansion --------------------------------------------------------------------------------


def max_expanded_bytes() -> int:
    """`MARSAD_MAX_EXPANDED_BYTES`: the Django setting, else the environment variable, else ten
    times the per-file limit."""
    default = 10 * storage.max_bytes()
    value = getattr(settings, "MARSAD_MAX_EXPANDED_BYTES", None)
    value = os.environ.get("MARSAD_MAX_EXPANDED_BYTES") if value is None else value
    return default if value is None else int(value)


def _expansion(data: bytes) -> str:
    """A gzip'd file (every member) unpacked as a stream, stopped at the first byte too many."""
    if data[:2] != b"\x1f\x8b":
        return ""
    cap = min(max_expanded_bytes(), max(RATIO_FLOOR, MAX_RATIO * len(data)))
    if gunzipped_size(data, cap + 1) > cap:
        return _("it unpacks to more than %(mb)s MB (%(ratio)s times its size)") % {
            "mb": f"{cap / MIB:.0f}",
            "ratio": f"{cap / len(data):.0f}",
        }
    return ""


def gunzipped_size(data: bytes, stop_at: int) -> int:
    """The unpacked size of gzip `data` (all its members), counting no further than
    `stop_at`; a damaged stream counts what came out before the damage."""
    total, rest = 0, data
    while rest[:2] == b"\x1f\x8b" and total < stop_at:
        stream = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            total += _drain(stream, rest, stop_at - total)
        except zlib.error:
            return total
        rest = stream.unused_data
    return total


def _drain(stream: zlib._Decompress, data: bytes, budget: int) -> int:
    """How many bytes come out of `stream` fed `data`, counting no further than `budget` (give
    or take one MiB block)."""
    out, pending = 0, data
    while out < budget:
        chunk = stream.decompress(pending, MIB)
        out += len(chunk)
        pending = stream.unconsumed_tail
        if stream.eof or not (chunk or pending):
            break
    return out


# --- pixel bombs ------------------------------------------------------------------------------


def _pixel_bomb(data: bytes, media_type: str) -> str:
    width = height = 0
    if media_type == "image/png" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
    elif media_type == "image/gif" and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
    if width * height > MAX_PIXELS:
        return _("the image says it is %(w)s × %(h)s pixels, too large to open safely") % {
            "w": width,
            "h": height,
        }
    return ""
