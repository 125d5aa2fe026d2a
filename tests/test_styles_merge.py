"""A spliced sheet keeps its own cell styles: its entries are appended to the master's styles part,
nothing already there moves, and every other part of the master stays byte for byte — on
workbooks saved by real Excel too."""

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill

from igloo_xl.package.master_update import splice_sheet
from igloo_xl.package.styles_merge import ORDER, styles_part

EXCEL_MADE = Path("/work/shared/excel-made")
SHEET = "Tableau de bord"
FORMATS = {"B2": "#,##0", "B3": '#,##0" €"', "B4": "0.0 %", "B5": "dd/mm/yyyy", "B6": '#,##0" h"'}


def scratch() -> bytes:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "Titre"
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")
    ws["A1"].fill = PatternFill("solid", fgColor="DDEBF7")
    values = {"B2": 231300, "B3": 231300, "B4": 0.898, "B5": dt.date(2009, 6, 1), "B6": 1563}
    for cell, fmt in FORMATS.items():
        ws[cell] = values[cell]
        ws[cell].number_format = fmt
    ws.column_dimensions["C"].number_format = '#,##0" €"'
    ws.conditional_formatting.add("B2:B6", FormulaRule(formula=["B2<0"], fill=PatternFill("solid", fgColor="F8CBAD")))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def excel_made():
    return sorted(p for p in EXCEL_MADE.glob("*.xls[xm]")) if EXCEL_MADE.exists() else []


@pytest.fixture(params=["sample", *[p.name for p in excel_made()]])
def master(request, sample_path):
    return (sample_path if request.param == "sample" else EXCEL_MADE / request.param).read_bytes()


def _children(styles: bytes) -> dict[str, list[str]]:
    from igloo_xl.package.styles_merge import _canon, _section

    root = ET.fromstring(styles)
    return {name: [_canon(c) for c in _section(root, name)] for name in ORDER}


def test_other_parts_unchanged_and_styles_only_appended(master):
    result = splice_sheet(master, scratch(), SHEET)
    before, after = zipfile.ZipFile(io.BytesIO(master)), zipfile.ZipFile(io.BytesIO(result))
    part = styles_part(before)
    assert part and styles_part(after) == part
    rewritten = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", part}
    changed = [n for n in before.namelist() if n not in rewritten and before.read(n) != after.read(n)]
    assert changed == []
    old, new = _children(before.read(part)), _children(after.read(part))
    for name in ORDER:  # every entry the master had keeps its index
        assert new[name][: len(old[name])] == old[name], name
    assert new["cellXfs"] != old["cellXfs"] or new["numFmts"] != old["numFmts"]


def test_the_sheet_shows_its_formats(master, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(splice_sheet(master, scratch(), SHEET))
    ws = openpyxl.load_workbook(path)[SHEET]
    assert {c: ws[c].number_format for c in FORMATS} == FORMATS
    assert ws["A1"].font.b and ws["A1"].font.sz == 14 and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.column_dimensions["C"].number_format == '#,##0" €"'
    rule = next(iter(ws.conditional_formatting)).rules[0]
    assert rule.dxf.fill.fgColor.rgb.endswith("F8CBAD") or rule.dxf.fill.bgColor.rgb.endswith("F8CBAD")


def test_a_second_splice_adds_nothing(master):
    once = splice_sheet(master, scratch(), SHEET)
    twice = splice_sheet(once, scratch(), SHEET)
    a, b = zipfile.ZipFile(io.BytesIO(once)), zipfile.ZipFile(io.BytesIO(twice))
    assert a.read(styles_part(a)) == b.read(styles_part(b))


def test_a_prefixed_styles_part_is_left_alone(sample_path):
    """A styles part written with a namespace prefix is not edited: the sheet then goes without styles."""
    src = zipfile.ZipFile(io.BytesIO(sample_path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                text = data.decode("utf-8")
                text = re.sub(r"<(/?)(?!\?)", r"<\1x:", text).replace('xmlns="', 'xmlns:x="')
                data = text.encode("utf-8")
            dst.writestr(info, data)
    prefixed = out.getvalue()
    result = zipfile.ZipFile(io.BytesIO(splice_sheet(prefixed, scratch(), SHEET)))
    assert result.read("xl/styles.xml") == zipfile.ZipFile(io.BytesIO(prefixed)).read("xl/styles.xml")
    from igloo_xl.read.cell_scan import sheet_parts

    sheet = result.read(sheet_parts(result)[SHEET]).decode("utf-8")
    assert not re.search(r'<c\b[^>]*\ss="', sheet)
