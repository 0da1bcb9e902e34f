"""File sources: paths, folders, .gz, .zst and .zip turned into `SourceFile`s, plus text decoding.

`iter_sources` never raises for a bad path: a missing file, an unreadable file or a corrupt
archive becomes a `Reject` naming the path and the reason, and the other paths go on.
`.gz` and `.zst` files (also as zip members) are decompressed while they are read; `.zst` is
read with a window of up to 2 GiB, as the Pushshift Reddit dumps (`zstd --long=31`) need, and a
`.zst` file cut in the middle of a frame fails like a truncated `.gz` (EOFError).

`open_text` picks the encoding of a file: a byte-order mark, else UTF-16 without a mark when
the sample is full of NUL bytes at alternate positions, else UTF-8 when the first megabyte is
(mostly) valid UTF-8, else the Windows code page (cp1256 Arabic or cp1255 Hebrew) whose
decoding yields more letters of its own script. Undecodable bytes become lone surrogates
(errors="surrogateescape") so one bad line does not stop the stream; readers reject that line
with `has_invalid_bytes`.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from stat import S_ISREG
from typing import IO, Any, TextIO, cast

import zstandard

from marsad.ingest.base import SAMPLE_BYTES, Reject, Sample, SourceFile

ENCODING_SAMPLE_BYTES = 1024 * 1024
REJECTS_SUFFIX = ".rejects.jsonl"
ATTACHMENT_SUFFIXES = (
    *(".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg", ".ico"),
    *(".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".3gp"),
    *(".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".aac", ".flac"),
    *(".css", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".map", ".pdf", ".tgs"),
)

# What reading a (possibly compressed, possibly truncated) stream can raise.
READ_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    UnicodeDecodeError,
    zstandard.ZstdError,
)
# Opening a zip member can also raise RuntimeError (encrypted) or NotImplementedError (an
# unsupported compression method); such members are rejected before anything reads them.
_OPEN_ERRORS: tuple[type[Exception], ...] = (*READ_ERRORS, RuntimeError)

_CHUNK = 8192
# Pushshift dumps are written with `zstd --long=31`: a 2 GiB window, above the default limit.
ZSTD_MAX_WINDOW = 2**31
_ZSTD_READ = 16 * 1024  # compressed bytes per step: bounds what one step can expand to
_COMPRESSED = (".gz", ".zst")
_BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}
_SURROGATE = re.compile("[\ud800-\udfff]")
_ARABIC = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f]")
_HEBREW = re.compile("[\u05d0-\u05ea\u05f0-\u05f2]")


# --- sources -----------------------------------------------------------------------------


def iter_sources(paths: Sequence[Path]) -> Iterator[SourceFile | Reject]:
    """Every importable file under `paths`, in a stable order; problems become Rejects."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield from _file_sources(path)
        else:
            yield Reject(str(path), None, "no such file or folder")


def _walk(folder: Path) -> Iterator[SourceFile | Reject]:
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield Reject(str(folder), None, f"cannot list folder: {_reason(exc)}")
        return
    for child in children:
        if _skipped(child.name):
            continue
        if child.is_dir():
            if not child.is_symlink():  # like os.walk: no loops through linked folders
                yield from _walk(child)
        else:
            yield from _file_sources(child)


def _skipped(name: str) -> bool:
    """Hidden files, rejects files, and the pictures, videos, sounds and web assets that
    exports carry beside their data (an X archive's tweets_media/, a Telegram export's
    photos/): skipped when a folder or archive is walked, not when named on their own."""
    lower = name.lower()
    return lower.startswith(".") or lower.endswith((REJECTS_SUFFIX, *ATTACHMENT_SUFFIXES))


def _file_sources(path: Path) -> Iterator[SourceFile | Reject]:
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):  # a pipe or device would block or never end
            yield Reject(str(path), None, "not a regular file")
            return
        with path.open("rb"):
            pass
    except OSError as exc:
        yield Reject(str(path), None, f"cannot read file: {_reason(exc)}")
        return
    mtime = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
    lower = path.name.lower()
    if lower.endswith(".zip"):
        yield from _zip_sources(path, mtime)
    elif lower.endswith(".gz"):
        yield from _gzip_source(path, stat.st_size, mtime)
    elif lower.endswith(".zst"):
        yield from _zst_source(path, stat.st_size, mtime)
    else:
        yield SourceFile(str(path), partial(_open_file, path), stat.st_size, mtime, path)


def _open_file(path: Path) -> IO[bytes]:
    return path.open("rb")


