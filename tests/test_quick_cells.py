"""The quick cell path writes, byte for byte, the workbook XlsxWriter's public calls write."""

import datetime as dt
import random
import zipfile

import pytest
import xlsxwriter

from igloo_xl.outputs.quick_cells import (
    quick_rows, store_blank, store_day, store_formula, store_number, store_row, store_row_height, store_string,
)

TEXTS = [7, "Oui", "a & b < c > d", "  espace devant", "fin ", "ligne\nsuivante", "contrôle \x07 ici", "_x0041_",
         "Relevé manquant", "", "x" * 20000, "\"guillemets\""]
NUMBERS = [0, 1, -1, 0.1, 1 / 3, 12345678901234567890, 1e-300, 2.5e15, 40179]
DAYS = [dt.date(2010, 1, 31), dt.date(1900, 1, 15), dt.date(1900, 2, 28), dt.date(1900, 3, 1),
        dt.datetime(2009, 6, 3, 14, 30)]
FORMULAS = [("=SUM(A1,B2)", 3), ("=SUM(A1,B2)", 2.5), ("=H7-G7", -1.0), ('=IF(A1>=B1,"Oui","Non")', "Oui"),
            ("=IF(A1<0,1,0)", True), ("=IF(A1<0,1,0)", False), ("=SUM(E5)", ""), ("=1/0", "#DIV/0!"),
            ('=IF(A1="a&b","x<y","")', "x<y"), ("=XLOOKUP(A1,B:B,C:C)", 0), ("{=SUM(A1:A3)}", 6),
            ("=SORT(A1:A9)", 0), ("SUM(A1)", 1)]


def _workbook(path):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False, "in_memory": True})
    wb.set_properties({"created": dt.datetime(2020, 1, 1)})
    return wb


def _script(seed: int):
    """A mix of cells over 300 rows (so spans vary from one block of 16 rows to the next)."""
    rng = random.Random(seed)
    steps = []
    for row in range(2, 300):
        if rng.random() < 0.15:
            continue
        for col in sorted(rng.sample(range(0, 30), rng.randint(1, 8))):
            kind = rng.choice(["string", "number", "blank", "day", "formula", "string"])
            fmt = rng.choice([None, "a", "b", "c"])
            if kind == "string":
                steps.append(("string", row, col, rng.choice(TEXTS), fmt))
            elif kind == "number":
                steps.append(("number", row, col, float(rng.choice(NUMBERS)) * rng.choice([1, -1]), fmt))
            elif kind == "blank":
                steps.append(("blank", row, col, None, fmt))
            elif kind == "day":
                steps.append(("day", row, col, rng.choice(DAYS), fmt))
            else:
                steps.append(("formula", row, col, rng.choice(FORMULAS), fmt))
        if rng.random() < 0.3:
            steps.append(("height", row, 0, rng.choice([15, 19.5, 34, 409, 0.2]), None))
    return steps


KIND = {"string": "s", "number": "n", "blank": "n", "day": "d", "formula": "f"}


def _store_rows(ws, steps, formats) -> None:
    """The script's cells row by row through store_row: its columns from the first to the last, a gap as
    a blank without format (which stores nothing), the row's height last."""
    by_row: dict[int, list] = {}
    for step in steps:
        by_row.setdefault(step[1], []).append(step)
    for row, row_steps in by_row.items():
        cells = {col: (step, value, name) for step, _, col, value, name in row_steps if step != "height"}
        heights = [value for step, _, _, value, _ in row_steps if step == "height"]
        first = min(cells)
        kinds, values, fmts = "", [], []
        for col in range(first, max(cells) + 1):
            step, value, name = cells.get(col, ("blank", None, None))
            kinds += KIND[step]
            values.append(value)
            fmts.append(formats[name])
        store_row(ws, row, kinds, values, fmts, first_col=first, height=heights[0] if heights else None)


