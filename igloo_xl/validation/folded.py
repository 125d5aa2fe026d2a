"""The master's columns folded once per validation: every cross-sheet rule matches IDs by their folded key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from igloo_xl.read.text import fold_values

if TYPE_CHECKING:
    from igloo_xl.model.master import Master


class FoldedColumns:
    """`folded(sheet, key)`: the folded value of each row of a column (None where empty), computed on first use."""

    def __init__(self, master: Master):
        self.master = master
        self._columns: dict[tuple[str, str], list] = {}
        self._done: dict[str, str] = {}  # shared: an ID appears in its own sheet and in each sheet that refers to it
        self._pathway_hours: dict | None = None

    def __call__(self, sheet: str, key: str) -> list:
        column = self._columns.get((sheet, key))
        if column is None:
            column = self._columns[(sheet, key)] = fold_values(self.master.frame(sheet)[key], self._done)
        return column

    def known(self, sheet: str, key: str) -> set:
        """The folded IDs a column holds."""
        return set(self(sheet, key)) - {None}

    def lookup(self, sheet: str, key: str, *values: str) -> dict:
        """folded ID -> the row's values of columns `values` (a single value when one is asked); the last row
        of an ID typed twice wins."""
        frame = self.master.frame(sheet)
        columns = [frame[v] for v in values]
        out = dict(zip(self(sheet, key), columns[0] if len(columns) == 1 else zip(*columns)))
        out.pop(None, None)
        return out

    def pathway_hours(self) -> dict:
        """(family, lot) folded -> hours in the Heures sheet (domain.hours.hours_done_by_pathway), once."""
        if self._pathway_hours is None:
            from igloo_xl.domain.hours import hours_done_by_pathway

            self._pathway_hours = hours_done_by_pathway(self.master, self)
        return self._pathway_hours
