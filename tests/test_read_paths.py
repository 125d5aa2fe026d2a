"""The faster read paths give what the plain ones give: the sheet survey read in small pieces finds
the same marks and formula cells as a cell-by-cell search of the whole XML, and a JSON book's grid
read directly equals what xlwings' own conversion returns."""

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from igloo_xl.read import cell_scan
from igloo_xl.read.cell_scan import search_cells, sheet_parts, survey
from xlwings_payload import open_book, payload, with_sheet

EXCEL_MADE = Path("/work/shared/excel-made")


def _books(sample_path):
    return [sample_path, *sorted(EXCEL_MADE.glob("*.xls[xm]"))] if EXCEL_MADE.exists() else [sample_path]


@pytest.mark.parametrize("piece", [64, 1000, 1 << 20])
def test_survey_in_pieces_finds_the_formula_cells_of_a_whole_search(sample_path, monkeypatch, piece):
    monkeypatch.setattr(cell_scan, "_CHUNK", piece)  # cuts fall inside cells, rows, formulas
    compared = 0
    for path in _books(sample_path):
        with zipfile.ZipFile(path) as zf:
            for part in sheet_parts(zf).values():
                if part not in zf.NameToInfo:
                    continue
                xml = zf.read(part)
                found, full = survey(zf, part), search_cells(xml)
                assert found.formulas == bool(full.formulas), (path.name, part)
                assert found.errors == (b't="e"' in xml) and found.negatives == (b"<v>-" in xml), (path.name, part)
                if found.formulas and found.only_formulas:
                    assert (found.formula_cells.formulas, found.formula_cells.hidden) == (full.formulas, full.hidden)
                    compared += 1
    assert compared >= 1


def test_survey_marks_an_error_found_after_the_formulas(sample_path, tmp_path):
    """A sheet whose error cell comes late is searched cell by cell, not through the formula cells."""
    with zipfile.ZipFile(sample_path) as zf:
        part = next(p for p in sheet_parts(zf).values() if p in zf.NameToInfo and b"<f>" in zf.read(p))
        xml = zf.read(part)
        items = [(i, zf.read(i)) for i in zf.infolist()]
    cut = xml.rindex(b"</sheetData>")
    row = int(xml[: cut].rsplit(b'<row r="', 1)[1].split(b'"', 1)[0]) + 1
    xml = xml[:cut] + b'<row r="%d"><c r="A%d" t="e"><v>#N/A</v></c></row>' % (row, row) + xml[cut:]
    copy = tmp_path / "late_error.xlsx"
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, xml if info.filename == part else data)
    with zipfile.ZipFile(copy) as zf:
        found = survey(zf, part)
    assert found.formulas and found.errors and not found.only_formulas and found.formula_cells is None


def _xlwings_grid(sheet):
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True, empty="").value


def test_json_book_grid_equals_xlwings_reading(sample_path):
    from igloo_xl.excel import _json_grid

    edits = {("Familles", 2, 2): "#N/A", ("Familles", 3, 2): dt.datetime(2024, 2, 29),
             ("Familles", 4, 2): "Texte avec T majuscule", ("Familles", 5, 2): 3, ("Familles", 6, 2): ""}
    data = with_sheet(payload(sample_path, edits=edits), "Dates", [["2024-02-29T10:11:12.500Z", "2024-02-29T10:11:12Z"],
                                                                  ["T", True]])
    book = open_book(data)
    compared = 0
    for sheet in book.sheets:
        fast = _json_grid(sheet)
        assert fast is not None, sheet.name
        assert fast == _xlwings_grid(sheet), sheet.name
        assert [[type(v) for v in row] for row in fast] == [[type(v) for v in row] for row in _xlwings_grid(sheet)]
        compared += 1
    assert compared == len(book.sheets) >= 2


def test_formula_mark_found_as_by_a_plain_search():
    """`<f>`, `<f ...>`, `<f/>` count, `<formula1>` does not, wherever the "f"s fall (more than the 64 met
    one by one, or fewer), up to the end given."""
    import random

    from igloo_xl.read.cell_scan import _has_formula

    def plain(data):
        return any(data[i + 2 : i + 3] in (b">", b" ", b"/") for i in range(len(data)) if data.startswith(b"<f", i))

    rnd = random.Random(14)
    for _ in range(3000):
        data = bytes(rnd.choice(b"<f> /xa") for _ in range(rnd.randint(0, 400)))
        end = rnd.randint(0, len(data))
        assert _has_formula(data) == plain(data) and _has_formula(data, end) == plain(data[:end]), (data, end)
    assert _has_formula(b"f" * 100 + b"<formula1>1</formula1>" + b"f" * 100 + b"<f>A1</f>")
    assert not _has_formula(b"f" * 100 + b"<formula1>1</formula1>")


def test_sheets_read_biggest_first_still_count_in_workbook_order(sample_path, tmp_path):
    """Of two sheets named alike, the first in the workbook is the one read, even when the later one is
    bigger (read first); far-away cells are reported sheet after sheet in workbook order."""
    import openpyxl

    from igloo_xl.model.master import load_master

    book = openpyxl.load_workbook(sample_path)
    twin = book.create_sheet("Famillés")  # folds to « Familles »
    twin.append([cell.value for cell in book["Familles"][1]])
    for n in range(3000):
        twin.append([f"X{n:04d}", "autre", "n'importe quoi"])
    twin["IZ5"] = "loin"
    book["Familles"]["IZ9"] = "loin aussi"
    path = tmp_path / "twin.xlsx"
    book.save(path)
    master = load_master(path)
    ids = master.frame("Familles")["id"]
    assert ids.iloc[0] == book["Familles"]["A2"].value and not ids.str.startswith("X").any()
    far = [(f.sheet, f.cell) for f in master.findings if f.code == "far-outside-cell"]
    assert far == [("Familles", "IZ9"), ("Famillés", "IZ5")]


def test_a_dropped_grid_is_freed_before_the_next_sheet_is_read(sample_path):
    """The reader holds no grid of its own between two sheets: the peak is one sheet's grid."""
    import gc
    import weakref

    from igloo_xl.read.reader import iter_sheets

    sheets = iter_sheets(sample_path)
    raw = next(sheets)
    grid = weakref.ref(raw)
    rows_alive = len(gc.get_referrers(raw.rows))
    assert rows_alive == 1  # the RawSheet only
    del raw
    following = next(sheets)
    assert grid() is None and following is not None
    sheets.close()


def test_survey_pieces_stay_bounded_without_closed_cells():
    """Megabytes of empty rows (no cell or row ever closes) are still surveyed piece by piece, never
    carried whole from one piece to the next."""
    from igloo_xl.read.cell_scan import _CHUNK, _LONGEST_STRETCH, _whole_cells

    chunk = b'<row r="1" spans="1:1"/>' * (_CHUNK // 24)
    pieces = list(_whole_cells(iter([chunk] * 40)))
    assert max(len(p) for p, _ in pieces) <= _LONGEST_STRETCH + 2 * _CHUNK
    assert sum(end for _, end in pieces) == len(chunk) * 40  # every byte searched once
