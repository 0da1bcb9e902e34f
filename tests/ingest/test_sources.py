"""File sources: folders, .gz, .zip, samples and text decoding."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import pickle
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
import zstandard

from marsad.config import load_settings
from marsad.ingest.base import SAMPLE_BYTES, Reject, SourceFile
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.ingest.registry import detect_format
from marsad.ingest.sources import (
    ENCODING_SAMPLE_BYTES,
    detect_encoding,
    has_invalid_bytes,
    iter_lines,
    iter_sources,
    open_text,
    read_sample,
)
from marsad.project import init_project
from marsad.warehouse import Warehouse

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2025, 4, 1, tzinfo=UTC)


def sources(*paths: Path) -> list[SourceFile]:
    found = list(iter_sources(list(paths)))
    assert all(isinstance(s, SourceFile) for s in found), found
    return [s for s in found if isinstance(s, SourceFile)]


def rejects(*paths: Path) -> list[Reject]:
    return [r for r in iter_sources(list(paths)) if isinstance(r, Reject)]


def content(source: SourceFile) -> bytes:
    with source.open() as stream:
        return stream.read()


def memory_source(data: bytes, name: str = "mem.csv") -> SourceFile:
    return SourceFile(name, lambda: io.BytesIO(data), len(data), NOW)


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


# --- paths and folders -------------------------------------------------------------------


def test_a_missing_path_is_a_reject_not_an_exception(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    found = list(iter_sources([missing, FIXTURES / "tabular" / "posts.jsonl"]))
    assert isinstance(found[0], Reject)
    assert found[0].file == str(missing)
    assert "no such file" in found[0].reason
    assert isinstance(found[1], SourceFile)


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.csv", "a/z.csv", "a/y/x.csv", "c.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text\nhi\n")
    names = [Path(s.name).relative_to(tmp_path).as_posix() for s in sources(tmp_path)]
    assert names == ["a/y/x.csv", "a/z.csv", "b.csv", "c.jsonl"]


def test_hidden_files_hidden_folders_and_rejects_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.csv").write_text("text\nhi\n")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "20250101T000000Z-abc.rejects.jsonl").write_text("{}\n")
    (tmp_path / "keep.csv").write_text("text\nhi\n")
    assert [Path(s.name).name for s in sources(tmp_path)] == ["keep.csv"]


def test_attachments_in_folders_and_archives_are_passed_over(tmp_path: Path) -> None:
    export = tmp_path / "ChatExport_2025-03-01"
    (export / "photos").mkdir(parents=True)
    (export / "photos" / "photo_1@01-03-2025_10-00-00.jpg").write_bytes(b"\xff\xd8\xff")
    (export / "video_files").mkdir()
    (export / "video_files" / "clip.MP4").write_bytes(b"\0\0\0\x18ftypmp42")
    (export / "result.json").write_text("{}")
    assert [Path(s.name).name for s in sources(export)] == ["result.json"]
    zipped = tmp_path / "archive.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
        archive.writestr("data/tweets_media/1-a.png", b"\x89PNG")
        archive.writestr("assets/fonts/x.woff2", b"wOF2")
    assert [s.name.rsplit("!", 1)[-1] for s in sources(zipped)] == ["data/tweets.js"]
    alone = export / "photos" / "photo_1@01-03-2025_10-00-00.jpg"
    assert [Path(s.name).name for s in sources(alone)] == [alone.name]  # named: tried


def test_plain_file_carries_size_and_aware_utc_mtime(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"text\nhello\n")
    os.utime(path, (1740824430, 1740824430))
    (source,) = sources(path)
    assert source.size == 11
    assert source.mtime == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert content(source) == b"text\nhello\n"


def test_an_unreadable_file_is_a_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.csv"
    path.write_text("text\nhi\n")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    (reject,) = rejects(path)
    assert reject.file == str(path)
    assert "Permission denied" in reject.reason


# --- .gz ---------------------------------------------------------------------------------


def test_gz_files_are_unwrapped_and_named_without_gz(tmp_path: Path) -> None:
    data = (FIXTURES / "x_v2" / "pages_he.jsonl").read_bytes()
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(gzip.compress(data))
    (source,) = sources(path)
    assert source.name == str(tmp_path / "pages.jsonl")
    assert source.size == path.stat().st_size
    assert content(source) == data
    assert read_sample(source).name.endswith("pages.jsonl")


def test_a_gz_file_that_is_not_gzip_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "fake.csv.gz"
    path.write_bytes(b"text\nnot compressed\n")
    (reject,) = rejects(path)
    assert reject.file == str(path)
    assert "gz" in reject.reason


def test_sampling_a_truncated_gz_returns_what_could_be_read(tmp_path: Path) -> None:
    data = b"".join(b'{"id": "%d", "text": "post number %d"}\n' % (i, i) for i in range(20000))
    compressed = gzip.compress(data)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) // 3])
    (source,) = sources(path)
    head = read_sample(source).head
    assert 0 < len(head) <= SAMPLE_BYTES
    assert data.startswith(head)


def test_sample_is_the_first_sample_bytes_of_the_content() -> None:
    data = bytes(range(256)) * 1000
    sample = read_sample(memory_source(data, "big.bin"))
    assert sample.head == data[:SAMPLE_BYTES]
    assert sample.name == "big.bin"


def test_sample_of_an_empty_file_is_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (source,) = sources(tmp_path / "empty.csv")
    assert read_sample(source).head == b""


# --- .zip --------------------------------------------------------------------------------


def test_zip_members_are_yielded_as_archive_bang_member(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    write_zip(
        path,
        {
            "pages/": b"",
            "pages/b.jsonl": b'{"text": "b"}\n',
            "pages/a.csv": b"text\na\n",
            "__MACOSX/pages/._a.csv": b"junk",
            "pages/.hidden.csv": b"text\nh\n",
            "pages/c.jsonl.gz": gzip.compress(b'{"text": "c"}\n'),
        },
    )
    found = sources(path)
    assert [s.name for s in found] == [
        f"{path}!pages/a.csv",
        f"{path}!pages/b.jsonl",
        f"{path}!pages/c.jsonl",
    ]
    assert [content(s) for s in found] == [b"text\na\n", b'{"text": "b"}\n', b'{"text": "c"}\n']
    assert all(s.mtime == datetime(2024, 5, 6, 7, 8, 10, tzinfo=UTC) for s in found)


def test_zip_member_streams_are_independent(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    write_zip(path, {"a.csv": b"text\na\n", "b.csv": b"text\nb\n"})
    first, second = sources(path)
    with first.open() as one, second.open() as two:
        assert one.read(5) == b"text\n"
        assert two.read() == b"text\nb\n"
        assert one.read() == b"a\n"


def test_a_corrupt_zip_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (reject,) = rejects(path)
    assert reject.file == str(path)
    assert "zip" in reject.reason


def corrupt_member(path: Path, member: str, where: str) -> None:
    """Overwrite bytes of one member: its local "header", or the "start"/"middle" of its data."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    if where == "header":
        data[info.header_offset : info.header_offset + 4] = b"XXXX"
    else:
        start = info.header_offset + 30 + len(info.filename.encode())
        start += 2 if where == "start" else info.compress_size // 2
        data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def test_a_zip_member_with_a_broken_header_is_a_reject_and_the_good_one_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.zip"
    write_zip(path, {"good.csv": b"text\ngood\n", "bad.csv": b"text\n" + b"bad row\n" * 200})
    corrupt_member(path, "bad.csv", "header")
    found = list(iter_sources([path]))
    reject, good = found
    assert isinstance(reject, Reject)
    assert reject.file == f"{path}!bad.csv"
    assert "cannot read archive member" in reject.reason
    assert isinstance(good, SourceFile)
    assert content(good) == b"text\ngood\n"


