"""What every generated workbook shares: formats, title block, print setup, safe writing of typed text.

Workbooks are created with strings_to_formulas=False so that text typed by staff that begins with
=, +, - or @ is always written as text; formulas are only the ones igloo-xl writes, each with its
computed value so a viewer that does not recalculate shows the same figure.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from contextlib import contextmanager

import xlsxwriter
import xlsxwriter.workbook

from igloo_xl.outputs.quick_cells import QUICK, is_classic, quick_rows, store_blank, store_day, store_formula, store_number, store_string
from igloo_xl.validation.findings import display

MONEY = '#,##0.00 "€"'
HOURS = "#,##0"
PERCENT = "0.0 %"
DATE = "dd/mm/yyyy"


def new_workbook(path) -> Book:
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False, "default_date_format": DATE,
         "in_memory": True},
    )
    wb.set_properties({"title": "IGLOO", "company": "Association Espoir", "comments": "Généré par igloo-xl"})
    wb.set_calc_mode("auto")
    return Book(wb)


class Book:
    """An XlsxWriter workbook with the project's formats."""

    def __init__(self, wb):
        self.wb = wb
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14, "font_color": "#1F4E78"})
        self.subtitle = add({"italic": True, "font_color": "#404040"})
        self.header = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.text = add({"border": 1, "valign": "top"})
        self.wrap = add({"border": 1, "text_wrap": True, "valign": "top"})
        self.money = add({"border": 1, "num_format": MONEY})
        self.hours = add({"border": 1, "num_format": HOURS})
        self.percent = add({"border": 1, "num_format": PERCENT})
        self.date = add({"border": 1, "num_format": DATE})
        self.total_label = add({"bold": True, "border": 1, "bg_color": "#F2F2F2"})
        self.total_money = add({"bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": MONEY})
        self.total_hours = add({"bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": HOURS})
        self.total_percent = add({"bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": PERCENT})
        self.section = add({"bold": True, "font_color": "#1F4E78", "border": 1, "bg_color": "#FFF2CC"})
        self.indent_text = add({"border": 1, "indent": 2})

    def sheet(self, name: str, title: str, lines: list[str], *, landscape: bool = True, header_row: int | None = None):
        """A sheet with its title block (rows 1..n), printed on A4 with repeated header row."""
        ws = self.wb.add_worksheet(name[:31])
        quick_formulas(ws)
        quick_rows(ws)
        ws.write_string(0, 0, title, self.title)
        for i, line in enumerate(lines, start=1):
            ws.write_string(i, 0, line, self.subtitle)
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_header(f"&L&8{title}")
        ws.set_footer("&L&8igloo-xl&R&8Page &P / &N")
        if header_row is not None:
            ws.repeat_rows(header_row)
            ws.freeze_panes(header_row + 1, 0)
        return ws

    def text_cell(self, ws, row: int, col: int, value, fmt=None):
        """Typed text, never a formula."""
        if value is None:
            store_blank(ws, row, col, fmt or self.text)
        else:
            store_string(ws, row, col, str(value), fmt or self.text)

    def number(self, ws, row: int, col: int, value, fmt):
        if value is None:
            store_blank(ws, row, col, fmt)
        else:
            store_number(ws, row, col, float(value), fmt)

    def day(self, ws, row: int, col: int, value, fmt=None):
        if value is None:
            store_blank(ws, row, col, fmt or self.date)
        else:
            store_day(ws, row, col, value, fmt or self.date)

    @staticmethod
    def formula(ws, row: int, col: int, formula: str, fmt, value):
        """A formula igloo-xl wrote, with its computed value."""
        store_formula(ws, row, col, formula, fmt, value)

    @staticmethod
    def blank(ws, row: int, col: int, fmt):
        store_blank(ws, row, col, fmt)

    def close(self):
        with fastest_deflate():
            self.wb.close()
        # XlsxWriter's objects refer to one another, so its cells would wait for the cycle collector, which
        # walks each of them; dropped here, they are freed at once.
        for ws in self.wb.worksheets():
            ws.table.clear()
            ws.row_info.clear()
            ws.row_sizes.clear()


class _FastestPart(zipfile.ZipInfo):
    """A part XlsxWriter puts in the package, deflated at zlib's fastest level."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compresslevel = 1


@contextmanager
def fastest_deflate():
    """While a workbook is packaged, its parts are deflated at level 1 instead of zlib's default 6: a
    quarter of a second less for the five clause workbooks of a master 100 times the sample, for files
    about 30 % bigger (tens of kilobytes at the programme's real size). XlsxWriter 3.3 makes one ZipInfo
    per part of an in-memory workbook; any other version is left as it is."""
    if not QUICK:
        yield
        return
    own = xlsxwriter.workbook.ZipInfo
    xlsxwriter.workbook.ZipInfo = _FastestPart
    try:
        yield
    finally:
        xlsxwriter.workbook.ZipInfo = own


def quick_formulas(ws) -> None:
    """XlsxWriter runs some thirty regular expressions over every formula to prefix Excel 365 functions
    with `_xlfn.`; a schedule writes tens of thousands of SUMs. A formula that calls only functions older
    than that (and names none of them, even in a string) skips the pass; any other goes through it."""
    if not QUICK:
        return
    full = ws._prepare_formula

    def prepare(formula, expand_future_functions=False):
        if ws.use_future_functions or expand_future_functions or not is_classic(formula):
            return full(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    ws._prepare_formula = prepare


def generated_on(today: dt.date) -> str:
    return f"Généré le {display(today)} par igloo-xl"


def safe_file_name(name: str) -> str:
    """`Habitat & Humanisme` -> `Habitat_Humanisme`: letters, digits, - and _ only."""
    from igloo_xl.read.text import ascii_name

    out = "".join(ch if ch.isalnum() or ch in "-" else "_" for ch in ascii_name(name))
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_") or "sans_nom"
