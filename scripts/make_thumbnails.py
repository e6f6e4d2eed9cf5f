"""Make the gallery's thumbnails (320×180 PNG, under 30 KB each) from the browser test's screenshots.

    pytest tests/test_browser_gallery.py     # opens every card and screenshots each app at 1280×720
    .venv/bin/python scripts/make_thumbnails.py [SCREENSHOTS_DIR]

The screenshots are read and resampled with matplotlib and numpy only (no ImageMagick ``convert``, which is not on
every machine): the top 16:9 of each screenshot, averaged over 4×4 blocks (a 1280×720 screenshot) or the nearest
whole block for other sizes, then its colours reduced a step at a time until the PNG is under the size limit.
Written to ``notebooks/thumbnails/<notebook>.png``, committed, and embedded by the gallery page.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from matplotlib import image as mpimg

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "test-artifacts" / "gallery"
OUT = ROOT / "notebooks" / "thumbnails"
SIZE = (180, 320)  # rows, columns
LIMIT = 30 * 1024


def thumbnail(pixels: np.ndarray) -> np.ndarray:
    """The top 16:9 of an image, box-averaged to 320×180 (RGB floats 0..1)."""
    rgb = pixels[..., :3].astype(float)
    if rgb.max() > 1.0:
        rgb /= 255.0
    h, w = rgb.shape[:2]
    crop_h = min(h, w * 9 // 16)
    rgb = rgb[:crop_h, : crop_h * 16 // 9]
    rows = np.linspace(0, rgb.shape[0], SIZE[0] + 1).astype(int)
    cols = np.linspace(0, rgb.shape[1], SIZE[1] + 1).astype(int)
    out = np.empty((SIZE[0], SIZE[1], 3))
    for i in range(SIZE[0]):
        band = rgb[rows[i]: max(rows[i + 1], rows[i] + 1)]
        sums = np.add.reduceat(band.sum(axis=0), cols[:-1], axis=0)
        widths = np.diff(cols).clip(min=1)[:, None]
        out[i] = sums / (widths * band.shape[0])
    return out.clip(0, 1)


def png_bytes(rgb: np.ndarray) -> bytes:
    """PNG under the limit: fewer colour levels until it fits (text stays legible down to 16 levels)."""
    for levels in (256, 64, 32, 16, 8):
        q = np.round(rgb * (levels - 1)) / (levels - 1)
        buf = io.BytesIO()
        mpimg.imsave(buf, q, format="png")
        if len(buf.getvalue()) < LIMIT:
            return buf.getvalue()
    return buf.getvalue()


def main(source: Path = SOURCE) -> int:
    shots = sorted(source.glob("*.png"))
    if not shots:
        print(f"No screenshots in {source}: run tests/test_browser_gallery.py first.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        data = png_bytes(thumbnail(mpimg.imread(shot)))
        (OUT / shot.name).write_bytes(data)
        print(f"{shot.name}: {len(data) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE))