def _gzip_source(path: Path, size: int, mtime: datetime) -> Iterator[SourceFile | Reject]:
    problem = _probe(partial(_open_gzip, path))
    if problem:
        yield Reject(str(path), None, f"not a readable .gz file: {problem}")
        return
    yield SourceFile(_strip_compression(str(path)), partial(_open_gzip, path), size, mtime)


def _open_gzip(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb"))


def _zst_source(path: Path, size: int, mtime: datetime) -> Iterator[SourceFile | Reject]:
    problem = _probe(partial(_open_zst, path))
    if problem:
        yield Reject(str(path), None, f"not a readable .zst file: {problem}")
        return
    yield SourceFile(_strip_compression(str(path)), partial(_open_zst, path), size, mtime)


def _open_zst(path: Path) -> IO[bytes]:
    return zst_stream(path.open("rb"))


def zst_stream(inner: IO[bytes]) -> IO[bytes]:
    """A buffered binary stream of the decompressed content of the zstd stream `inner`
    (closing it closes `inner`)."""
    return cast(IO[bytes], io.BufferedReader(_ZstdReader(inner), 1 << 20))


def _compression(name: str) -> str:
    """The compression suffix of a name (".gz" or ".zst"), or "" for none."""
    lower = name.lower()
    return next((suffix for suffix in _COMPRESSED if lower.endswith(suffix)), "")


def _strip_compression(name: str) -> str:
    suffix = _compression(name)
    return name[: -len(suffix)] if suffix else name


class _ZstdReader(io.RawIOBase):
    """Streaming zstd decompression over another stream, frame after frame.

    Unlike `ZstdDecompressor.stream_reader`, a stream that ends inside a frame raises
    EOFError (as gzip does), so a truncated download is reported, not silently cut.
    """

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self._dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
        self._frame = self._dctx.decompressobj()
        self._in_frame = False
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if not self._fill():
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _fill(self) -> bool:
        data = self._inner.read(_ZSTD_READ)
        if not data:
            if self._in_frame:
                raise EOFError("the .zst stream ends in the middle of a frame (truncated)")
            return False
        self._pending = memoryview(self._decompress(data))
        return True

    def _decompress(self, data: bytes) -> bytes:
        parts: list[bytes] = []
        while data:
            self._in_frame = True
            parts.append(self._frame.decompress(data))
            if not self._frame.eof:
                break
            data = self._frame.unused_data  # the next frame starts here
            self._frame = self._dctx.decompressobj()
            self._in_frame = False
        return b"".join(parts)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def _probe(opener: partial[IO[bytes]]) -> str:
    """'' when the stream opens and yields its first byte (or is empty), else the reason."""
    try:
        with opener() as stream:
            stream.read(1)
    except _OPEN_ERRORS as exc:
        return _reason(exc)
    return ""


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text != type(exc).__name__ else text


# --- zip archives --------------------------------------------------------------------------


def _zip_sources(path: Path, mtime: datetime) -> Iterator[SourceFile | Reject]:
    archive = _Archive(path)
    try:
        members = [m for m in archive.zip().infolist() if _wanted_member(m)]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Reject(str(path), None, f"not a readable zip archive: {_reason(exc)}")
        return
    for member in sorted(members, key=lambda m: m.filename):
        yield _member_source(archive, member, mtime)


def _wanted_member(member: zipfile.ZipInfo) -> bool:
    name = member.filename
    if member.is_dir() or name.startswith("__MACOSX/") or _skipped(name.rsplit("/", 1)[-1]):
        return False
    return not any(part.startswith(".") for part in name.split("/"))


def _member_source(
    archive: _Archive, member: zipfile.ZipInfo, fallback: datetime
) -> SourceFile | Reject:
    shown = f"{archive.path}!{member.filename}"
    if member.filename.lower().endswith(".zip"):
        return Reject(shown, None, "archives inside archives are not opened; unpack it first")
    opener = partial(archive.open, member.filename, _compression(member.filename))
    problem = _probe(opener)
    if problem:
        return Reject(shown, None, f"cannot read archive member: {problem}")
    name = _strip_compression(shown)
    return SourceFile(name, opener, member.compress_size, _member_mtime(member, fallback))


def _member_mtime(member: zipfile.ZipInfo, fallback: datetime) -> datetime:
    try:
        return datetime(*member.date_time, tzinfo=UTC)
    except ValueError:  # a corrupt DOS date (month 0 ...)
        return fallback


class _Archive:
    """A zip archive opened once per process and shared by the sources of its members.

    Re-opening the archive for every member would re-read its whole directory each time
    (quadratic for exports with thousands of files). Members can be read at the same time;
    pickling keeps only the path, so a source can travel to another process.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._pid = 0

    def zip(self) -> zipfile.ZipFile:
        if self._zip is None or self._pid != os.getpid():
            self._zip = zipfile.ZipFile(self.path)
            self._pid = os.getpid()
        return self._zip

    def open(self, member: str, compression: str = "") -> IO[bytes]:
        """The member's content, decompressed when `compression` is ".gz" or ".zst"."""
        stream: IO[bytes] = self.zip().open(member)
        if compression == ".gz":
            return cast(IO[bytes], _ClosingGzipFile(stream))
        return zst_stream(stream) if compression == ".zst" else stream

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "_zip": None, "_pid": 0}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


