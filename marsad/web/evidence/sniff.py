"""The media type of a file, read from its content (magic bytes), never from its name or the
browser's Content-Type.

marsad keeps what documents a violation and cannot run: images (PNG, JPEG, GIF, WebP, HEIC),
PDF, videos (MP4, WebM, QuickTime), plain UTF-8 text and web captures (WARC, as marsad writes
them: gzip'd). Everything else is refused with a message saying why: executables and scripts,
web pages and SVG (they can run scripts in a browser), archives (their content is not checked
here), empty files, and anything unrecognised. Files of a kept kind that are dangerous all the
same (polyglots, active PDFs, expansion bombs) are refused by `dangerous.accept`, which every
piece of evidence goes through.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from django.utils.translation import gettext as _

from marsad.web.evidence.errors import EvidenceRejected

HEAD = 4096  # the bytes looked at for signatures

EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
    "text/plain": "txt",
    "application/warc": "warc.gz",
}

HEIC_BRANDS = {"heic", "heix", "heim", "heis", "hevc", "hevx"}
HEIF_BRANDS = {"mif1", "msf1"}
MP4_BRANDS = {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V "}
MP4_BRANDS |= {"MSNV", "mmp4"}
# Mach-O (both byte orders, 32 and 64 bit) and fat binaries / Java classes.
MACH_O = {bytes.fromhex(h) for h in ("feedface", "feedfacf", "cefaedfe", "cffaedfe", "cafebabe")}
QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"pnot")
MARKUP = ("<html", "<svg", "<script", "<!doctype", "<?xml", "<body", "<head", "<iframe")


def _ftyp_brands(data: bytes) -> tuple[str, set[str]]:
    """The major brand and the compatible brands of an ISO media file ('' if none)."""
    if data[4:8] != b"ftyp" or len(data) < 12:
        return "", set()
    size = int.from_bytes(data[:4], "big")
    compatible = data[16 : min(max(size, 16), 256)]
    brands = {compatible[i : i + 4].decode("latin-1") for i in range(0, len(compatible) - 3, 4)}
    return data[8:12].decode("latin-1"), brands


def _iso_media(data: bytes) -> str | None:
    major, compatible = _ftyp_brands(data)
    if major in HEIC_BRANDS or (major in HEIF_BRANDS and compatible & HEIC_BRANDS):
        return "image/heic"
    if major in HEIF_BRANDS and not compatible & {"avif", "avis"}:
        return "image/heif"
    if major == "qt  ":
        return "video/quicktime"
    if major in MP4_BRANDS:
        return "video/mp4"
    if not major and data[4:8] in QUICKTIME_ATOMS:
        return "video/quicktime"
    return None


def _gunzip_head(data: bytes, size: int = 16) -> bytes:
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[:HEAD], size)
    except zlib.error:
        return b""


def _is_warc(data: bytes) -> bool:
    if data.startswith(b"WARC/1."):
        return True
    return data[:2] == b"\x1f\x8b" and _gunzip_head(data).startswith(b"WARC/1.")


ACCEPTED: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    ("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda d: d[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP"),
    ("application/pdf", lambda d: d.startswith(b"%PDF-")),
    ("video/webm", lambda d: d.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in d[4:64]),
    ("application/warc", _is_warc),
)


def _refused_kinds() -> tuple[tuple[str, Callable[[bytes], bool]], ...]:
    archive, program = _("an archive"), _("a program or script")
    return (
        (archive, lambda d: d[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")),
        (archive, lambda d: d[:2] == b"\x1f\x8b"),
        (archive, lambda d: d[:3] == b"BZh" or d[:6] == b"\xfd7zXZ\x00"),
        (archive, lambda d: d[:6] == b"7z\xbc\xaf\x27\x1c" or d[:6] == b"Rar!\x1a\x07"),
        (archive, lambda d: d[:4] in (b"\x28\xb5\x2f\xfd", b"MSCF") or d[257:262] == b"ustar"),
        (program, lambda d: d[:4] == b"\x7fELF" or d[:4] == b"\x00asm"),
        (program, lambda d: d[:2] == b"MZ" and b"\x00" in d[:64]),
        (program, lambda d: d[:4] in MACH_O),
        (program, lambda d: d[:2] == b"#!"),
    )


def _text_kind(data: bytes) -> str | None:
    """'text/plain' for UTF-8 text without markup; raises for web pages and SVG."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    head = text[:HEAD].lstrip().lower()
    if head.startswith("<") or any(tag in head for tag in MARKUP):
        kind = _("a web page, SVG or XML document (these can run scripts)")
        raise EvidenceRejected(_("Files of this kind are not accepted: %(kind)s.") % {"kind": kind})
    return "text/plain"


def sniff(data: bytes) -> str:
    """The media type of `data`, or EvidenceRejected saying why the file is not accepted."""
    if not data:
        raise EvidenceRejected(_("The file is empty."))
    head = data[:HEAD]
    found = _iso_media(head) or next((t for t, test in ACCEPTED if test(head)), None)
    if found is not None:
        return found
    for kind, test in _refused_kinds():
        if test(head):
            message = _("Files of this kind are not accepted: %(kind)s.") % {"kind": kind}
            raise EvidenceRejected(message)
    text = _text_kind(data)
    if text is not None:
        return text
    raise EvidenceRejected(
        _(
            "The file's type could not be recognised from its content. Accepted: images "
            "(PNG, JPEG, GIF, WebP, HEIC), PDF, videos (MP4, WebM, QuickTime), plain text "
            "and web page captures (WARC)."
        )
    )


def extension(media_type: str, data: bytes = b"") -> str:
    """The file name extension for a sniffed media type (a WARC not gzip'd is `.warc`)."""
    if media_type == "application/warc" and data and data[:2] != b"\x1f\x8b":
        return "warc"
    return EXTENSIONS.get(media_type, "bin")
