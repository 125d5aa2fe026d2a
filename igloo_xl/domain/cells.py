"""Cell look-up by (Excel row, column key) without pandas' per-call cost.

`DataFrame.at` costs microseconds per call; the schedules read tens of thousands of cells one by one.
`Cells(frame).at[row, key]` returns the very value `frame.at[row, key]` returns (same numpy scalar
for a typed column), from arrays taken once per column.
"""

from __future__ import annotations

import pandas as pd


class Cells:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.index = frame.index
        self._position = {row: i for i, row in enumerate(frame.index)}
        self._columns: dict[str, object] = {}
        self.at = self

    def __getitem__(self, cell):
        row, key = cell
        values = self._columns.get(key)
        if values is None:
            values = self._columns[key] = self.frame[key].to_numpy()
        return values[self._position[row]]
