"""What a sheet module declares: its columns (header, type, list) and its rules.

Rules are pandera checks. Each check's `error` is a small JSON document
(code, column, params, columns it uses) that the engine turns into a finding;
this is how pandera's failure cases become findings with stable codes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from igloo_xl.read.text import fold

TEXT, INTEGER, NUMBER, PERCENT, DATE, LIST, YESNO = "text", "integer", "number", "percent", "date", "list", "yesno"


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    choices_from: str = ""  # a list kept in Paramètres: "trades", "partners", "funders"
    width: float = 16
    note: str = ""  # shown as the cell's input message in the master
    contract: bool = True  # False: a column igloo-xl adds beyond the contract, never reported missing
    since: int = 1  # contract version that added it; absent from an older master = `upgrade-available`, not missing


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Col, ...]
    schema: Callable[["Context"], pa.DataFrameSchema] = field(repr=False, compare=False, default=None)
    since: int = 1  # contract version that added the sheet; an absent later sheet is not a `missing-sheet`

    @property
    def table(self) -> str:
        from igloo_xl.read.text import ascii_name

        return "t_" + ascii_name(self.name).replace(" ", "_")

    def col(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


@dataclass
class Context:
    """What rules may depend on besides the sheet itself."""

    today: "object"
    params: "object"  # igloo_xl.params.Params
    missing: set[str] = field(default_factory=set)  # column keys absent from the sheet

    def choices(self, col: Col) -> tuple[str, ...]:
        return col.choices or tuple(self.params.lists.get(col.choices_from, ()))


def _error(code: str, column: str | None, uses: tuple[str, ...], severity: str = "error", variant: str = "", **params) -> str:
    info = {"code": code, "variant": variant, "column": column, "uses": list(uses), "severity": severity, "params": params}
    return json.dumps(info, ensure_ascii=False, default=str)


# Message values that depend on the failing row (e.g. the computed hours), by name; see row_check(details=...).
ROW_DETAILS: dict[str, Callable[[pd.DataFrame, int, "Context"], dict]] = {}


def rule_info(error: str) -> dict:
    return json.loads(error)


# --- column checks (see one Series) -----------------------------------------

def required(key: str) -> pa.Check:
    return pa.Check(lambda s: s.notna(), ignore_na=False, error=_error("required", key, (key,)))


def in_list(key: str, choices) -> pa.Check:
    allowed = set(choices)
    return pa.Check(lambda s: s.isin(allowed), error=_error("not-in-list", key, (key,), choices=", ".join(choices)))


def between(key: str, lo=None, hi=None, lo_strict=False, hi_strict=False, bounds: str = "", severity="error") -> pa.Check:
    def ok(s: pd.Series) -> pd.Series:
        s = s.astype(float)
        res = pd.Series(True, index=s.index)
        if lo is not None:
            res &= (s > lo) if lo_strict else (s >= lo)
        if hi is not None:
            res &= (s < hi) if hi_strict else (s <= hi)
        return res

    return pa.Check(ok, error=_error("out-of-range", key, (key,), severity, bounds=bounds, lo=lo, hi=hi, lo_strict=lo_strict))


def unique(key: str) -> pa.Check:
    return pa.Check(lambda s: ~s.map(fold).duplicated(keep="first"), error=_error("duplicate", key, (key,)))


def pattern(key: str, regex: str, expected: str) -> pa.Check:
    return pa.Check(lambda s: s.astype(str).str.fullmatch(regex), error=_error("bad-format", key, (key,), expected=expected))


# --- frame checks (see the whole row) ---------------------------------------

def required_when(key: str, when: Callable[[pd.DataFrame], pd.Series], condition: str, uses=()) -> pa.Check:
    return pa.Check(
        lambda df: df[key].notna() | ~when(df).fillna(False).astype(bool),
        ignore_na=False,
        error=_error("required", key, (key, *uses), variant="when", condition=condition),
    )


def not_before(key: str, other: str, severity="error") -> pa.Check:
    """`key` (a date) is not before `other` (a date); either empty is fine."""

    def ok(df: pd.DataFrame) -> pd.Series:
        a, b = df[key], df[other]
        both = a.notna() & b.notna()
        res = pd.Series(True, index=df.index)
        res[both] = [x >= y for x, y in zip(a[both], b[both])]
        return res

    return pa.Check(ok, ignore_na=False, error=_error("date-order", key, (key, other), severity, other=other))


def not_above(key: str, other: str, bounds: str) -> pa.Check:
    """`key` ≤ `other` when both are given."""

    def ok(df: pd.DataFrame) -> pd.Series:
        a, b = df[key].astype(float), df[other].astype(float)
        return ~(a.notna() & b.notna() & (a > b + 1e-9))

    return pa.Check(ok, ignore_na=False, error=_error("out-of-range", key, (key, other), bounds=bounds, other=other))


def row_check(code: str, key: str, ok: Callable[[pd.DataFrame], pd.Series], uses=(), severity="error", variant="", details=None, **params) -> pa.Check:
    """A rule on whole rows; `details(frame, row, ctx)` adds message values that depend on the row."""
    if details is not None:
        ROW_DETAILS[f"{code}/{variant}"] = details
        params["details"] = f"{code}/{variant}"
    return pa.Check(
        lambda df: ok(df).fillna(True).astype(bool),
        ignore_na=False,
        error=_error(code, key, (key, *uses), severity, variant, **params),
    )


def build_schema(ctx: Context, sheet: Sheet, extra_columns: dict[str, list] | None = None, frame: list | None = None) -> pa.DataFrameSchema:
    """Checks of every column (required, list) plus the sheet's own; checks on absent columns are dropped."""
    per_column: dict[str, list] = {}
    for col in sheet.columns:
        checks = []
        if col.required:
            checks.append(required(col.key))
        if col.kind == LIST and ctx.choices(col):
            checks.append(in_list(col.key, ctx.choices(col)))
        per_column[col.key] = checks
    for key, checks in (extra_columns or {}).items():
        per_column[key].extend(checks)

    def usable(check: pa.Check) -> bool:
        return not set(rule_info(check.error)["uses"]) & ctx.missing

    return pa.DataFrameSchema(
        {
            key: pa.Column(None, nullable=True, required=False, checks=[c for c in checks if usable(c)])
            for key, checks in per_column.items()
        },
        checks=[c for c in (frame or []) if usable(c)],
    )
