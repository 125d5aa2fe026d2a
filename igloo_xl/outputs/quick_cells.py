"""Cells stored into an XlsxWriter worksheet and written out as sheet XML faster than XlsxWriter does,
to the very same bytes.

A landlord's schedule holds tens of thousands of cells. XlsxWriter's public write_* calls check their
arguments one by one, and its sheet writer builds every <c> element from a list of attributes passed
through regular-expression escapes: both cost more than the data. Here `store_*` put the cells straight
into the worksheet's own table (the namedtuples XlsxWriter keeps there), `store_row` a whole row at
once, `quick_rows` gives the worksheet a row writer that renders the usual cell types from ready-made
pieces, and the shared strings that need no escaping are written as they are. Anything unusual (a
formula XlsxWriter must rewrite, a very long text, a number that is not finite, rich text, a row with a
format or comments, a sheet in constant-memory mode) goes the regular way. tests/test_quick_cells.py
writes the same cells both ways and compares the sheet XML byte for byte.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import xlsxwriter
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    CellBlankTuple as Blank,
    CellDatetimeTuple as Datetime,
    CellFormulaTuple as Formula,
    CellNumberTuple as Number,
    CellStringTuple as String,
    RowInfo,
)

_new = tuple.__new__
# The XlsxWriter whose internal table and row writer this module reproduces (tests/test_quick_cells.py);
# any other version is written through its public calls only, slower but never wrong.
QUICK = xlsxwriter.__version__.startswith("3.3.")
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30).toordinal()  # serial 0 for dates after Excel's 1900-02-29
_FIRST_PLAIN_DAY = dt.date(1900, 3, 1).toordinal()
_LONG_TEXT = 32767 // 2  # XlsxWriter measures in UTF-16 units only past this many characters
_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


_NOT_PLAIN = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x")  # what XlsxWriter escapes in a shared string


def write_shared_strings(self) -> None:
    """SharedStrings._write_sst_strings, to the same bytes: a string XlsxWriter would write untouched
    (nothing to escape, no space at either end, not rich text) is written as it is, a run of them at
    once; any other goes through XlsxWriter's own <si> writer."""
    plain, fh, write_si, not_plain = [], self.fh, self._write_si, _NOT_PLAIN.search
    for string in self.string_table.string_array:
        if not_plain(string) or string[:1].isspace() or string[-1:].isspace():
            if plain:
                fh.write("".join(plain))
                plain.clear()
            write_si(string)
        else:
            plain.append(f"<si><t>{string}</t></si>")
    fh.write("".join(plain))


XLSXWRITER_SHARED_STRINGS = SharedStrings._write_sst_strings  # XlsxWriter's own (tests compare the two)
if QUICK:
    SharedStrings._write_sst_strings = write_shared_strings


def _widen(ws, row: int, col: int) -> bool:
    """Widen the sheet's dimensions to the cell, as XlsxWriter's _check_dimensions does; False for a cell
    outside the sheet, which XlsxWriter leaves out too."""
    if row < 0 or col < 0 or row >= ws.xls_rowmax or col >= ws.xls_colmax:
        return False
    _widen_row(ws, row, col, col)
    return True


def _place(ws, row: int, col: int, cell) -> None:
    if _widen(ws, row, col):
        ws.table[row][col] = cell


def store_row_height(ws, row: int, height: float) -> None:
    """The row's height in points, as set_row(row, height) stores it."""
    if not QUICK:
        ws.set_row(row, height)
        return
    pixels = int(height * 4.0 / 3.0 + 0.5)
    if pixels == 0 or ws.constant_memory:
        ws.set_row(row, height)
        return
    if _widen(ws, row, ws.dim_colmin if ws.dim_colmin is not None else 0):
        ws.row_info[row] = _row_info(pixels)
        ws.row_sizes[row] = [pixels, False]


_ROW_INFOS: dict[int, RowInfo] = {}


def _row_info(pixels: int) -> RowInfo:
    """The RowInfo set_row stores for a height alone; one per height, shared by the rows: XlsxWriter 3.3
    only ever replaces a row's RowInfo, never changes it."""
    info = _ROW_INFOS.get(pixels)
    if info is None:
        info = _ROW_INFOS[pixels] = RowInfo(height=pixels)
    return info


def store_string(ws, row: int, col: int, text: str, fmt) -> None:
    if not QUICK:
        ws.write_string(row, col, text, fmt)
        return
    if len(text) > _LONG_TEXT or ws.constant_memory:
        ws._write_string(row, col, text, fmt)
    elif _widen(ws, row, col):  # before the shared string is counted, as XlsxWriter does
        ws.table[row][col] = _new(String, (ws.str_table._get_shared_string_index(text), fmt))