def test_a_zip_member_corrupt_from_the_start_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "mixed.zip"
    body = b"".join(b"text number %d\n" % i for i in range(5000))
    write_zip(path, {"good.csv": b"text\ngood\n", "bad.csv": b"text\n" + body})
    corrupt_member(path, "bad.csv", "start")
    reject, good = iter_sources([path])
    assert isinstance(reject, Reject) and reject.file == f"{path}!bad.csv"
    assert isinstance(good, SourceFile) and content(good) == b"text\ngood\n"


def test_a_zip_member_corrupt_in_the_middle_can_still_be_sampled(tmp_path: Path) -> None:
    path = tmp_path / "mixed.zip"
    body = b"".join(b"text number %d\n" % i for i in range(50000))
    write_zip(path, {"good.csv": b"text\ngood\n", "bad.csv": b"text\n" + body})
    corrupt_member(path, "bad.csv", "middle")
    bad, good = sources(path)
    assert bad.name.endswith("!bad.csv")
    assert read_sample(bad).head.startswith(b"text\ntext number 0\n")
    assert content(good) == b"text\ngood\n"


def test_sources_can_be_pickled_for_worker_processes(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"text\na\n")
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(b"text\nb\n"))
    write_zip(tmp_path / "c.zip", {"c.csv": b"text\nc\n", "d.csv.gz": gzip.compress(b"text\nd\n")})
    found = sources(tmp_path)
    copies = [pickle.loads(pickle.dumps(s)) for s in found]
    assert [content(c) for c in copies] == [b"text\na\n", b"text\nb\n", b"text\nc\n", b"text\nd\n"]


