"""Workbooks saved by Excel itself (../shared/excel-made): a dashboard refresh changes only what it must.

Every member of the package is compared byte for byte (uncompressed); only the workbook's sheet list,
its relationships and the content types may change, and each of those only by the added entries."""

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from igloo_xl.package.master_update import replace_sheet

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "excel-made"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/excel-made")
FILES = sorted(p.name for p in CORPUS.glob("*.xls[xm]")) if CORPUS.is_dir() else []
CHANGED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def members(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def figures(sample_path):
    from igloo_xl import validation  # noqa: F401  (import order: model.master and validation import each other)
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import load_master

    return dashboard_figures(load_master(sample_path), dt.date(2010, 6, 1))


def _only_added(before, after, part, element):
    """The `element` entries of `part` that the rewrite added; the part without them is the original."""
    old, new = before[part].decode(), after[part].decode()
    entries = re.findall(rf"<{element}\b[^>]*/>", new)
    added = [e for e in entries if e not in old]
    for e in added:
        new = new.replace(e, "", 1)
    assert new == old
    return added


def _target(after, sheet_entry):
    rid = re.search(r'r:id="([^"]+)"', sheet_entry).group(1)
    rels = after["xl/_rels/workbook.xml.rels"].decode()
    return re.search(rf'Id="{rid}"[^>]*Target="worksheets/([^"]+)"', rels).group(1)


@pytest.mark.skipif(not FILES, reason="excel-made corpus not present")
@pytest.mark.parametrize("name", FILES)
def test_dashboard_refresh_changes_only_what_it_must(name, figures, tmp_path):
    path = tmp_path / name
    shutil.copyfile(CORPUS / name, path)
    path.chmod(0o644)
    before = members(path)
    from igloo_xl.outputs.dashboard_sheet import SHEET, fill_dashboard

    fill = lambda ws: fill_dashboard(ws, figures, dt.date(2010, 6, 1))
    for _ in range(2):  # added, then replaced in place
        replace_sheet(path, SHEET, fill)
        after = members(path)
        # the styles part only gains the dashboard's formats at its end (tests/test_styles_merge.py)
        assert {n for n in before if before[n] != after.get(n)} - {"xl/styles.xml"} == CHANGED
        added = set(after) - set(before)
        assert added and all(re.fullmatch(r"xl/(worksheets|drawings|charts)/(_rels/)?\w+\.xml(\.rels)?", n) for n in added)
        # the three changed parts differ only by the entries that register the new parts
        sheet = _only_added(before, after, "xl/workbook.xml", "sheet")
        assert len(sheet) == 1 and 'name="Tableau de bord"' in sheet[0]
        rel = _only_added(before, after, "xl/_rels/workbook.xml.rels", "Relationship")
        assert len(rel) == 1 and rel[0].endswith('/worksheet" Target="worksheets/' + _target(after, sheet[0]) + '"/>')
        types = _only_added(before, after, "[Content_Types].xml", "Override")
        assert len(types) == len([n for n in added if "/_rels/" not in n])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == SHEET and wb.sheetnames.count(SHEET) == 1
    scratch = openpyxl.Workbook().active
    fill(scratch)
    assert len(wb[SHEET]._charts) == len(scratch._charts) >= 9
    from python_calamine import CalamineWorkbook

    assert SHEET in CalamineWorkbook.from_path(str(path)).sheet_names