def store_number(ws, row: int, col: int, number: float, fmt) -> None:
    if not QUICK:
        ws.write_number(row, col, number, fmt)
        return
    if ws.constant_memory or not math.isfinite(number):
        ws._write_number(row, col, number, fmt)
    else:
        _place(ws, row, col, _new(Number, (number, fmt)))


def store_blank(ws, row: int, col: int, fmt) -> None:
    if not QUICK:
        ws.write_blank(row, col, None, fmt)
        return
    if fmt is None:
        return  # XlsxWriter keeps no blank cell without a format either
    if ws.constant_memory:
        ws._write_blank(row, col, None, fmt)
    else:
        _place(ws, row, col, _new(Blank, (fmt,)))


def store_day(ws, row: int, col: int, day: dt.date, fmt) -> None:
    """A date (a datetime's time is dropped) as Excel's serial day number."""
    if not QUICK:
        ws.write_datetime(row, col, dt.datetime.fromordinal(day.toordinal()), fmt)
        return
    ordinal = day.toordinal()
    if ws.constant_memory or ws.date_1904 or ordinal < _FIRST_PLAIN_DAY:
        ws._write_datetime(row, col, dt.datetime.fromordinal(ordinal), fmt)
    else:
        _place(ws, row, col, _new(Datetime, (float(ordinal - _EXCEL_DAY_ZERO), fmt or ws.default_date_format)))


_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9._]*)\(")
CLASSIC_FUNCTIONS = frozenset({"SUM", "SUMIF", "SUMIFS", "SUMPRODUCT", "MIN", "MAX", "ROUND", "ABS", "IF", "AND", "OR",
                               "NOT", "ISNUMBER", "COUNT", "COUNTA", "COUNTIF", "COUNTIFS", "IFERROR"})


def is_classic(formula: str) -> bool:
    """Calls only functions older than Excel 365 (and names none of the new ones, even in a string), so
    XlsxWriter's pass that prefixes new functions with `_xlfn.` would leave it as it is."""
    if "(" not in formula:  # calls nothing: =H7-G7
        return True
    return "INGLE(" not in formula and CLASSIC_FUNCTIONS.issuperset(_CALL.findall(formula))


def store_formula(ws, row: int, col: int, formula: str, fmt, value) -> None:
    """A formula with its computed value. XlsxWriter's own path takes array formulas and any formula its
    preparation would rewrite."""
    if not QUICK:
        ws.write_formula(row, col, formula, fmt, value)
        return
    if formula.startswith("=") and not ws.constant_memory and not ws.use_future_functions and is_classic(formula):
        _place(ws, row, col, _new(Formula, (formula[1:], fmt, value)))
    else:
        ws._write_formula(row, col, formula, fmt, value)


def store_row(ws, row: int, kinds: str, values, formats, first_col: int = 0, height: float | None = None) -> None:
    """Cells first_col, first_col + 1, ... of one row at once, as the store_* calls one by one would store
    them, then the row's height when given. kinds[i] says what values[i] is: "s" a text (any other value
    is written as its str()), "n" a number, "d" a date, "f" a (formula, computed value) pair; a None
    value is a blank cell in formats[i]. The sheet is checked and its dimensions widened once for the
    row, and the shared strings counted in one go: a schedule stores a quarter of a million cells."""
    if (not QUICK or ws.constant_memory or ws.date_1904 or ws.use_future_functions
            or not 0 <= row < ws.xls_rowmax or first_col < 0 or first_col + len(kinds) > ws.xls_colmax):
        _store_each(ws, row, kinds, values, formats, first_col, height)
        return
    table = ws.table
    known = row in table
    cells = table[row]
    sst = ws.str_table
    index_of = sst.string_table
    count = sst.count
    low = high = -1  # the first and last column stored here
    col = first_col - 1
    for kind, value, fmt in zip(kinds, values, formats):
        col += 1
        if value is None:
            if fmt is None:
                continue  # XlsxWriter keeps no blank cell without a format
            cells[col] = _new(Blank, (fmt,))
        elif kind == "s":
            if value.__class__ is not str:
                value = str(value)
            if len(value) > _LONG_TEXT:
                sst.count = count
                store_string(ws, row, col, value, fmt)
                count = sst.count
            else:
                index = index_of.get(value)
                if index is None:
                    index = index_of[value] = sst.unique_count
                    sst.unique_count += 1
                count += 1
                cells[col] = _new(String, (index, fmt))
        elif kind == "n":
            value = float(value)
            if value - value == 0.0:  # finite
                cells[col] = _new(Number, (value, fmt))
            else:
                store_number(ws, row, col, value, fmt)
        elif kind == "f":
            formula, result = value
            if formula.startswith("=") and is_classic(formula):
                cells[col] = _new(Formula, (formula[1:], fmt, result))
            else:
                store_formula(ws, row, col, formula, fmt, result)
        elif kind == "d":
            ordinal = value.toordinal()
            if ordinal < _FIRST_PLAIN_DAY:
                store_day(ws, row, col, value, fmt)
            else:
                cells[col] = _new(Datetime, (float(ordinal - _EXCEL_DAY_ZERO), fmt or ws.default_date_format))
        else:
            raise ValueError(f"unknown cell kind {kind!r}")
        if low < 0:
            low = col
        high = col
    sst.count = count
    if low >= 0:
        _widen_row(ws, row, low, high)
    elif not known and not cells:
        del table[row]
    if height is not None:
        pixels = int(height * 4.0 / 3.0 + 0.5)
        if low >= 0 and pixels:  # the row is in the sheet's dimensions already: store_row_height's own work
            ws.row_info[row] = _row_info(pixels)
            ws.row_sizes[row] = [pixels, False]
        else:
            store_row_height(ws, row, height)


def _widen_row(ws, row: int, low: int, high: int) -> None:
    """_widen for the cells of one row, from column `low` to `high`, all inside the sheet."""
    if ws.dim_rowmin is None:
        ws.dim_rowmin = ws.dim_rowmax = row
        ws.dim_colmin, ws.dim_colmax = low, high
        return
    if row < ws.dim_rowmin:
        ws.dim_rowmin = row
    elif row > ws.dim_rowmax:
        ws.dim_rowmax = row
    if low < ws.dim_colmin:
        ws.dim_colmin = low
    if high > ws.dim_colmax:
        ws.dim_colmax = high


_STORE_ONE = {"s": store_string, "n": store_number, "d": store_day}


def _store_each(ws, row: int, kinds: str, values, formats, first_col: int, height: float | None) -> None:
    for col, (kind, value, fmt) in enumerate(zip(kinds, values, formats), start=first_col):
        if kind != "f" and kind not in _STORE_ONE:
            raise ValueError(f"unknown cell kind {kind!r}")
        if value is None:
            store_blank(ws, row, col, fmt)
        elif kind == "f":
            store_formula(ws, row, col, value[0], fmt, value[1])
        else:
            store_one = _STORE_ONE[kind]
            store_one(ws, row, col, str(value) if kind == "s" else float(value) if kind == "n" else value, fmt)
    if height is not None:
        store_row_height(ws, row, height)


# --- writing the table out -----------------------------------------------------------------------------

def quick_rows(ws) -> None:
    """Give the worksheet the quick row writer (it falls back to XlsxWriter's when it must)."""
    if not QUICK:
        return
    full = ws._write_rows

    def write_rows():
        if ws.constant_memory or ws.excel_version != 2007:
            full()
        else:
            _write_rows(ws)

    ws._write_rows = write_rows


def _escape(text: str) -> str:
    """XML character data as XlsxWriter escapes it (quotes left alone)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _spans(ws, columns_of: dict[int, list[int]]) -> dict[int, str]:
    """The `spans` of each block of 16 rows: first to last column used in the block (1-based)."""
    lows, highs = {}, {}
    for row, cols in columns_of.items():
        low, high = cols[0], cols[-1]
        block = row >> 4
        if block not in lows:
            lows[block], highs[block] = low, high
        else:
            if low < lows[block]:
                lows[block] = low
            if high > highs[block]:
                highs[block] = high
    for row, cells in ws.comments.items():
        if cells:
            block, low, high = row >> 4, min(cells), max(cells)
            lows[block] = min(low, lows.get(block, low))
            highs[block] = max(high, highs.get(block, high))
    return {block: f"{lows[block] + 1}:{highs[block] + 1}" for block in lows}


def _write_rows(ws) -> None:
    table, row_info, comments = ws.table, ws.row_info, ws.comments
    columns_of = {row: sorted(cells) for row, cells in table.items() if cells}
    spans = _spans(ws, columns_of)
    opening = [f'<c r="{xl_col_to_name(c)}' for c in range(ws.dim_colmax + 1)]  # a cell of the column, up to its row
    # per format, the cell's attributes after its reference, for each kind of cell (text, number, blank);
    # XlsxWriter numbers the formats in the order the cells meet them, and so does _get_xf_index here
    text_of, number_of, blank_of = {}, {}, {}
    numbers: dict[float, str] = {}
    span_of: dict[int, str] = {}  # the spans attribute of each block of rows
    custom_of: dict = {}  # the attributes of each row height
    style: dict = {}
    out: list[str] = []
    for row in range(ws.dim_rowmin, ws.dim_rowmax + 1):
        cols = columns_of.get(row)
        info = row_info.get(row)
        if cols is None and info is None and row not in comments:
            continue
        if cols is None or row in comments or (info is not None and (info.row_format or info.hidden or info.level or info.collapsed)):
            ws.fh.write("".join(out))
            out.clear()
            _write_row_fully(ws, row, spans.get(row >> 4))
            continue
        cells = table[row]
        number = str(row + 1)
        pieces = []
        add = pieces.append
        for col in cols:
            cell = cells[col]
            kind = cell.__class__
            if kind is String:
                fmt = cell[1]
                tail = text_of.get(fmt) if fmt is not None else None
                if tail is None:
                    tail = _tail(ws, col, fmt, style, text_of, ' t="s"><v>')
                add(f"{opening[col]}{number}{tail}{cell[0]}</v></c>")
            elif kind is Number or kind is Datetime:
                fmt = cell[1]
                tail = number_of.get(fmt) if fmt is not None else None
                if tail is None:
                    tail = _tail(ws, col, fmt, style, number_of, "><v>")
                value = cell[0]
                if value.__class__ is float and value:  # 0.0 and -0.0 are equal but written apart
                    text = numbers.get(value)
                    if text is None:
                        text = numbers[value] = f"{value:.16G}"
                else:
                    text = f"{value:.16G}"
                add(f"{opening[col]}{number}{tail}{text}</v></c>")
            elif kind is Formula:
                fmt = cell[1]
                s = style.get(fmt) if fmt is not None else None
                if s is None:
                    s = _tail(ws, col, fmt, style, None, "")
                formula, value = cell[0], cell[2]
                if "&" in formula or "<" in formula or ">" in formula:
                    formula = _escape(formula)
                if value.__class__ is float or value.__class__ is int:
                    add(f'{opening[col]}{number}"{s}><f>{formula}</f><v>{value}</v></c>')
                    continue
                t = ""
                if isinstance(value, bool):
                    value, t = int(value), ' t="b"'
                elif isinstance(value, str):
                    if value in _ERRORS:
                        t = ' t="e"'
                    elif value:
                        t = ' t="str"'
                    value = _escape(value)
                add(f'{opening[col]}{number}"{s}{t}><f>{formula}</f><v>{value}</v></c>')
            elif kind is Blank:
                fmt = cell[0]
                tail = blank_of.get(fmt) if fmt is not None else None
                if tail is None:
                    tail = _tail(ws, col, fmt, style, blank_of, "/>")
                add(f"{opening[col]}{number}{tail}")
            else:
                pieces = None
                break
        if pieces is None:
            ws.fh.write("".join(out))
            out.clear()
            _write_row_fully(ws, row, spans.get(row >> 4))
            continue
        block = row >> 4
        span = span_of.get(block)
        if span is None:
            span = span_of[block] = f' spans="{spans[block]}"' if block in spans else ""
        if info is None:
            out.append(f'<row r="{number}"{span}>{"".join(pieces)}</row>')
            continue
        height = info.height if info.height is not None else ws.default_row_height
        custom = custom_of.get(height)
        if custom is None:
            custom = custom_of[height] = (f' ht="{height * 0.75:.16g}" customHeight="1"'
                                          if height != ws.original_row_height or height != ws.default_row_height else "")
        out.append(f'<row r="{number}"{span}{custom}>{"".join(pieces)}</row>')
    ws.fh.write("".join(out))


def _tail(ws, col: int, fmt, style: dict, tails: dict | None, rest: str) -> str:
    """What follows a cell's reference up to its value: its style (its own format, else its column's),
    then `rest`; kept in `tails` for a cell that has a format of its own."""
    if fmt is not None:
        s = style.get(fmt)
        if s is None:
            s = style[fmt] = f' s="{fmt._get_xf_index()}"'
        if tails is None:
            return s
        tail = tails[fmt] = '"' + s + rest
        return tail
    info = ws.col_info.get(col)
    s = f' s="{info.column_format._get_xf_index()}"' if info is not None and info.column_format is not None else ""
    return s if tails is None else '"' + s + rest


def _write_row_fully(ws, row: int, span) -> None:
    """One row through XlsxWriter's own writer (as its _write_rows does for the row)."""
    info = ws.row_info.get(row)
    if ws.table.get(row):
        ws._write_row(row, span, info)
        for col in sorted(ws.table[row]):
            ws._write_cell(row, col, ws.table[row][col])
        ws._xml_end_tag("row")
    else:
        ws._write_empty_row(row, span, info)
