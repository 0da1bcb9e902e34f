"""Dangerous files that sniff as a kept kind: polyglots (an image or PDF that is also an archive
or a web page), PDFs with scripts, and files that expand too far. Real files are made here at
test time (Pillow, WeasyPrint, zipfile, gzip, warcio) to show that ordinary photos, screenshots,
PDFs and web captures still pass."""

from __future__ import annotations

import gzip
import io
import os
import random
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.web.cases.models import Case
from marsad.web.evidence.actions import add_file
from marsad.web.evidence.dangerous import MAX_RATIO, accept, gunzipped_size
from marsad.web.evidence.errors import EvidenceRejected
from marsad.web.evidence.models import Evidence

from .test_public_report import REPORT, form_data

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- real files, made here ------------------------------------------------------------------


def photo(kind: str, size: tuple[int, int] = (640, 480), seed: int = 7, **options: Any) -> bytes:
    """A noisy photo-like image (noise compresses like a photo: no long runs)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def screenshot_pdf() -> bytes:
    from weasyprint import HTML

    page = "<h1>Notice</h1><p>Your post was removed for violating our community standards.</p>"
    return bytes(HTML(string=page * 20).write_pdf())


def pillow_pdf() -> bytes:
    return photo("PDF", (300, 200))


def capture(body: bytes, content_type: str = "text/html") -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    head = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/post/1", "response", payload=io.BytesIO(body), http_headers=head
    )
    writer.write_record(record)
    return out.getvalue()


def zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def gzip_stream(head: bytes, zeros: int) -> bytes:
    """gzip of `head` then `zeros` zero bytes, packed in 1 MiB blocks (never all in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(head)]
    block = bytes(MIB)
    for _ in range(zeros // MIB):
        parts.append(packer.compress(block))
    return b"".join([*parts, packer.flush()])


def pdf_with(objects: bytes) -> bytes:
    return b"%PDF-1.7\n" + objects + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def refusal(data: bytes) -> str:
    with pytest.raises(EvidenceRejected) as refused:
        accept(data)
    return str(refused.value)


# --- what passes --------------------------------------------------------------------------------

REAL_FILES: dict[str, Callable[[], bytes]] = {
    "jpeg photo": lambda: photo("JPEG", quality=90),
    "large jpeg photo": lambda: photo("JPEG", (2400, 1800), seed=11, quality=95),
    "jpeg with exif": lambda: photo("JPEG", exif=Image.Exif()),
    "png screenshot": lambda: photo("PNG"),
    "large png": lambda: photo("PNG", (1600, 1200), seed=3),
    "gif": lambda: photo("GIF", (200, 200)),
    "webp": lambda: photo("WEBP"),
    "pdf from weasyprint": screenshot_pdf,
    "pdf from pillow": pillow_pdf,
    "web capture": lambda: capture(b"<html><body><script>var a=1;</script>post</body></html>"),
}
EXPECTED = {"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_photos_screenshots_pdfs_and_captures_are_accepted(name: str) -> None:
    media_type = accept(REAL_FILES[name]())
    kind = name.split()[0]
    assert media_type == EXPECTED.get(kind, media_type)


def test_many_noisy_photos_give_no_false_alarm() -> None:
    """Compressed image data is close to random: byte patterns such as PK\\x03\\x04 turn up in
    it by chance, and must not be taken for an archive."""
    for seed in range(40):
        accept(photo("JPEG", (800, 600), seed=seed, quality=97))


# --- polyglots ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "GIF"])
def test_an_image_with_a_zip_archive_appended_is_refused(kind: str) -> None:
    data = photo(kind) + zip_of("payload.html", b"<script>alert(1)</script>")
    assert "also holds an archive" in refusal(data)


def test_a_pdf_carrying_a_zip_file_entry_without_directory_is_refused() -> None:
    local = zip_of("x.js", b"alert(1)")
    local = local[: local.index(b"PK\x01\x02")]  # the entry alone, no central directory
    assert "also holds an archive" in refusal(pillow_pdf() + local)


@pytest.mark.parametrize("signature", [b"Rar!\x1a\x07\x01\x00", b"7z\xbc\xaf\x27\x1c\x00\x04"])
def test_an_image_with_a_rar_or_7z_archive_appended_is_refused(signature: bytes) -> None:
    assert "also holds an archive" in refusal(photo("JPEG") + signature + os.urandom(64))


@pytest.mark.parametrize(
    "markup",
    [
        b"<script>alert(document.cookie)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<html><body>hello</body></html>",
        b"<iframe src='https://example.org'>",
        b"<img src=x onerror=alert(1)>",
    ],
)
def test_an_image_carrying_web_page_code_in_its_first_kilobytes_is_refused(markup: bytes) -> None:
    data = photo("JPEG", comment=markup)
    assert markup in data[:8192]
    assert "web page code" in refusal(data)


def test_a_gif_with_a_script_in_its_comment_is_refused() -> None:
    data = photo("GIF", (50, 50), comment=b"<script>alert(1)</script>")
    assert "web page code" in refusal(data)


@pytest.mark.parametrize(
    "action",
    [
        b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>",
    ],
)
def test_a_pdf_with_scripts_launch_actions_or_embedded_files_is_refused(action: bytes) -> None:
    data = pdf_with(b"1 0 obj\n" + action + b"\nendobj\n")
    assert "the PDF holds scripts" in refusal(data)


def test_a_pdf_script_hidden_in_a_compressed_object_stream_is_refused() -> None:
    hidden = zlib.compress(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = (
        b"3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n"
    )
    data = pdf_with(b"1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n" + stream)
    assert b"JavaScript" not in data
    assert "the PDF holds scripts" in refusal(data)


# --- expansion --------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_first_bytes_without_unpacking() -> None:
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(256):
            entry.write(bytes(MIB))
    data = zip_of("inner.zip", bomb.getvalue())  # nested, for good measure
    started = time.perf_counter()
    assert "an archive" in refusal(data)
    assert time.perf_counter() - started < 0.5


def test_a_web_capture_that_unpacks_too_far_is_refused_while_unpacking() -> None:
    bomb = gzip_stream(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n", 512 * MIB)
    assert len(bomb) < 2 * MIB
    started = time.perf_counter()
    message = refusal(bomb)
    assert "unpacks to more than" in message
    assert time.perf_counter() - started < 5
    assert gunzipped_size(bomb, 10 * MIB) <= 11 * MIB  # the count stops near where asked


def test_a_bomb_hidden_in_a_later_gzip_member_is_found() -> None:
    bomb = capture(b"<p>an ordinary page</p>") + gzip_stream(b"", 256 * MIB)
    assert "unpacks to more than" in refusal(bomb)


def test_the_expansion_limit_follows_the_setting(settings: Any) -> None:
    body = os.urandom(64 * 1024).hex().encode() * 8  # 1 MiB of hex digits: packs about 2 to 1
    data = capture(body)
    assert accept(data) == "application/warc"
    settings.MARSAD_MAX_EXPANDED_BYTES = len(body) // 2
    assert "unpacks to more than" in refusal(data)


def test_well_packed_small_captures_pass_below_the_ratio_floor() -> None:
    data = capture(b"<p>" + b"a" * 500_000 + b"</p>")
    assert gunzipped_size(data, 10 * MIB) / len(data) > MAX_RATIO
    assert accept(data) == "application/warc"


def test_an_image_declaring_billions_of_pixels_is_refused() -> None:
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    body = b"IHDR" + header
    chunk = struct.pack(">I", len(header)) + body + struct.pack(">I", zlib.crc32(body))
    data = b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 64
    assert "too large to open safely" in refusal(data)


# --- every way in -------------------------------------------------------------------------------


def test_the_public_form_refuses_a_polyglot_by_name_and_files_nothing(
    db: None, term: Callable[[str, str], Any]
) -> None:
    bad = photo("JPEG") + zip_of("x.html", b"<script>1</script>")
    upload = SimpleUploadedFile("holiday.jpg", bad, content_type="image/jpeg")
    page = Client().post(REPORT, form_data(term, attachments=[upload]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "holiday.jpg" in html and "also holds an archive" in html
    assert Case.objects.count() == 0 and Evidence.objects.count() == 0


def test_a_staff_upload_of_a_gzip_bomb_capture_is_refused_by_name(
    filed_case: Any, documenter: Any
) -> None:
    bomb = gzip_stream(b"WARC/1.0\r\n\r\n", 256 * MIB)
    upload = SimpleUploadedFile("capture.warc.gz", bomb)
    with pytest.raises(EvidenceRejected, match=r"capture\.warc\.gz.*unpacks to more than"):
        add_file(filed_case, upload, documenter)
    assert Evidence.objects.count() == 0


def test_gzip_stream_helper_packs_what_it_says() -> None:
    data = gzip_stream(b"head", 2 * MIB)
    assert gzip.decompress(data) == b"head" + bytes(2 * MIB)