def _write(path, quick: bool, seed: int, by_rows: bool = False):
    wb = _workbook(path)
    formats = {None: None, "a": wb.add_format({"bold": True}), "b": wb.add_format({"num_format": "0.0 %"}),
               "c": wb.add_format({"italic": True, "border": 1})}
    ws = wb.add_worksheet("Feuille")
    if quick:
        quick_rows(ws)
    ws.write_string(0, 0, "Titre", formats["a"])  # cells from the public calls mix with the quick ones
    ws.set_column(5, 5, 12, wb.add_format({"font_color": "#C00000"}))  # a column format for cells without one
    steps = _script(seed)
    if quick and by_rows:
        _store_rows(ws, steps, formats)
        steps = []
    for step, row, col, value, name in steps:
        fmt = formats[name]
        if step == "string":
            store_string(ws, row, col, str(value), fmt) if quick else ws.write_string(row, col, str(value), fmt)
        elif step == "number":
            store_number(ws, row, col, value, fmt) if quick else ws.write_number(row, col, value, fmt)
        elif step == "blank":
            store_blank(ws, row, col, fmt) if quick else ws.write_blank(row, col, None, fmt)
        elif step == "day":
            day = dt.datetime.combine(value, dt.time())
            store_day(ws, row, col, value, fmt) if quick else ws.write_datetime(row, col, day, fmt)
        elif step == "formula":
            formula, result = value
            store_formula(ws, row, col, formula, fmt, result) if quick else ws.write_formula(row, col, formula, fmt, result)
        else:
            store_row_height(ws, row, value) if quick else ws.set_row(row, value)
    # rows the quick writer hands back to XlsxWriter: a row format, a hidden row, rich text, a comment
    ws.set_row(301, 20, formats["b"])
    ws.write_string(301, 1, "ligne au format")
    ws.set_row(302, None, None, {"hidden": True})
    ws.write_number(302, 0, 5)
    ws.write_rich_string(303, 2, "du ", formats["a"], "gras", " ici")
    ws.write_comment(304, 3, "note")
    ws.write_string(305, 40, "loin")
    wb.close()


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("by_rows", [False, True], ids=["cells", "rows"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quick_cells_write_the_same_bytes_as_xlsxwriter(tmp_path, seed, by_rows):
    _write(tmp_path / "plain.xlsx", False, seed)
    _write(tmp_path / "quick.xlsx", True, seed, by_rows)
    plain, quick = _parts(tmp_path / "plain.xlsx"), _parts(tmp_path / "quick.xlsx")
    assert sorted(plain) == sorted(quick)
    assert b"<f>" in plain["xl/worksheets/sheet1.xml"] and b'customHeight="1"' in plain["xl/worksheets/sheet1.xml"]
    for name in plain:
        assert quick[name] == plain[name], name


def test_a_sheet_of_only_public_calls_is_unchanged(tmp_path):
    """quick_rows alone (no quick cell) changes nothing either."""
    for quick in (False, True):
        wb = _workbook(tmp_path / f"{quick}.xlsx")
        ws = wb.add_worksheet()
        if quick:
            quick_rows(ws)
        ws.write_string(0, 0, "a")
        ws.write_formula(3, 2, "=SUM(A1:A2)", None, 4)
        ws.set_row(7, 30)
        wb.close()
    assert _parts(tmp_path / "False.xlsx") == _parts(tmp_path / "True.xlsx")


def test_a_cell_outside_the_sheet_is_left_out_as_xlsxwriter_does(tmp_path):
    for quick in (False, True):
        wb = _workbook(tmp_path / f"{quick}.xlsx")
        ws = wb.add_worksheet()
        if quick:
            quick_rows(ws)
            store_string(ws, 1_048_576, 0, "x", None)
            store_number(ws, 0, 16_384, 1.0, None)
            store_row_height(ws, -1, 30)
            store_row(ws, 1_048_577, "sn", ["y", 2.0], [None, None], height=20)
            store_row(ws, 1, "nn", [3.0, 4.0], [None, None], first_col=16_383)  # the second is past the last column
        else:
            ws.write_string(1_048_576, 0, "x")
            ws.write_number(0, 16_384, 1.0)
            ws.set_row(-1, 30)
            ws.write_string(1_048_577, 0, "y")
            ws.write_number(1_048_577, 1, 2.0)
            ws.set_row(1_048_577, 20)
            ws.write_number(1, 16_383, 3.0)
            ws.write_number(1, 16_384, 4.0)
        ws.write_string(2, 2, "dedans")
        wb.close()
    assert _parts(tmp_path / "False.xlsx") == _parts(tmp_path / "True.xlsx")


@pytest.mark.parametrize("by_rows", [False, True], ids=["cells", "rows"])
def test_another_xlsxwriter_is_written_through_its_public_calls(tmp_path, monkeypatch, by_rows):
    """On an XlsxWriter this module was not checked against, every store_* is the public call and the
    row writer is XlsxWriter's own: the same bytes, without touching its internals."""
    import igloo_xl.outputs.quick_cells as quick_cells

    monkeypatch.setattr(quick_cells, "QUICK", False)
    monkeypatch.setattr(quick_cells, "_write_rows", None)  # any use of the quick writer would fail
    _write(tmp_path / "plain.xlsx", False, 2)
    _write(tmp_path / "quick.xlsx", True, 2, by_rows)
    assert _parts(tmp_path / "quick.xlsx") == _parts(tmp_path / "plain.xlsx")



def test_a_row_stored_at_once_widens_the_sheet_as_its_cells_would(tmp_path):
    """The <dimension> of a sheet whose widest cells come from store_row (its first and last cell)."""
    for quick in (False, True):
        wb = _workbook(tmp_path / f"{quick}.xlsx")
        ws = wb.add_worksheet()
        if quick:
            quick_rows(ws)
            store_row(ws, 2, "sns", ["a", 1.0, "b"], [None, None, None], first_col=3)
            store_row(ws, 4, "nd", [2.0, None], [None, None], first_col=4)  # a blank without format stores nothing
            store_row(ws, 6, "s", [None], [None], height=30)  # no cell, but a height
        else:
            ws.write_string(2, 3, "a")
            ws.write_number(2, 4, 1.0)
            ws.write_string(2, 5, "b")
            ws.write_number(4, 4, 2.0)
            ws.set_row(6, 30)
        wb.close()
    assert b'<dimension ref="D3:F7"/>' in _parts(tmp_path / "True.xlsx")["xl/worksheets/sheet1.xml"]
    assert _parts(tmp_path / "False.xlsx") == _parts(tmp_path / "True.xlsx")


def test_a_number_that_is_not_finite_is_refused_as_xlsxwriter_refuses_it(tmp_path):
    wb = _workbook(tmp_path / "x.xlsx")
    ws = wb.add_worksheet()
    quick_rows(ws)
    for value in (float("inf"), float("nan")):
        with pytest.raises(TypeError):
            ws.write_number(0, 0, value)
        with pytest.raises(TypeError):
            store_row(ws, 0, "sn", ["a", value], [None, None])
    wb.close()



def shared_strings_xml(strings, writer) -> str:
    import io

    from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

    table = SharedStringTable()
    for text in strings:
        table._get_shared_string_index(text)
    table._sort_string_data()  # as XlsxWriter's packager does before writing
    sst = SharedStrings()
    sst.string_table = table
    sst._set_filehandle(io.StringIO())
    sst._write_sst_strings = writer.__get__(sst)
    sst._assemble_xml_file()
    return sst.fh.getvalue()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shared_strings_are_written_as_xlsxwriter_writes_them(seed):
    from xlsxwriter.sharedstrings import SharedStrings

    from igloo_xl.outputs.quick_cells import QUICK, XLSXWRITER_SHARED_STRINGS, write_shared_strings

    rng = random.Random(seed)
    pieces = ["F01", "Mulhouse", " ", "\t", "\n", "\u00a0", "&", "<", ">", '"', "_x0041_", "_x", "\x01", "\x1f",
              "é", "–", "Logement L0001", "<r><t>riche</t></r>", "\ufffe", "\uffff"]
    strings = ["", " début", "fin ", "<r><t>riche</t></r>", "a_x0009_b"]
    strings += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    assert (SharedStrings._write_sst_strings is write_shared_strings) == QUICK  # installed on XlsxWriter 3.3 only
    ours = shared_strings_xml(strings, write_shared_strings)
    assert ours.count("<si>") == len(set(strings)) and "&amp;" in ours and "_x005F_x0041_" in ours and "_xFFFE_" in ours
    assert ours == shared_strings_xml(strings, XLSXWRITER_SHARED_STRINGS)
