"""The steering committee's PDF: it renders, pages are not blank, and it holds nothing personal."""

import shutil
import subprocess

import pytest

from igloo_xl import api


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils absent (CI installs it)")
def test_report_renders_pages_that_are_not_blank(sample_path, tmp_path):
    import matplotlib.image as mpimg

    pdf = api.write_report(sample_path, tmp_path / "rapport.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    for page in pages:
        pixels = mpimg.imread(page)[..., :3]
        ink = (pixels.mean(axis=2) < 0.9).mean()
        assert ink > 0.01, f"{page.name} is blank ({ink:.4f} ink)"


def test_report_holds_no_family_reference(sample_path, tmp_path):
    import zlib
    import re

    pdf = api.write_report(sample_path, tmp_path / "rapport.pdf").read_bytes()
    text = b"".join(zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S) if m[:1] == b"x")
    assert b"Amrani" not in text and b"Famille" not in text.replace(b"Familles", b"")
