"""The macro-enabled master: VBA modules, buttons bound to their subs, xlwings.conf, data kept."""

import re
import subprocess
import zipfile

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from igloo_xl.schemas import SHEETS
from igloo_xl.validation.engine import validate_file
from igloo_xl.package.xlsm_build import BUTTONS, Button, build_xlsm, buttons_module
from lo_tools import SOFFICE


@pytest.fixture(scope="module")
def xlsm(sample_path, tmp_path_factory):
    return build_xlsm(sample_path, tmp_path_factory.mktemp("xlsm") / "igloo_master.xlsm")


def test_vba_project_holds_xlwings_and_button_subs(xlsm):
    parser = VBA_Parser(str(xlsm))
    modules = {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    assert {"xlwings", "Dictionary", "IglooBoutons", "ThisWorkbook"} <= set(modules)
    assert "Function RunPython" in modules["xlwings"]
    subs = re.findall(r"Public Sub (\w+)\(\)\s+RunPython \"import igloo_xl\.excel as x; x\.([^\"]+)\"\s+End Sub",
                      modules["IglooBoutons"])
    assert subs == [(b.sub, b.call) for b in BUTTONS]


def test_each_button_call_names_a_function_of_igloo_xl_excel():
    from igloo_xl import excel

    for b in BUTTONS:
        assert callable(getattr(excel, b.call.split("(", 1)[0]))


def test_a_button_is_one_entry_of_the_list():
    extra = [*BUTTONS, Button("Compte rendu financier CAMSA", "CompteRenduCAMSA", "export_financial_report('CAMSA')")]
    module = buttons_module(extra)
    assert "Public Sub CompteRenduCAMSA()" in module
    assert "x.export_financial_report('CAMSA')" in module


def test_buttons_on_accueil_bound_to_their_macros(xlsm):
    with zipfile.ZipFile(xlsm) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode("utf-8")
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == [b.sub for b in BUTTONS]
    for b in BUTTONS:
        assert b.caption.replace("'", "&apos;") in vml or b.caption in vml
    assert "vmlDrawing1.vml" in rels and "<legacyDrawing" in sheet1
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


def test_buttons_sit_below_every_line_of_accueil(xlsm, sample_path):
    """A button over the instructions hides them: each button's top row is below the last used row."""
    last_row = openpyxl.load_workbook(sample_path)["Accueil"].max_row  # 1-based
    with zipfile.ZipFile(xlsm) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
    anchors = [[int(v) for v in a.split(",")] for a in re.findall(r"<x:Anchor>([^<]*)</x:Anchor>", vml)]
    assert len(anchors) == len(BUTTONS)
    assert all(top_row >= last_row for _, _, top_row, *_ in anchors)  # 0-based top row > last 1-based row - 1
    boxes = {(a[0], a[2]) for a in anchors}
    assert len(boxes) == len(anchors)  # no two buttons on the same cell


def test_xlwings_conf_hidden_and_data_sheets_kept(xlsm, sample_path):
    wb = openpyxl.load_workbook(xlsm, keep_vba=True)
    assert wb.sheetnames[0] == "Accueil"
    # hidden: xlwings' VBA reads it by name (wb.Sheets("xlwings.conf")), hidden or not; it no longer prints
    assert wb["xlwings.conf"].sheet_state == "hidden"
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets if ws.title != "xlwings.conf")
    conf = {r[0]: r[1] for r in wb["xlwings.conf"].iter_rows(values_only=True) if r[0]}
    assert conf["Interpreter_Win"] and conf["Use UDF Server"] is True
    original = openpyxl.load_workbook(sample_path)
    for name, spec in SHEETS.items():
        assert spec.table in wb[name].tables
        assert len(wb[name].data_validations.dataValidation) == len(original[name].data_validations.dataValidation)
        assert [[c.value for c in r] for r in wb[name].iter_rows()] == [[c.value for c in r] for r in original[name].iter_rows()]
    assert set(original.defined_names) <= set(wb.defined_names)
    assert validate_file(xlsm).ok


def test_refuses_a_workbook_without_accueil(tmp_path):
    from igloo_xl.errors import UnusableWorkbook

    wb = openpyxl.Workbook()
    wb.active.title = "Familles"
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(UnusableWorkbook):
        build_xlsm(path, tmp_path / "x.xlsm")
    assert not (tmp_path / "x.xlsm").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_libreoffice_opens_it_with_its_buttons(xlsm, tmp_path):
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsm", "--outdir",
                    str(tmp_path / "out"), str(xlsm)], check=True, capture_output=True, timeout=300)
    with zipfile.ZipFile(tmp_path / "out" / xlsm.name) as z:
        controls = [n for n in z.namelist() if n.startswith("xl/ctrlProps/")]
        drawings = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.startswith("xl/drawings/"))
        assert "xl/vbaProject.bin" in z.namelist()
    assert len(controls) == len(BUTTONS)
    assert "ValiderClasseur" in drawings
