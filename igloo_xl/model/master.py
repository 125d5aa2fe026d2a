"""The master workbook as typed data: one DataFrame per sheet, indexed by Excel row number.

Reading never fails on a bad cell: the cell is reported (not-a-number,
not-a-date, ...) and read as empty, so every other finding still shows.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from igloo_xl.validation import findings as F
from igloo_xl.progress import step
from igloo_xl.read.cell_scan import MAX_COLUMNS
from igloo_xl.read.grid import find_header_row, letter
from igloo_xl.model.params import SHEET as PARAMS_SHEET
from igloo_xl.model.params import Params, read_params
from igloo_xl.read.reader import RawBook, RawSheet, iter_sheets
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, PERCENT, TEXT, YESNO, Col, Sheet
from igloo_xl.read.text import fold
from igloo_xl.read.values import NOT_COMPUTED, Unreadable, parse_date, parse_integer, parse_number, parse_percent, parse_text, parse_yes_no


def object_grid(rows: list[list], min_width: int = 0) -> np.ndarray:
    """rows as a 2-D object array, short rows padded with None (numpy only: the fallback of pandas' routine)."""
    width = max([min_width, *map(len, rows)])
    out = np.full((len(rows), width), None, dtype=object)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out


try:  # pandas' own C routine, 3.5 times quicker; present in every pandas igloo-xl supports
    from pandas._libs.lib import to_object_array
except ImportError:  # pragma: no cover - a pandas that moved it
    to_object_array = object_grid


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
    formulas: set[tuple[str, int]] = field(default_factory=set)  # (key, row) whose value a formula computed

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


def _filled(v) -> bool:
    """Not blank; the common cases first."""
    if v is None or v == "":
        return False
    return not (v.__class__ is str and v.isspace())


class _Bad:
    """A cell that cannot be read as its column's type."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code


def _parser(col: Col, params: Params):
    if col.kind != LIST:
        return PARSERS[col.kind]
    lookup = {fold(c): c for c in (list(col.choices) or params.lists.get(col.choices_from, []))}

    def parse(value):
        text = parse_text(value)
        return None if text is None else lookup.get(fold(text), text)

    return parse


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _distinct(values: np.ndarray) -> tuple[np.ndarray, list]:
    """(codes, distinct values) of a column: each distinct value is then parsed once.

    Hashing merges True with 1.0 and False with 0.0, which a column must tell apart (TRUE is not a
    number): a column holding a boolean is coded by (type, value) instead. None (a short row) gets a
    code of its own; NaN, which pandas would merge with None, sends the column to the exact path.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # no separate null scan of the column
    uniques = list(uniques)
    absent = codes == -1
    if absent.any():
        if any(v is not None for v in values[absent]):
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            uniques = list(uniques)
        else:
            codes[absent] = len(uniques)
            uniques.append(None)
    if (0 in uniques or 1 in uniques) and bool in set(map(type, values)):  # `in` compares by ==: 0.0 and False too
        keyed = _objects([(v.__class__, v) for v in values])
        codes, pairs = pd.factorize(keyed, use_na_sentinel=False)
        uniques = [v for _, v in pairs]
    return codes, uniques


def _detached(value):
    """An equal copy of a cell's value that shares no memory block with the grid it came from."""
    kind = value.__class__
    if kind is str:
        return (value + " ")[:-1]
    if kind is float:
        return value * 1.0
    if kind is dt.datetime or kind is dt.date:
        return value.replace()
    return value


@dataclass
class _Column:
    """A column typed once per distinct value: row i holds distinct value codes[i]."""

    codes: np.ndarray
    filled: np.ndarray  # bool, per distinct value
    typed: np.ndarray  # object, per distinct value
    raw: np.ndarray  # object, per distinct value (None when blank)
    bad: dict[int, str]  # distinct value -> finding code, for the unreadable ones


def _all_plain_texts(uniques: list) -> bool:
    """Each value a text that parse_text returns as it is (printable, not empty, no space at either end,
    no double space, no leading #), checked on the column's joined texts instead of text by text."""
    if not uniques or not all(u.__class__ is str for u in uniques) or not "".join(uniques).isprintable():
        return False
    joined = "\n".join(uniques)  # "\n" is not printable: no text holds it, so it only marks the seams
    return not (joined[:1] in " #\n" or joined[-1:] in " \n" or "  " in joined or "\n\n" in joined
                or "\n " in joined or " \n" in joined or "\n#" in joined)


def _type_column(values: np.ndarray, parse) -> _Column:
    """Each distinct value typed once. What is kept is a copy off the grid, so that the grid's memory
    is freed whole once the sheet is typed (kept values scattered in it would hold all of it)."""
    codes, uniques = _distinct(values)
    n = len(uniques)
    filled, typed, raw, bad = [True] * n, [None] * n, [None] * n, {}
    plain_text = parse is parse_text
    if plain_text and _all_plain_texts(uniques):
        texts = _objects([(u + " ")[:-1] for u in uniques])
        return _Column(codes, np.ones(n, dtype=bool), texts, texts.copy(), bad)
    for i, u in enumerate(uniques):
        if plain_text and u.__class__ is str and u.isprintable() and u[:1] not in ("#", " ", "") \
                and u[-1] != " " and "  " not in u:
            typed[i] = raw[i] = (u + " ")[:-1]  # already what parse_text returns: IDs and names
            continue
        copy = _detached(u)
        if _filled(u):
            raw[i] = copy
        else:
            filled[i] = False
        try:
            value = parse(u)
            typed[i] = copy if value is u else value
        except Unreadable as exc:
            bad[i] = exc.code
    return _Column(codes, np.array(filled, dtype=bool), _objects(typed), _objects(raw), bad)


def _body_columns(rows: list[list], first: int, positions: list[int]) -> dict[int, np.ndarray]:
    """The cells below the header of each wanted column, as object arrays (short rows read as empty)."""
    body = rows[first:]
    if not body:
        return {c: np.empty(0, dtype=object) for c in positions}
    grid = to_object_array(body, max(positions, default=0) + 1)  # one copy in C; short rows padded with None
    return {c: grid[:, c] for c in positions}


# Columns igloo-xl computes itself (domain.hours.lot_terms): their formula saved without its value (a file
# written by a tool that does not calculate) is read as empty, not as an unreadable cell.
RECOMPUTED = {("Lots", "hours")}


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

    present = [(col, cols[fold(col.header)]) for col in spec.columns if fold(col.header) in cols]
    columns = _body_columns(rows, header_idx + 1, [c for _, c in present])
    typed_cols: dict[str, _Column] = {}
    for col, c in present:
        values = columns.pop(c)
        if (spec.name, col.key) in RECOMPUTED:
            values[np.fromiter((v is NOT_COMPUTED for v in values), bool, len(values))] = None
        typed_cols[col.key] = _type_column(values, _parser(col, params))
    n = len(rows) - header_idx - 1
    kept = np.zeros(max(n, 0), dtype=bool)
    for column in typed_cols.values():
        kept |= column.filled[column.codes]
    positions = np.flatnonzero(kept)
    index = (positions + header_idx + 2).astype("int64")  # Excel row numbers
    idx = pd.Index(index, name="row", dtype="int64")
    keys = [c.key for c in spec.columns]
    # one object block per frame, filled column by column (absent columns stay None)
    typed_block = np.empty((len(keys), len(positions)), dtype=object)
    raw_block = np.empty((len(keys), len(positions)), dtype=object)
    bad: set[tuple[str, int]] = set()
    for col, _ in present:
        column = typed_cols[col.key]
        kept_codes = column.codes[positions]
        at = keys.index(col.key)
        typed_block[at] = column.typed[kept_codes]
        raw_block[at] = column.raw[kept_codes]
        if not column.bad:
            continue
        unreadable = np.zeros(len(column.typed), dtype=bool)
        unreadable[list(column.bad)] = True
        for i in np.flatnonzero(unreadable[kept_codes]):
            excel_row = int(index[i])
            bad.add((col.key, excel_row))
            code, _, variant = column.bad[int(kept_codes[i])].partition("/")
            params_ = {"choices": "Oui, Non"} if code == "not-in-list" else {}
            found.append(
                F.make(code, sheet=raw.name, column=headers[col.key], row=excel_row, letter=letters[col.key],
                       value=raw_block[at, i], variant=variant, **params_)
            )
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
    frame = pd.DataFrame(typed_block.T, index=idx, columns=keys, dtype=object, copy=False)
    raw_frame = pd.DataFrame(raw_block.T, index=idx, columns=keys, dtype=object, copy=False)
    key_of = {c: col.key for col, c in present}
    formulas = {(key_of[c], r + 1) for r, c in raw.formula_cells if c in key_of and r > header_idx}
    return SheetData(spec, raw.name, frame, raw_frame, letters, headers, header_idx + 1, bad, formulas), found


FAR_CELLS_SHOWN = 20


def far_cell_findings(raw: RawSheet) -> list[F.Finding]:
    """A warning on each filled cell beyond the columns read (the first ones, then a count)."""
    limit = letter(MAX_COLUMNS - 1)
    cells = sorted(raw.far_cells)
    found = [
        F.make("far-outside-cell", sheet=raw.name, row=r + 1, letter=letter(c), severity=F.WARNING, limit=limit)
        for r, c in cells[:FAR_CELLS_SHOWN]
    ]
    if len(cells) > FAR_CELLS_SHOWN:
        found.append(F.make("far-outside-cell", sheet=raw.name, severity=F.WARNING, variant="more",
                            count=len(cells) - FAR_CELLS_SHOWN, limit=limit))
    return found


def from_raw(book: RawBook) -> Master:
    """Type grids already read (tests, the Excel buttons' open workbook)."""
    by_fold = {fold(name): sheet for name, sheet in book.sheets.items()}
    params, found = read_params(by_fold.get(fold(PARAMS_SHEET)))
    sheets = {}
    for name, spec in SHEETS.items():
        raw = by_fold.get(fold(name))
        if raw is None:
            if spec.since == 1:  # a later sheet is optional until `upgrade` adds it
                found.append(F.missing_sheet(name, book.sheets))
            continue
        data, sheet_found = type_sheet(raw, spec, params)
        found.extend(sheet_found)
        if data is not None:
            sheets[name] = data
    for raw in book.sheets.values():
        found.extend(far_cell_findings(raw))
    return Master(book.path, sheets, params, found)


def load_master(path: str | os.PathLike, on_sheet: Callable[[SheetData, Params], None] | None = None) -> Master:
    """Read and type the master file; raises UnusableWorkbook when it cannot be read at all.
    `on_sheet` sees each sheet as soon as it is typed, while the reader parses the next one.

    Only the contract's sheets are read, Paramètres first (the lists depend on it), then the biggest
    first; each raw grid is typed then dropped, so memory holds one raw grid at a time. What is found
    is reported in workbook order, and of two sheets named alike the first in the workbook counts."""
    specs = {fold(name): spec for name, spec in SHEETS.items()}
    params_key = fold(PARAMS_SHEET)
    params, found = None, []
    typed: dict[str, tuple[int, tuple[SheetData | None, list[F.Finding]]]] = {}
    far: dict[str, list[F.Finding]] = {}
    step("Lecture du classeur")
    present: dict[str, int] = {}  # every sheet name of the workbook (-> its place), to name one that looks like a missing sheet

    def wanted(name: str) -> bool:
        present.setdefault(name, len(present))
        return fold(name) in specs or fold(name) == params_key

    for raw in iter_sheets(path, wanted, first=lambda name: fold(name) == params_key, largest_first=True):
        key = fold(raw.name)
        step(f"Contrôle des cellules de « {raw.name} »")
        far[raw.name] = far_cell_findings(raw)
        if key == params_key:
            if params is None:
                params, found = read_params(raw)
            continue
        if params is None:
            params, found = read_params(None)
        place = present.get(raw.name, len(present))
        if key not in typed or place < typed[key][0]:
            typed[key] = place, type_sheet(raw, specs[key], params)
            del raw
            data = typed[key][1][0]
            if on_sheet is not None and data is not None:
                on_sheet(data, params)
    if params is None:
        params, found = read_params(None)
    sheets = {}
    for name in SHEETS:
        outcome = typed.get(fold(name))
        if outcome is None:
            if SHEETS[name].since == 1:  # a later sheet is optional until `upgrade` adds it
                found.append(F.missing_sheet(name, present))
            continue
        data, sheet_found = outcome[1]
        found.extend(sheet_found)
        if data is not None:
            sheets[name] = data
    in_book = sorted(far, key=lambda name: present.get(name, len(present)))
    return Master(Path(path), sheets, params, found + [f for name in in_book for f in far[name]])
