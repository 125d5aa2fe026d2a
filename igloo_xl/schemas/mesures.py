"""Mesures: one row per social-support measure (ASLL) decided for a family."""

import pandas as pd

from igloo_xl.read.text import fold
from igloo_xl.schemas.base import DATE, LIST, TEXT, Col, Context, Sheet, build_schema, row_check
from igloo_xl.schemas.lists import MEASURE_TYPES

MAX_MONTHS = 36

COLUMNS = (
    Col("family", "ID famille", TEXT, required=True, width=12),
    Col("type", "Type", LIST, required=True, choices=MEASURE_TYPES, width=26),
    Col("funder", "Financeur", LIST, required=True, choices_from="funders", width=26),
    Col("decision_date", "Date de décision", DATE, width=14, note="Pas après le début de la mesure"),
    Col("start", "Début", DATE, required=True, width=12),
    Col("end", "Fin", DATE, required=True, width=12, note=f"Après le début ; au plus {MAX_MONTHS} mois (mesure de 6 mois renouvelable)"),
)


def add_months(day, months: int):
    """The same day `months` later (the month's last day when it has fewer days)."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    y, m = day.year + y, m + 1
    return day.replace(year=y, month=m, day=min(day.day, calendar.monthrange(y, m)[1]))


def _pairs(df: pd.DataFrame, a: str, b: str):
    return zip(df.index, df[a], df[b])


def _decision_ok(df: pd.DataFrame) -> pd.Series:
    return pd.Series([d is None or s is None or d <= s for _, d, s in _pairs(df, "decision_date", "start")], index=df.index)


def _end_after_start(df: pd.DataFrame) -> pd.Series:
    return pd.Series([e is None or s is None or e > s for _, s, e in _pairs(df, "start", "end")], index=df.index)


def _length_ok(df: pd.DataFrame) -> pd.Series:
    return pd.Series([e is None or s is None or e <= s or _within(s, e) for _, s, e in _pairs(df, "start", "end")], index=df.index)


def _within(start, end) -> bool:
    """`end` no later than MAX_MONTHS after `start`: the months apart decide, but in the last month the day does."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months < MAX_MONTHS or (months == MAX_MONTHS and end <= add_months(start, MAX_MONTHS))


def overlaps(df: pd.DataFrame) -> dict[int, int]:
    """Excel row of a measure -> the earliest-listed other measure of the same family that it overlaps,
    when that one is listed before it. Computed once per frame: the check and each finding's details ask."""
    global _memo
    if _memo is not None and _memo[0] is df:
        return _memo[1]
    rows = list(df.index)
    by_family: dict[str, list[tuple[object, int, object]]] = {}
    for pos, (family, start, end) in enumerate(zip(df["family"], df["start"], df["end"])):
        if family is None or start is None or end is None or end < start:
            continue
        by_family.setdefault(fold(family), []).append((start, pos, end))
    first: dict[int, int] = {}
    for measures in by_family.values():
        # sweep by start: the measures still running when one starts are exactly those it overlaps
        # among the ones starting no later, so each overlapping pair is met once
        running: list[tuple[object, int]] = []
        for start, pos, end in sorted(measures, key=lambda m: (m[0], m[1])):
            running = [(e, p) for e, p in running if e >= start]
            for _, other in running:
                later, earlier = max(pos, other), min(pos, other)
                if earlier < first.get(later, later):
                    first[later] = earlier
            running.append((end, pos))
    out = {rows[later]: rows[earlier] for later, earlier in sorted(first.items())}
    _memo = (df, out)
    return out


_memo: tuple[pd.DataFrame, dict[int, int]] | None = None


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        frame=[
            row_check("date-order", "decision_date", _decision_ok, uses=("start",), variant="decision",
                      details=lambda df, row, ctx: {"start": df.at[row, "start"]}),
            row_check("date-order", "end", _end_after_start, uses=("start",), variant="measure-end",
                      details=lambda df, row, ctx: {"start": df.at[row, "start"]}),
            row_check("out-of-range", "end", _length_ok, uses=("start",), variant="measure-length", months=MAX_MONTHS),
            row_check("inconsistent", "start", lambda df: pd.Series(~df.index.isin(list(overlaps(df))), index=df.index),
                      uses=("family", "end"), variant="measure-overlap",
                      details=lambda df, row, ctx: {"first_row": overlaps(df)[row]}),
        ],
    )


SHEET = Sheet("Mesures", COLUMNS, schema, since=2)
