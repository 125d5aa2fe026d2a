"""One mistake, one line to fix first: the findings that only follow from another are grouped or marked.

- The same unknown identifier on many rows of a sheet (a deleted or retyped ID) is one finding per
  dependent sheet, on its first row, listing the rows.
- An identifier typed twice (F02 on two rows of Familles) makes the findings of other sheets on rows
  that use it « conséquence de » that duplicate, and an identifier now missing from that sheet
  (the F03 the duplicate replaced) a probable consequence of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igloo_xl.model.master import Master
from igloo_xl.read.text import fold
from igloo_xl.validation import findings as F

ROWS_SHOWN = 8


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
    return shown + ("…" if len(rows) > ROWS_SHOWN else "")


def group_unknown_references(found: list[F.Finding]) -> list[F.Finding]:
    groups: dict[tuple, list[F.Finding]] = {}
    for f in found:
        if f.code == "unknown-reference" and not f.variant:
            groups.setdefault((f.sheet, f.column, f.params.get("target"), fold(str(f.value))), []).append(f)
    out = []
    for f in found:
        if f.code != "unknown-reference" or f.variant:
            out.append(f)
            continue
        group = groups[(f.sheet, f.column, f.params.get("target"), fold(str(f.value)))]
        if len(group) == 1:
            out.append(f)
        elif f is group[0]:
            rows = [g.row for g in group if g.row]
            letter = f.cell[: len(f.cell) - len(str(f.row))] if f.row else ""
            out.append(F.make("unknown-reference", sheet=f.sheet, column=f.column, row=f.row, letter=letter,
                              value=f.value, severity=f.severity, variant="rows", target=f.params.get("target"),
                              count=len(rows), rows=_rows_text(rows)))
    return out


def _rows_using(master: Master, sheet: str, values: set[str]) -> dict[str, set[int]]:
    """folded value -> rows of the sheet with a text cell of that value, for the values asked (one pass:
    each column's distinct texts are folded, not its rows)."""
    data = next((d for d in master.sheets.values() if d.name == sheet), None)
    rows: dict[str, set[int]] = {}
    if data is None:
        return rows
    for key in data.frame.columns:
        column = np.asarray(data.frame[key], dtype=object)
        codes, distinct = pd.factorize(column)
        for code, value in enumerate(distinct):
            folded = fold(value) if isinstance(value, str) else None
            if folded in values:
                rows.setdefault(folded, set()).update(data.frame.index[codes == code])
    return rows


def mark_duplicate_consequences(found: list[F.Finding], master: Master) -> list[F.Finding]:
    duplicates = [f for f in found if f.code == "duplicate" and not f.variant and f.value is not None]
    if not duplicates:
        return found
    out = list(found)
    wanted = {fold(str(cause.value)) for cause in duplicates}
    using: dict[str, dict[str, set[int]]] = {}  # sheet -> folded value -> rows using it, built on first need
    for cause in duplicates:
        value = fold(str(cause.value))
        words = f"Conséquence de « {F.display(cause.value)} » en double"
        for i, f in enumerate(out):
            if f.sheet == cause.sheet or f.cause:
                continue
            if f.code == "unknown-reference" and f.params.get("target") == cause.sheet:
                out[i] = F.as_consequence(f, cause, f"Conséquence probable de « {F.display(cause.value)} » en double")
                continue
            if f.row is None:
                continue
            if f.sheet not in using:
                using[f.sheet] = _rows_using(master, f.sheet, wanted)
            if f.row in using[f.sheet].get(value, ()):
                out[i] = F.as_consequence(f, cause, words)
    return out


def link(found: list[F.Finding], master: Master) -> list[F.Finding]:
    return mark_duplicate_consequences(group_unknown_references(found), master)
