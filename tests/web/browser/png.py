"""A small PNG reader for the browser tests' screenshots.

It checks the file's structure (signature, every chunk's CRC, the header, the zlib stream and
its length) and undoes the scanline filters, so a test can measure how much the pixels vary:
a blank screenshot has one colour, a rendered page many. 8-bit, non-interlaced images only,
which is what Chromium writes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel

Pixels = NDArray[np.uint8]


class PngError(ValueError):
    """Not a PNG this reader can decode; the message says why."""


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    pixels: Pixels  # (height, width, channels)

    def grey(self) -> NDArray[np.float64]:
        """Each pixel's brightness, 0 to 255 (the alpha channel ignored)."""
        colour = self.pixels[:, :, :3] if self.pixels.shape[2] >= 3 else self.pixels[:, :, :1]
        return np.asarray(colour.mean(axis=2), dtype=np.float64)

    def variance(self) -> float:
        return float(self.grey().var())

    def share_unlike_corner(self) -> float:
        """The share of pixels whose colour differs from the top-left pixel's (the page's
        background)."""
        differs = np.any(self.pixels != self.pixels[0, 0], axis=2)
        return float(differs.mean())


def read_png(data: bytes) -> Image:
    if not data.startswith(SIGNATURE):
        raise PngError("not a PNG: the 8-byte signature is missing")
    chunks = dict(_group(_chunks(data)))
    if b"IHDR" not in chunks or b"IDAT" not in chunks or b"IEND" not in chunks:
        raise PngError(f"chunks missing: found only {sorted(c.decode() for c in chunks)}")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    if depth != 8 or colour not in CHANNELS or interlace:
        raise PngError(f"unsupported PNG: depth {depth}, colour {colour}, interlace {interlace}")
    channels = CHANNELS[colour]
    raw = zlib.decompress(chunks[b"IDAT"])
    if len(raw) != height * (1 + width * channels):
        raise PngError(f"{len(raw)} bytes of scanlines for a {width}x{height} image")
    rows = _unfilter(raw, height, width * channels, channels)
    return Image(width, height, rows.reshape(height, width, channels))


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    at = len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4].rjust(4, b"\0"))
        if at + 12 + length > len(data):
            raise PngError(f"truncated: the chunk at byte {at} goes past the end of the file")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise PngError(f"chunk {kind!r} at byte {at} is damaged (its CRC differs)")
        yield kind, body
        at += 12 + length


def _group(chunks: Iterator[tuple[bytes, bytes]]) -> Iterator[tuple[bytes, bytes]]:
    """The chunks by kind; the IDAT chunks joined into one zlib stream."""
    idat = b""
    for kind, body in chunks:
        if kind == b"IDAT":
            idat += body
        else:
            yield kind, body
    if idat:
        yield b"IDAT", idat


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> Pixels:
    lines = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    out = np.empty((height, stride), dtype=np.uint8)
    above = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        out[y] = _unfilter_line(int(lines[y, 0]), lines[y, 1:], above, bpp)
        above = out[y]
    return out


def _unfilter_line(kind: int, line: Pixels, above: Pixels, bpp: int) -> Pixels:
    if kind == 0:  # None
        return line
    if kind == 1:  # Sub: a running sum per channel, modulo 256
        return np.cumsum(line.reshape(-1, bpp), axis=0, dtype=np.uint8).reshape(-1)
    if kind == 2:  # Up
        return line + above
    if kind in (3, 4):  # Average, Paeth: each byte depends on the one just decoded
        return _unfilter_sequential(kind, line.tolist(), above.tolist(), bpp)
    raise PngError(f"unknown scanline filter {kind}")


def _unfilter_sequential(kind: int, line: list[int], above: list[int], bpp: int) -> Pixels:
    """Average (3) or Paeth (4), byte by byte: each byte depends on the one decoded before."""
    for i in range(bpp):  # no pixel to the left: Average halves the byte above, Paeth takes it
        line[i] = (line[i] + (above[i] >> 1 if kind == 3 else above[i])) & 0xFF
    for i in range(bpp, len(line)):
        left, up = line[i - bpp], above[i]
        if kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            continue
        corner = above[i - bpp]
        # Paeth: the neighbour nearest to left + up - corner (ties: left, then up).
        to_left, to_up, to_corner = (
            abs(up - corner),
            abs(left - corner),
            abs(left + up - 2 * corner),
        )
        if to_left <= to_up and to_left <= to_corner:
            guess = left
        else:
            guess = up if to_up <= to_corner else corner
        line[i] = (line[i] + guess) & 0xFF
    return np.array(line, dtype=np.uint8)