class _ClosingGzipFile(gzip.GzipFile):
    """A GzipFile over another stream that also closes that stream."""

    def __init__(self, inner: IO[bytes]) -> None:
        super().__init__(fileobj=inner, mode="rb")
        self._inner = inner

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


# --- samples and text ------------------------------------------------------------------------


def iter_lines(source: SourceFile) -> Iterator[tuple[int, bytes] | Reject]:
    """(line number, line) for every non-blank line of a line-based file, the UTF-8 BOM of
    the first line removed; a Reject naming the line where reading failed (a truncated .gz)."""
    line_no = 0
    try:
        with source.open() as stream:
            for line_no, line in enumerate(stream, 1):
                if line_no == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                if line.strip():
                    yield line_no, line
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, line_no + 1, reason)


def read_sample(source: SourceFile) -> Sample:
    """The first SAMPLE_BYTES of the decompressed content; what could be read if it is corrupt."""
    return Sample(source.name, _read_head(source, SAMPLE_BYTES))


def _read_head(source: SourceFile, limit: int) -> bytes:
    head = bytearray()
    try:
        with source.open() as stream:
            while len(head) < limit:
                chunk = stream.read(min(_CHUNK, limit - len(head)))
                if not chunk:
                    break
                head += chunk
    except READ_ERRORS:
        pass
    return bytes(head)


def open_text(source: SourceFile, encoding: str | None = None) -> tuple[TextIO, str]:
    """A text stream over the file (newline='' for the csv module) and the encoding used.

    An explicit `encoding` wins over detection. Undecodable bytes become lone surrogates; see
    `has_invalid_bytes`. A byte-order mark is never part of the text.
    """
    head = _read_head(source, ENCODING_SAMPLE_BYTES if encoding is None else 4)
    encoding = encoding or detect_encoding(head)
    skip = _bom_length(head, codecs.lookup(encoding).name)  # unknown encoding: LookupError
    stream = source.open()
    if skip:
        stream.read(skip)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
    return text, encoding


def _bom_length(head: bytes, codec: str) -> int:
    bom = _BOMS.get(codec)
    return len(bom) if bom and head.startswith(bom) else 0


def has_invalid_bytes(line: str) -> bool:
    """True when the line held bytes its encoding could not decode (see `open_text`)."""
    return _SURROGATE.search(line) is not None


def detect_encoding(head: bytes) -> str:
    """The encoding of a file that starts with `head` (see the module docstring)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if _mostly_utf8(head):
        return "utf-8"
    return _code_page(head)


def _utf16_without_bom(head: bytes) -> str:
    pairs = len(head) // 2
    if pairs < 2:
        return ""
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    # Text in UTF-8 or a code page has no NUL bytes; UTF-16 has one in the high byte of every
    # ASCII character (space, digits, punctuation, newlines), all on the same side.
    if odd >= pairs * 0.05 and even <= odd * 0.1:
        return "utf-16-le"
    if even >= pairs * 0.05 and odd <= even * 0.1:
        return "utf-16-be"
    return ""


def _mostly_utf8(head: bytes) -> bool:
    """Valid UTF-8 (a character cut at the end of the sample allowed), or UTF-8 with a few bad
    bytes among many good multibyte characters: a UTF-8 file with one damaged line."""
    final = len(head) < ENCODING_SAMPLE_BYTES
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final)
    bad = len(_SURROGATE.findall(text))
    if not bad:
        return True
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    return multibyte > 4 * bad


def _code_page(head: bytes) -> str:
    arabic = len(_ARABIC.findall(head.decode("cp1256", "replace")))
    hebrew = len(_HEBREW.findall(head.decode("cp1255", "replace")))
    return "cp1255" if hebrew > arabic else "cp1256"
