"""Open an .xlsx in LibreOffice headless, let it recalculate every formula, and read the values back (openpyxl).

Shared by the export tests: ``./workbook test`` installs Debian's ``libreoffice-calc-nogui``; tests that need it
are skipped with a plain reason when ``soffice`` is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: ./workbook test installs Debian's "
                            "libreoffice-calc-nogui")


def recalculate(src: Path, outdir: Path):
    """Convert ``src`` (xlsx → xlsx) with LibreOffice, which computes every formula on the way, and load the result
    with cached values (``data_only=True``). A private user profile keeps parallel runs apart."""
    from openpyxl import load_workbook

    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/profile",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(src)], check=True, capture_output=True,
                   timeout=180)
    return load_workbook(outdir / Path(src).name, data_only=True)


def find_row(ws, column: int, text: str) -> int:
    """The first row whose cell in ``column`` equals ``text``."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == text:
            return row
    raise AssertionError(f"no row with {text!r} in column {column} of {ws.title}")
