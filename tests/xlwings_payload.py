"""The JSON payload xlwings' remote clients send for a workbook, built from a real file (for tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwings as xw
from python_calamine import CalamineWorkbook


def _cell(v):
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, dt.date):
        return dt.datetime.combine(v, dt.time()).isoformat(timespec="milliseconds") + "Z"
    return v


def payload(path: Path, *, client: str = "VBA", name: str | None = None, edits: dict | None = None) -> dict:
    """`edits` = {(sheet, row, col): value} (0-based): unsaved edits present in the open workbook only."""
    wb = CalamineWorkbook.from_path(str(path))
    sheets = []
    for sheet_name in wb.sheet_names:
        values = [[_cell(v) for v in row] for row in wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)]
        for (s, r, c), v in (edits or {}).items():
            if s == sheet_name:
                while len(values) <= r:
                    values.append([""] * len(values[0]))
                values[r][c] = _cell(v)
        sheets.append({"name": sheet_name, "values": values or [[]], "visibility": "Visible", "pictures": [], "shapes": [],
                       "charts": [], "tables": [], "notes": [], "notes_supported": True})
    return {"client": client, "version": xw.__version__,
            "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets, "names": []}


def with_sheet(data: dict, name: str, values: list[list], visibility="Hidden") -> dict:
    data["sheets"].append({"name": name, "values": values, "visibility": visibility, "pictures": [], "shapes": [],
                           "charts": [], "tables": [], "notes": [], "notes_supported": True})
    return data


def open_book(data: dict):
    book = xw.Book(json=data)
    book.set_mock_caller()
    return book
