"""The master as `init` writes it: number formats by column kind, Lots' hours as a live formula with its
value, validation that compares only typed hours, Paramètres printed one table per page."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
from openpyxl.utils import range_boundaries
import pytest
from python_calamine import CalamineWorkbook

from lo_tools import SOFFICE, recalc, recalculation_mismatches

from igloo_xl.domain.hours import lot_terms
from igloo_xl.model.master import load_master as read_master
from igloo_xl.model.params import SHEET as PARAMS_SHEET
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import INTEGER, NUMBER
from igloo_xl.validation.engine import validate_file

needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")


@pytest.fixture(scope="module")
def book(sample_path):
    return openpyxl.load_workbook(sample_path)


def _column(spec, key):
    return next(j for j, c in enumerate(spec.columns, start=1) if c.key == key)


def test_number_columns_never_show_a_dangling_decimal_comma(book):
    for name, spec in SHEETS.items():
        ws = book[name]
        for j, col in enumerate(spec.columns, start=1):
            if col.kind not in (NUMBER, INTEGER) or ws.max_row < 2:
                continue
            fmt = ws.cell(2, j).number_format
            # « #,##0.## » shows 68 as « 68, »: a decimal part must have fixed digits
            assert "#" not in fmt.partition(".")[2], (name, col.header, fmt)


@pytest.mark.parametrize(
    "sheet, key, expected",
    [
        ("Familles", "adults", "#,##0"),
        ("Bailleurs", "committed_dwellings", "#,##0"),
        ("Financements", "year", "0"),
        ("Financements", "granted", '#,##0.00 "€"'),
        ("Lots", "amount", '#,##0.00 "€"'),
        ("Lots", "hours", "#,##0"),
        ("Heures", "hours", "#,##0.0"),
        ("Parcours", "hours_done", "#,##0.0"),
        ("Lots", "insertion_rate", "0.0 %"),
    ],
)
def test_each_column_kind_has_its_format(book, sheet, key, expected):
    assert book[sheet].cell(2, _column(SHEETS[sheet], key)).number_format == expected


def test_lot_hours_are_a_formula_stored_with_the_computed_value(sample_path, book):
    spec = SHEETS["Lots"]
    col = _column(spec, "hours")
    ws = book["Lots"]
    formulas = [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    assert formulas and all(c.data_type == "f" for c in formulas)
    stored = CalamineWorkbook.from_path(str(sample_path)).get_sheet_by_name("Lots").to_python()
    master = read_master(sample_path)
    computed = lot_terms(master.frame("Lots"), master.params)["hours"]
    assert master.sheets["Lots"].formulas == {("hours", row) for row in computed.index}
    for row, hours in computed.items():
        assert stored[row - 1][col - 1] == hours
    assert any(h > 0 for h in computed) and any(h == 0 for h in computed)


@needs_lo
def test_libreoffice_recalculates_the_hours_igloo_computed(sample_path, tmp_path):
    checked, problems = recalculation_mismatches(sample_path, recalc(sample_path, tmp_path))
    assert checked >= len(read_master(sample_path).frame("Lots")) and not problems, problems[:10]


def test_hours_formulas_saved_without_values_are_computed_by_igloo(sample_path, tmp_path):
    copy = tmp_path / "openpyxl.xlsx"
    openpyxl.load_workbook(sample_path).save(copy)  # openpyxl drops every formula's value
    report = validate_file(copy)
    assert not [f for f in report.findings if f.sheet == "Lots" and f.code == "formula-not-computed"]
    assert not report.errors
    master = read_master(copy)
    assert list(lot_terms(master.frame("Lots"), master.params)["hours"]) == list(read_master(sample_path).frame("Lots")["hours"])


def _hours_warnings(path):
    return {(f.cell, f.rule) for f in validate_file(path).findings if f.rule == "inconsistent/hours"}


@needs_lo
def test_an_amount_changed_in_excel_moves_the_formula_not_a_warning(sample_path, tmp_path):
    spec = SHEETS["Lots"]
    amount, hours = (_column(spec, k) for k in ("amount", "hours"))
    copy = tmp_path / "edited.xlsx"
    shutil.copy(sample_path, copy)
    wb = openpyxl.load_workbook(copy)
    ws = wb["Lots"]
    insertion_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, _column(spec, "insertion")).value == "Oui")
    ws.cell(insertion_row, amount).value = ws.cell(insertion_row, amount).value * 3
    typed_row = next(r for r in range(insertion_row + 1, ws.max_row + 1) if ws.cell(r, _column(spec, "insertion")).value == "Oui")
    ws.cell(typed_row, hours).value = 1  # a person types hours far from the contract's
    own_formula_row = next(r for r in range(typed_row + 1, ws.max_row + 1) if ws.cell(r, _column(spec, "insertion")).value == "Oui")
    ws.cell(own_formula_row, hours).value = "=1"  # a formula of their own: Excel's result, not a typed value
    wb.save(copy)
    again = recalc(copy, tmp_path)
    master = read_master(again)
    assert {("hours", insertion_row), ("hours", own_formula_row)} <= master.sheets["Lots"].formulas
    assert master.frame("Lots").at[own_formula_row, "hours"] == 1
    assert master.frame("Lots").at[insertion_row, "hours"] == lot_terms(master.frame("Lots"), master.params).at[insertion_row, "hours"]
    letter = openpyxl.utils.get_column_letter(hours)
    assert _hours_warnings(again) == {(f"{letter}{typed_row}", "inconsistent/hours")}


def test_paramètres_prints_one_table_per_page(sample_path, book):
    ws = book[PARAMS_SHEET]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale >= 70
    breaks = sorted(b.id for b in ws.col_breaks.brk)
    starts = sorted(range_boundaries(table.ref)[0] - 1 for table in ws.tables.values())  # 0-based first columns
    # each table but the first begins a page: a break right before its first column
    assert set(starts[1:]) <= set(breaks)


@needs_lo
def test_paramètres_pages_each_hold_whole_tables(sample_path, tmp_path):
    import subprocess

    only = tmp_path / "params.xlsx"
    wb = openpyxl.load_workbook(sample_path)
    for name in wb.sheetnames:
        if name != PARAMS_SHEET:
            del wb[name]
    wb.save(only)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(only)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "params.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    headers = ("Paramètre", "Corps d'état", "Partenaire", "Financeur", "Public éligible")
    found = []  # (header, page) where a table's first header begins a line: the table is at the page's left
    for n, page in enumerate(pages):
        first_words = {line.strip().split("  ")[0] for line in page.splitlines() if line.strip()}
        found += [(header, n) for header in headers if header in first_words]
    # each editable table begins a page of its own, once
    assert sorted(h for h, _ in found) == sorted(headers) and len({n for _, n in found}) == len(headers), found
    assert len(pages) >= 6


def test_the_formula_only_search_finds_what_the_cell_by_cell_search_finds(sample_path):
    from pathlib import Path

    from igloo_xl.read.cell_scan import formula_cells, search_cells, sheet_parts

    books = [sample_path, *sorted(Path("/work/shared/excel-made").glob("*.xls[xm]"))] if Path("/work/shared/excel-made").exists() else [sample_path]
    compared = 0
    for path in books:
        with zipfile.ZipFile(path) as zf:
            for part in sheet_parts(zf).values():
                if part not in zf.NameToInfo:
                    continue
                xml = zf.read(part)
                full, fast = search_cells(xml), formula_cells(xml)
                if full.far or b"<v>-" in xml or b't="e"' in xml:
                    continue  # such a sheet is searched cell by cell
                assert (fast.formulas, fast.hidden) == (full.formulas, full.hidden), (path.name, part)
                compared += bool(full.formulas)
    assert compared >= 1
