"""The master workbook as typed data: one DataFrame per sheet, indexed by Excel row number.

Reading never fails on a bad cell: the cell is reported (not-a-number,
not-a-date, ...) and read as empty, so every other finding still shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from igloo_xl.validation import findings as F
from igloo_xl.read.grid import find_header_row, last_data_row, letter
from igloo_xl.model.params import SHEET as PARAMS_SHEET
from igloo_xl.model.params import Params, read_params
from igloo_xl.read.reader import MAX_ROWS, RawBook, RawSheet, read_workbook
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, PERCENT, TEXT, YESNO, Col, Sheet
from igloo_xl.read.text import fold
from igloo_xl.read.values import Unreadable, parse_date, parse_integer, parse_number, parse_percent, parse_text, parse_yes_no

PARSERS = {
    TEXT: parse_text,
    INTEGER: parse_integer,
    NUMBER: parse_number,
    PERCENT: parse_percent,
    DATE: parse_date,
    YESNO: parse_yes_no,
}


@dataclass
class SheetData:
    spec: Sheet
    name: str  # as written in the workbook
    frame: pd.DataFrame  # typed values, columns = spec keys, index = Excel row
    raw: pd.DataFrame  # the values as typed, same shape
    letters: dict[str, str]  # key -> column letter, for present columns
    headers: dict[str, str]  # key -> header as written (or the contract's when absent)
    header_row: int  # Excel row number
    bad_cells: set[tuple[str, int]] = field(default_factory=set)  # (key, row) already reported

    @property
    def missing(self) -> set[str]:
        return {c.key for c in self.spec.columns if c.key not in self.letters}


@dataclass
class Master:
    path: Path | None
    sheets: dict[str, SheetData]  # by contract name; absent sheets are absent here
    params: Params
    findings: list[F.Finding]  # what reading found (missing sheets and columns, unreadable cells)

    def frame(self, name: str) -> pd.DataFrame:
        """The typed rows of a sheet; an empty frame with the contract's columns when the sheet is absent."""
        if name in self.sheets:
            return self.sheets[name].frame
        return pd.DataFrame(columns=[c.key for c in SHEETS[name].columns], dtype=object)


def empty_frame(spec: Sheet) -> pd.DataFrame:
    return pd.DataFrame(columns=[c.key for c in spec.columns], dtype=object)


def _filled(v) -> bool:
    """Not blank; the common cases first (this runs for every cell)."""
    if v is None or v == "":
        return False
    return not (v.__class__ is str and v.isspace())


