"""Open a generated workbook in LibreOffice, headless: the check that it opens without repair."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def convert_to_pdf(workbook: Path, folder: Path) -> Path:
    """Convert ``workbook`` to PDF in ``folder`` with a private LibreOffice profile; return the PDF.

    Skips the calling test when LibreOffice is not installed (CI installs it).
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; install libreoffice-calc-nogui")
    out = folder / "pdf"
    profile = (folder / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = out / f"{workbook.stem}.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf
