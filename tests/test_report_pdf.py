"""How the report is drawn: matplotlib's figures and PDF writer only (no pyplot, so no GUI backend
is looked for), fontTools' subsetter left unloaded unless a Type 42 font needs it, accents and the
euro sign kept (read back with pdftotext). Each check runs in a fresh interpreter: it is about what
a process imports."""

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
