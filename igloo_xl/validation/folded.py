"""The master's columns folded once per validation: every cross-sheet rule matches IDs by their folded key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from igloo_xl.read.text import fold_codes

if TYPE_CHECKING:
    from igloo_xl.model.master import Master


class FoldedColumns:
    """`folded(sheet, key)`: the folded value of each row of a column (None where empty), computed on first use."""

    def __init__(self, master: Master):
        self.master = master
        self._codes: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = {}
        self._columns: dict[tuple[str, str], list] = {}
        self._ids: dict[str, int] = {}  # folded ID -> its code in the space shared by `shared_codes`
        self._pair_codes: dict[str, np.ndarray] = {}
        self._pairs: dict[str, list] = {}
        self._pathway_hours: dict | None = None

    def codes(self, sheet: str, key: str) -> tuple[np.ndarray, list[str]]:
        """(the code of each row's folded value, -1 where empty; the folded values by code): see fold_codes."""
        found = self._codes.get((sheet, key))
        if found is None:
            found = self._codes[(sheet, key)] = fold_codes(self.master.frame(sheet)[key])
        return found

    def __call__(self, sheet: str, key: str) -> list:
        column = self._columns.get((sheet, key))
        if column is None:
            codes, keys = self.codes(sheet, key)
            column = self._columns[(sheet, key)] = np.array([*keys, None], dtype=object)[codes].tolist()  # -1: None
        return column

    def known(self, sheet: str, key: str) -> set:
        """The folded IDs a column holds."""
        return set(self.codes(sheet, key)[1])

    def positions_not_in(self, sheet: str, key: str, known: set) -> np.ndarray:
        """Positions of the rows whose folded value is given and not in `known`."""
        codes, keys = self.codes(sheet, key)
        unknown = np.array([k not in known for k in keys] + [False], dtype=bool)  # the last one: empty (-1)
        return np.flatnonzero(unknown[codes])

    def lookup(self, sheet: str, key: str, *values: str) -> dict:
        """folded ID -> the row's values of columns `values` (a single value when one is asked); the last row
        of an ID typed twice wins."""
        frame = self.master.frame(sheet)
        columns = [frame[v] for v in values]
        out = dict(zip(self(sheet, key), columns[0] if len(columns) == 1 else zip(*columns)))
        out.pop(None, None)
        return out

    def shared_codes(self, sheet: str, key: str) -> np.ndarray:
        """Codes (-1 where empty) in one space for every column asked: equal folded IDs share a code across sheets."""
        codes, keys = self.codes(sheet, key)
        ids = np.array([self._ids.setdefault(k, len(self._ids)) for k in keys] + [-1], dtype=np.int64)
        return ids[codes]

    def pair_codes(self, sheet: str) -> np.ndarray:
        """A number per row for its (family, lot) folded pair, the same in every sheet; -1 where either is empty."""
        found = self._pair_codes.get(sheet)
        if found is None:
            f, l = self.shared_codes(sheet, "family"), self.shared_codes(sheet, "lot")
            found = self._pair_codes[sheet] = np.where((f < 0) | (l < 0), -1, f * (1 << 32) + l)
        return found

    def pairs(self, sheet: str) -> list:
        """`pair_codes` as a list, None where either is empty."""
        found = self._pairs.get(sheet)
        if found is None:
            found = self._pairs[sheet] = [None if p < 0 else p for p in self.pair_codes(sheet).tolist()]
        return found

    def pathway_hours(self) -> dict:
        """pair (see `pairs`) -> hours in the Heures sheet, as domain.hours.hours_done_by_pathway adds them, once."""
        if self._pathway_hours is None:
            from igloo_xl.domain.hours import hours_by_key

            self._pathway_hours = hours_by_key(self.pairs("Heures"), self.master.frame("Heures")["hours"])
        return self._pathway_hours
