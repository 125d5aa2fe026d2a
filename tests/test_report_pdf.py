"""How the report is drawn: matplotlib's figures and PDF writer only (no pyplot, so no GUI backend
is looked for), fontTools' subsetter left unloaded unless a Type 42 font needs it, accents and the
euro sign kept (read back with pdftotext); month axes that stay readable however long the programme.
The import checks run in a fresh interpreter: they are about what a process loads."""

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent (CI installs it)")


def run(code: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


REPORT = """
import json, sys, igloo_xl.api
from igloo_xl.domain.figures import dashboard_figures
from igloo_xl.model.master import load_master
from igloo_xl.outputs.report_pdf import write_report
write_report(dashboard_figures(load_master(sys.argv[1])), "Association Espoir", sys.argv[2])
subset = sys.modules.get("fontTools.subset")
print(json.dumps({"pyplot": "matplotlib.pyplot" in sys.modules,
                  "subsetter_run": subset is not None and type(subset).__name__ != "_LazyModule"}))
"""


def test_report_is_drawn_without_pyplot_nor_the_font_subsetter(sample_path, tmp_path):
    pdf = tmp_path / "rapport.pdf"
    loaded = run(REPORT, sample_path, pdf)
    assert loaded == {"pyplot": False, "subsetter_run": False}
    text = " ".join(pdf_text(pdf).split())
    assert "Financements accordés" in text and "€" in text and "Comité de pilotage" in text


TYPE_42 = """
import json, sys
from igloo_xl.outputs.report_pdf import load_matplotlib
matplotlib, _ = load_matplotlib()
from matplotlib.figure import Figure
with matplotlib.rc_context({"pdf.fonttype": 42}):
    fig = Figure()
    fig.text(0.1, 0.5, "Évaluée : 10 000 € — œuvre")
    fig.savefig(sys.argv[1])
print(json.dumps({"subsetter_run": type(sys.modules["fontTools.subset"]).__name__ != "_LazyModule"}))
"""


def test_a_type_42_font_still_gets_the_subsetter(tmp_path):
    pdf = tmp_path / "type42.pdf"
    assert run(TYPE_42, pdf) == {"subsetter_run": True}
    assert "Évaluée : 10 000 € — œuvre" in pdf_text(pdf)


def _months(first: dt.date, count: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1) for k in range(count)]


def test_every_month_is_labelled_on_a_short_programme():
    from igloo_xl.outputs.report_pdf import month_labels

    labels = month_labels(_months(dt.date(2009, 6, 1), 13))
    assert labels[0] == "juin 2009" and labels[-1] == "juin 2010" and all(labels)


@pytest.mark.parametrize("count", [17, 40, 60, 130])
def test_a_long_programme_labels_about_a_dozen_months_on_the_calendar(count):
    from igloo_xl.outputs.report_pdf import month_labels

    months = _months(dt.date(2009, 5, 1), count)
    labels = month_labels(months)
    shown = [m for m, label in zip(months, labels) if label]
    assert len(labels) == count and 6 <= len(shown) <= 13
    steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(shown, shown[1:])}
    assert len(steps) == 1 and 12 % steps.pop() == 0  # evenly spaced, the same months every year
