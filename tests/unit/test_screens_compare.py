"""Two captures compared: a picture one pixel apart is reported, and the same pictures pass."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from benchmarks.screens import main

try:
    import PIL  # noqa: F401
except ImportError:
    PIL = None

pytestmark = pytest.mark.skipif(PIL is None and shutil.which("compare") is None,
                                reason="neither Pillow nor ImageMagick's compare")


def png(path: Path, pixels: list[list[tuple[int, int, int]]]) -> None:
    """A small RGB PNG, written by hand (no Pillow needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\0" + bytes(value for pixel in row for value in pixel) for row in pixels)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def two_captures(tmp_path: Path, *, differ: bool) -> tuple[Path, Path]:
    white = [[(255, 255, 255)] * 4 for _ in range(3)]
    changed = [row[:] for row in white]
    if differ:
        changed[1][2] = (254, 255, 255)
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, pixels in ((before, white), (after, changed)):
        folder.mkdir()
        png(folder / "768-step-01.png", pixels)
        (folder / "summary-nothing-answered.html").write_text("<p>the same</p>", encoding="utf-8")
    return before, after


def test_a_picture_one_pixel_apart_is_reported(tmp_path, capsys):
    before, after = two_captures(tmp_path, differ=True)
    assert main(["compare", str(before), str(after)]) == 1
    out = capsys.readouterr().out
    assert "768-step-01.png: differs: 1 pixels" in out
    assert "summary-nothing-answered.html: same" in out


def test_the_same_pictures_and_summaries_pass(tmp_path, capsys):
    before, after = two_captures(tmp_path, differ=False)
    assert main(["compare", str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "768-step-01.png: same" in out
    assert "summary-nothing-answered.html: same" in out


def test_a_file_missing_from_one_capture_fails(tmp_path, capsys):
    before, after = two_captures(tmp_path, differ=False)
    (after / "summary-nothing-answered.html").unlink()
    assert main(["compare", str(before), str(after)]) == 1
    assert f"summary-nothing-answered.html: missing in {after}" in capsys.readouterr().out