def test_an_archive_with_many_members_is_listed_and_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    write_zip(path, {f"m/{i:05}.csv": b"text\nx\n" for i in range(3000)})
    started = time.perf_counter()
    found = sources(path)
    assert sum(len(content(s)) for s in found) == 3000 * 7
    assert time.perf_counter() - started < 10


def test_archives_inside_archives_are_rejected_with_a_hint(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.csv", "text\na\n")
    path = tmp_path / "outer.zip"
    write_zip(path, {"inner.zip": inner.getvalue()})
    (reject,) = rejects(path)
    assert reject.file == f"{path}!inner.zip"
    assert "unpack" in reject.reason


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [
        ("posts_utf8.csv", "utf-8"),
        ("posts_bom.csv", "utf-8-sig"),
        ("posts_utf16.csv", "utf-16-le"),
        ("posts_cp1256.csv", "cp1256"),
        ("posts_cp1255.csv", "cp1255"),
        ("posts_semicolon.csv", "utf-8"),
        ("posts.jsonl", "utf-8"),
    ],
)
def test_the_encoding_of_every_tabular_fixture_is_detected(fixture: str, encoding: str) -> None:
    assert detect_encoding((FIXTURES / "tabular" / fixture).read_bytes()) == encoding


def test_utf16_big_endian_with_a_bom_is_detected() -> None:
    assert detect_encoding(codecs.BOM_UTF16_BE + "text\nשלום\n".encode("utf-16-be")) == (
        "utf-16-be"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes(codec: str) -> None:
    data = "id,text\n1,حجب المواقع\n2,Internet shutdown\n".encode(codec)
    assert detect_encoding(data) == codec


def test_arabic_heavy_utf16_without_a_bom_is_recognised() -> None:
    text = "النص,المستخدم\n" + "حجب المواقع الإخبارية انتهاك لحرية التعبير,مرصد\n" * 20
    assert detect_encoding(text.encode("utf-16-le")) == "utf-16-le"


def test_binary_data_with_nul_bytes_everywhere_is_not_utf16() -> None:
    assert detect_encoding(bytes(range(256)) * 40) != "utf-16-le"


def test_a_named_pipe_is_a_reject_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    (reject,) = rejects(tmp_path)
    assert reject.reason == "not a regular file"


def test_a_multibyte_character_cut_at_the_end_of_the_sample_is_still_utf8() -> None:
    data = ("ا" * ENCODING_SAMPLE_BYTES).encode()[: ENCODING_SAMPLE_BYTES - 1]
    assert len(data) == ENCODING_SAMPLE_BYTES - 1
    assert detect_encoding(data + b"\xd8") == "utf-8"


def test_utf8_with_one_damaged_line_stays_utf8() -> None:
    good = "text\n" + "حجب المواقع الإخبارية انتهاك لحرية التعبير\n" * 5
    data = good.encode() + "سطر تالف\n".encode("cp1256") + "שלום\n".encode()
    assert detect_encoding(data) == "utf-8"


def test_plain_ascii_and_empty_files_are_utf8() -> None:
    assert detect_encoding(b"") == "utf-8"
    assert detect_encoding(b"id,text\n1,hello\n") == "utf-8"


def test_open_text_decodes_and_drops_the_bom() -> None:
    text = "id,text\n1,שלום\n"
    for encoding in ("utf-8-sig", "utf-16"):
        stream, used = open_text(memory_source(text.encode(encoding)))
        with stream:
            assert stream.read() == text, used


def test_open_text_keeps_line_endings_for_the_csv_module() -> None:
    stream, _ = open_text(memory_source(b'text\r\n"a\nb"\r\n'))
    with stream:
        assert list(stream) == ["text\r\n", '"a\n', 'b"\r\n']


def test_an_explicit_encoding_wins_over_detection() -> None:
    data = "text\ncafé\n".encode("cp1252")
    stream, used = open_text(memory_source(data), "cp1252")
    with stream:
        assert (used, stream.read()) == ("cp1252", "text\ncafé\n")


def test_an_explicit_utf8_encoding_still_drops_a_bom() -> None:
    stream, _ = open_text(memory_source(codecs.BOM_UTF8 + b"text\nhi\n"), "utf-8")
    with stream:
        assert stream.read() == "text\nhi\n"


def test_an_unknown_explicit_encoding_raises_lookup_error() -> None:
    with pytest.raises(LookupError):
        open_text(memory_source(b"text\n"), "no-such-codec")


def test_invalid_bytes_after_the_sample_do_not_break_the_stream() -> None:
    start = b"text\n" + "حجب المواقع\n".encode() * (ENCODING_SAMPLE_BYTES // 10)
    data = start + b"bad \xff\xfe line\n" + b"fine again\n"
    stream, used = open_text(memory_source(data))
    with stream:
        lines = list(stream)
    assert used == "utf-8"
    assert [n for n, line in enumerate(lines, 1) if has_invalid_bytes(line)] == [len(lines) - 1]
    assert lines[-1] == "fine again\n"


def test_has_invalid_bytes_is_false_for_real_text() -> None:
    assert not has_invalid_bytes("حرية التعبير | חופש הביטוי | free speech 🕊️")


# --- .zst ----------------------------------------------------------------------------------


def zst_long(data: bytes) -> bytes:
    """zstd as the Pushshift dumps are made (`zstd --long=31`): no content size, 2 GiB window."""
    params = zstandard.ZstdCompressionParameters.from_level(
        3, window_log=31, enable_ldm=True, write_content_size=False
    )
    compressor = zstandard.ZstdCompressor(compression_params=params).compressobj()
    return compressor.compress(data) + compressor.flush()


DUMP_LINES = b"".join(
    b'{"id": "c%d", "body": "post number %d", "link_id": "t3_a"}\n' % (i, i) for i in range(20000)
)


def test_zst_files_are_unwrapped_with_a_long_window_and_named_without_zst(tmp_path: Path) -> None:
    path = tmp_path / "RC_2025-03.zst"
    path.write_bytes(zst_long(DUMP_LINES))
    with pytest.raises(zstandard.ZstdError, match="too much memory"):  # the default limit
        zstandard.ZstdDecompressor().decompressobj().decompress(path.read_bytes())
    (source,) = sources(path)
    assert source.name == str(tmp_path / "RC_2025-03")
    assert source.size == path.stat().st_size
    assert source.path is None  # compressed: read as one part
    assert content(source) == DUMP_LINES
    with source.open() as stream:
        assert sum(1 for _ in stream) == 20000


def test_a_zst_of_several_frames_is_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "two_frames.jsonl.zst"
    path.write_bytes(zst_long(b'{"a": 1}\n') + zst_long(b'{"b": 2}\n'))
    (source,) = sources(path)
    assert content(source) == b'{"a": 1}\n{"b": 2}\n'


def test_an_empty_zst_file_has_no_content(tmp_path: Path) -> None:
    path = tmp_path / "empty.ndjson.zst"
    path.write_bytes(b"")
    (source,) = sources(path)
    assert content(source) == b""


def test_a_zst_file_that_is_not_zstd_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "RS_2025-03.zst"
    path.write_bytes(b'{"id": "abc", "title": "not compressed"}\n')
    (reject,) = rejects(path)
    assert reject.file == str(path)
    assert reject.record is None
    assert "not a readable .zst file" in reject.reason


def test_a_truncated_zst_file_reports_the_line_where_reading_failed(tmp_path: Path) -> None:
    compressed = zst_long(DUMP_LINES)
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(compressed[: len(compressed) // 3])
    (source,) = sources(path)
    head = read_sample(source).head
    assert 0 < len(head) <= SAMPLE_BYTES
    assert DUMP_LINES.startswith(head)
    entries = list(iter_lines(source))
    *lines, last = entries
    assert len(lines) > 100
    assert all(isinstance(e, tuple) for e in lines)
    assert isinstance(last, Reject)
    assert last.file == str(tmp_path / "cut.jsonl")
    assert last.record == len(lines) + 1
    assert "truncated" in last.reason


def test_a_zst_member_of_a_zip_is_unwrapped(tmp_path: Path) -> None:
    path = tmp_path / "dumps.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("reddit/RC_2025-03.zst", zst_long(DUMP_LINES[:1000]))
        archive.writestr("reddit/broken.zst", b"not zstd at all")
    source, reject = list(iter_sources([path]))
    assert isinstance(reject, Reject) and reject.file == f"{path}!reddit/broken.zst"
    assert "cannot read archive member" in reject.reason
    assert isinstance(source, SourceFile)
    assert source.name == f"{path}!reddit/RC_2025-03"
    assert content(source) == DUMP_LINES[:1000]
    assert pickle.loads(pickle.dumps(source)).open().read() == DUMP_LINES[:1000]


def test_a_zst_source_can_be_pickled_and_sniffed(tmp_path: Path) -> None:
    path = FIXTURES / "reddit_pushshift" / "RS_2025-03.zst"
    (source,) = sources(path)
    copy = pickle.loads(pickle.dumps(source))
    assert content(copy) == content(source)
    sample = read_sample(copy)
    assert sample.name.endswith("RS_2025-03")
    assert sample.head.startswith(b'{"approved_at_utc": null, "subreddit": "DigitalRightsWatch"')
    fmt = detect_format(sample, {})
    assert fmt is not None and fmt.key == "reddit.pushshift.v1"


def test_a_pushshift_zst_dump_imports_end_to_end(tmp_path: Path) -> None:
    init_project(tmp_path / "project")
    settings = load_settings(tmp_path / "project", environ={})
    exports = tmp_path / "exports"
    exports.mkdir()
    dump = (FIXTURES / "reddit_pushshift" / "RS_2025-03.zst").read_bytes()
    (exports / "RS_2025-03.zst").write_bytes(dump)
    first = content(sources(exports / "RS_2025-03.zst")[0]).split(b"\n")[0]
    many = zst_long(b"".join(first.replace(b"1j2abcd", b"z%05d" % i) + b"\n" for i in range(2000)))
    (exports / "DigitalRightsWatch_submissions.zst").write_bytes(many[: len(many) // 2])
    summary = ingest([exports], settings, IngestOptions())
    assert summary.formats == {"reddit.pushshift.v1": 2}
    assert summary.new > 4 + 100  # the lines before the cut are kept
    assert summary.rejected == 1
    assert Warehouse(settings.warehouse_dir).count() == summary.new
    assert summary.rejects_file is not None
    (reject,) = [orjson.loads(line) for line in summary.rejects_file.read_bytes().splitlines()]
    assert reject["file"] == str(exports / "DigitalRightsWatch_submissions")
    assert "truncated" in reject["reason"]
