"""The steering committee's PDF: it renders, pages are not blank, its text (read by pdftotext) shows the
programme and no family's name or reference."""

import shutil
import subprocess

import openpyxl
import pytest

from igloo_xl import api

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent (CI installs it)")

PLANTED = "Programme Zéphyrine-Test"


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


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


@pytest.fixture
def planted_master(sample_path, tmp_path):
    """The sample with a programme name of its own, so the test knows pdftotext reads the report's words."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Paramètres"]
    label = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.strip() == "Programme")
    ws.cell(label.row, label.column + 1, PLANTED)
    path = tmp_path / "maitre.xlsx"
    wb.save(path)
    return path


def test_report_text_shows_the_programme_and_no_family_name(planted_master, tmp_path):
    text = pdf_text(api.write_report(planted_master, tmp_path / "rapport.pdf"))
    assert PLANTED in " ".join(text.split())  # the words are really read from the PDF
    wb = openpyxl.load_workbook(planted_master, read_only=True)
    rows = list(wb["Familles"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    personal = {"Référence", "Membre en parcours"} & set(header)
    assert personal, header
    names = {str(r[header.index(h)]) for r in rows[1:] for h in personal if r[header.index(h)]}
    words = {w for n in names for w in n.replace("Famille ", "").split() if len(w) > 3}
    leaked = sorted(w for w in words if w in text)
    assert words and not leaked, leaked
