"""Sniffing: each accepted kind is recognised from its content, and dangerous or unknown files
are refused with a reason. The samples are minimal real files made here at test time (no binary
fixtures in the repository); the other evidence tests use them too."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

import pytest
from django.utils import translation
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.web.evidence.errors import EvidenceRejected
from marsad.web.evidence.sniff import extension, sniff


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png() -> bytes:
    """A 1x1 black PNG, as an encoder writes it."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def gif() -> bytes:
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp() -> bytes:
    chunk = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00" + b"\x00"
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    """An ISO media file's first box (HEIC, MP4 and QuickTime files all start with one)."""
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    box = struct.pack(">I", 4 + len(body)) + body
    return box + struct.pack(">I", 8) + b"mdat"


def heic() -> bytes:
    return ftyp(b"heic", b"mif1", b"heic")


def mp4() -> bytes:
    return ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41")


def mov() -> bytes:
    return ftyp(b"qt  ", b"qt  ")


def webm() -> bytes:
    doc_type = b"\x42\x82\x84webm"
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(doc_type)]) + doc_type + b"\x18\x53\x80\x67"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def text() -> bytes:
    return "أُغلق حسابي بعد نشر صور الهدم. החשבון נחסם. My account was closed.\n".encode()


def warc() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    head = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/", "response", payload=io.BytesIO(b"hi"), http_headers=head
    )
    writer.write_record(record)
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.png", png())
    return out.getvalue()


def gzip_file() -> bytes:
    return gzip.compress(b"just some compressed text\n")


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00"


def html() -> bytes:
    return b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def script() -> bytes:
    return b"#!/bin/sh\nrm -rf ~\n"


ACCEPTED = {
    "png": (png, "image/png"),
    "jpeg": (jpeg, "image/jpeg"),
    "gif": (gif, "image/gif"),
    "webp": (webp, "image/webp"),
    "heic": (heic, "image/heic"),
    "mp4": (mp4, "video/mp4"),
    "mov": (mov, "video/quicktime"),
    "webm": (webm, "video/webm"),
    "pdf": (pdf, "application/pdf"),
    "text": (text, "text/plain"),
    "warc": (warc, "application/warc"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_each_accepted_kind_is_recognised_from_its_content(name: str) -> None:
    make, media_type = ACCEPTED[name]
    assert sniff(make()) == media_type


REFUSED = {
    "zip": (zip_archive, "archive"),
    "gzip": (gzip_file, "archive"),
    "elf": (elf, "program"),
    "exe": (windows_exe, "program"),
    "script": (script, "program"),
    "html": (html, "web page"),
    "svg": (svg, "web page"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_dangerous_files_are_refused_with_their_kind(name: str) -> None:
    make, kind = REFUSED[name]
    with pytest.raises(EvidenceRejected, match=f"not accepted: .*{kind}"):
        sniff(make())


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(EvidenceRejected, match="empty"):
        sniff(b"")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, "café au lait".encode("latin-1"), "text".encode("utf-16")],
    ids=["binary", "latin-1 text", "utf-16 text"],
)
def test_unrecognised_content_is_refused_and_the_accepted_kinds_are_listed(data: bytes) -> None:
    with pytest.raises(EvidenceRejected, match=r"could not be recognised.*PNG"):
        sniff(data)


def test_the_name_and_the_claimed_type_play_no_part() -> None:
    """An HTML page is refused even when it comes first in a file that looks like text."""
    assert sniff(b"  just a note, with <b> in it\n") == "text/plain"
    with pytest.raises(EvidenceRejected):
        sniff(b"\n\n  <html><body>hello</body></html>")


def test_audio_in_an_iso_container_is_not_taken_for_video() -> None:
    with pytest.raises(EvidenceRejected, match="could not be recognised"):
        sniff(ftyp(b"M4A ", b"M4A ", b"mp42"))


def test_a_gzip_file_holding_a_warc_is_a_warc_and_other_gzip_is_an_archive() -> None:
    assert sniff(gzip.compress(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n")) == "application/warc"
    with pytest.raises(EvidenceRejected, match="archive"):
        sniff(gzip.compress(b"<html>"))


def test_download_extensions_follow_the_media_type() -> None:
    assert extension("image/png") == "png"
    assert extension("application/warc", warc()) == "warc.gz"
    assert extension("application/warc", b"WARC/1.0\r\n") == "warc"