class _Bad:
    """A cell that cannot be read as its column's type (memoised like a value)."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code


def _converter(col: Col, params: Params):
    """Cell -> typed value (or _Bad), memoised per column: statuses, dates and IDs repeat a lot."""
    if col.kind == LIST:
        lookup = {fold(c): c for c in (list(col.choices) or params.lists.get(col.choices_from, []))}

        def parse(value):
            text = parse_text(value)
            return None if text is None else lookup.get(fold(text), text)
    else:
        parse = PARSERS[col.kind]
    cache: dict = {}

    def convert(value):
        key = (value.__class__, value)
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: never the case for calamine values, but stay safe
            key = None
        try:
            result = parse(value)
        except Unreadable as exc:
            result = _Bad(exc.code)
        if key is not None:
            cache[key] = result
        return result

    return convert


def type_sheet(raw: RawSheet, spec: Sheet, params: Params) -> tuple[SheetData | None, list[F.Finding]]:
    found: list[F.Finding] = []
    rows = raw.rows
    header_idx, cols = find_header_row(rows, [c.header for c in spec.columns], [c.header for c in spec.columns if c.required])
    if header_idx is None:
        found.extend(F.make("missing-column", sheet=raw.name, column=c.header) for c in spec.columns if c.required)
        return None, found
    header_row = rows[header_idx]
    letters, headers = {}, {}
    for col in spec.columns:
        c = cols.get(fold(col.header))
        if c is None:
            headers[col.key] = col.header
            if col.required:
                found.append(F.make("missing-column", sheet=raw.name, column=col.header))
            elif col.contract and col.since == 1:  # a later column is `upgrade-available`, not missing
                found.append(F.make("missing-column", sheet=raw.name, column=col.header, severity=F.WARNING))
        else:
            letters[col.key] = letter(c)
            headers[col.key] = str(header_row[c]).strip()
    if raw.total_rows > MAX_ROWS:
        found.append(F.make("too-many-rows", sheet=raw.name, severity=F.WARNING, rows=raw.total_rows, limit=MAX_ROWS))

    present = [(col, cols[fold(col.header)]) for col in spec.columns if fold(col.header) in cols]
    positions = [c for _, c in present]
    end = last_data_row(rows)
    kept = [
        (r + 1, row)
        for r, row in enumerate(rows[header_idx + 1 : end + 1], start=header_idx + 1)
        if any(c < len(row) and _filled(row[c]) for c in positions)
    ]
    index = [excel_row for excel_row, _ in kept]
    raw_cols: dict[str, list] = {}
    typed_cols: dict[str, list] = {}
    bad: set[tuple[str, int]] = set()
    for col, c in present:
        convert = _converter(col, params)
        values = [row[c] if c < len(row) else None for _, row in kept]
        raw_cols[col.key] = [v if _filled(v) else None for v in values]
        typed = [convert(v) for v in values]
        for i, t in enumerate(typed):
            if isinstance(t, _Bad):
                typed[i] = None
                excel_row = index[i]
                bad.add((col.key, excel_row))
                code, variant = ("not-a-number", "integer") if t.code == "not-an-integer" else (t.code, "")
                params_ = {"choices": "Oui, Non"} if code == "not-in-list" else {}
                found.append(
                    F.make(code, sheet=raw.name, column=headers[col.key], row=excel_row, letter=letters[col.key],
                           value=values[i], variant=variant, **params_)
                )
        typed_cols[col.key] = typed
    for col in spec.columns:
        if col.key not in typed_cols:
            raw_cols[col.key] = typed_cols[col.key] = [None] * len(index)
    for first_row, first_col, last_row, last_col in raw.merged:
        if last_row > header_idx and last_row != first_row and any(first_col <= c <= last_col for _, c in present):
            found.append(
                F.make(
                    "merged-cells",
                    sheet=raw.name,
                    row=first_row + 1,
                    letter=letter(first_col),
                    severity=F.WARNING,
                    range=f"{letter(first_col)}{first_row + 1}:{letter(last_col)}{last_row + 1}",
                )
            )
    idx = pd.Index(index, name="row", dtype="int64")
    frame = pd.DataFrame({k: pd.Series(v, index=idx, dtype=object) for k, v in typed_cols.items()}, index=idx)
    raw_frame = pd.DataFrame({k: pd.Series(v, index=idx, dtype=object) for k, v in raw_cols.items()}, index=idx)
    return SheetData(spec, raw.name, frame, raw_frame, letters, headers, header_idx + 1, bad), found


def from_raw(book: RawBook) -> Master:
    by_fold = {fold(name): sheet for name, sheet in book.sheets.items()}
    params, found = read_params(by_fold.get(fold(PARAMS_SHEET)))
    sheets = {}
    for name, spec in SHEETS.items():
        raw = by_fold.get(fold(name))
        if raw is None:
            if spec.since == 1:  # a later sheet is optional until `upgrade` adds it
                found.append(F.make("missing-sheet", sheet=name))
            continue
        data, sheet_found = type_sheet(raw, spec, params)
        found.extend(sheet_found)
        if data is not None:
            sheets[name] = data
    return Master(book.path, sheets, params, found)


def load_master(path: str | os.PathLike) -> Master:
    """Read and type the master file; raises UnusableWorkbook when it cannot be read at all."""
    return from_raw(read_workbook(path))
