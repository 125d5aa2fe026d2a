"""What a sheet module declares: its columns (header, type, list) and its rules.

Rules are pandera checks. A check carries its rule in pandera's own fields: `name` is the
finding's table key (`code` or `code/variant`, see validation/findings.py), `error` a readable
description, and `statistics` the rest (column, columns it uses, severity, message parameters,
and `details`, a function giving message values that depend on the failing row). The engine
turns every failure case into a finding from these; a check without them (a pandera-native
check, a dtype) still gives a generic finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
from igloo_xl.pandera_light import pa

from igloo_xl.read.text import fold_values

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
    formulas: set[tuple[str, int]] = field(default_factory=set)  # (key, Excel row) computed by a formula, not typed

    def choices(self, col: Col) -> tuple[str, ...]:
        return col.choices or tuple(self.params.lists.get(col.choices_from, ()))


def _rule(check_fn, code: str, column: str | None, uses: tuple[str, ...], severity: str = "error", variant: str = "",
          details=None, ignore_na: bool = True, **params) -> pa.Check:
    """A pandera check whose failure cases become findings `code` (see the module docstring)."""
    key = f"{code}/{variant}" if variant else code
    return pa.Check(
        check_fn,
        ignore_na=ignore_na,
        name=key,
        error=f"{key} ({column})" if column else key,
        statistics={"code": code, "variant": variant, "column": column, "uses": tuple(uses), "severity": severity,
                    "params": params, "details": details},
    )


def rule_info(check) -> dict:
    """The rule a check carries: code, variant, column, uses, severity, params (empty for a foreign check)."""
    if isinstance(check, str):
        raise TypeError("rule_info takes the pandera Check itself (its rule is in check.statistics), not check.error")
    stats = getattr(check, "statistics", None) or {}
    if "code" not in stats:
        return {"code": None, "variant": "", "column": None, "uses": (), "severity": "error", "params": {}, "details": None}
    return stats


# --- column checks (see one Series) -----------------------------------------

def required(key: str) -> pa.Check:
    return _rule(lambda s: s.notna(), "required", key, (key,), ignore_na=False)


def in_list(key: str, choices) -> pa.Check:
    allowed = set(choices)
    return _rule(lambda s: s.isin(allowed), "not-in-list", key, (key,), choices=", ".join(choices))


def between(key: str, lo=None, hi=None, lo_strict=False, hi_strict=False, bounds: str = "", severity="error") -> pa.Check:
    def ok(s: pd.Series) -> pd.Series:
        values = np.asarray(s, dtype=float)
        res = np.ones(len(values), dtype=bool)
        if lo is not None:
            res &= (values > lo) if lo_strict else (values >= lo)
        if hi is not None:
            res &= (values < hi) if hi_strict else (values <= hi)
        return pd.Series(res, index=s.index)

    return _rule(ok, "out-of-range", key, (key,), severity, bounds=bounds, lo=lo, hi=hi, lo_strict=lo_strict, hi_strict=hi_strict)


def unique(key: str) -> pa.Check:
    return _rule(lambda s: ~pd.Series(fold_values(s), index=s.index).duplicated(keep="first"), "duplicate", key, (key,))


def pattern(key: str, regex: str, expected: str) -> pa.Check:
    return _rule(lambda s: s.astype(str).str.fullmatch(regex), "bad-format", key, (key,), expected=expected)


# --- frame checks (see the whole row) ---------------------------------------

def required_when(key: str, when: Callable[[pd.DataFrame], pd.Series], condition: str, uses=()) -> pa.Check:
    return _rule(lambda df: df[key].notna() | ~when(df).fillna(False).astype(bool), "required", key, (key, *uses),
                 variant="when", ignore_na=False, condition=condition)


def not_before(key: str, other: str, severity="error") -> pa.Check:
    """`key` (a date) is not before `other` (a date); either empty is fine."""

    def ok(df: pd.DataFrame) -> pd.Series:
        a, b = df[key], df[other]
        both = (a.notna() & b.notna()).to_numpy()
        res = np.ones(len(df), dtype=bool)
        res[both] = [x >= y for x, y in zip(a.to_numpy()[both], b.to_numpy()[both])]
        return pd.Series(res, index=df.index)

    return _rule(ok, "date-order", key, (key, other), severity, ignore_na=False, other=other)


def not_above(key: str, other: str, bounds: str) -> pa.Check:
    """`key` ≤ `other` when both are given."""

    def ok(df: pd.DataFrame) -> pd.Series:
        a, b = np.asarray(df[key], dtype=float), np.asarray(df[other], dtype=float)
        return pd.Series(~(~np.isnan(a) & ~np.isnan(b) & (a > b + 1e-9)), index=df.index)

    return _rule(ok, "out-of-range", key, (key, other), ignore_na=False, bounds=bounds, other=other)


def row_check(code: str, key: str, ok: Callable[[pd.DataFrame], pd.Series], uses=(), severity="error", variant="", details=None, **params) -> pa.Check:
    """A rule on whole rows; `details(frame, row, ctx)` adds message values that depend on the row."""
    return _rule(lambda df: ok(df).fillna(True).astype(bool), code, key, (key, *uses), severity, variant,
                 details=details, ignore_na=False, **params)


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
        return not set(rule_info(check)["uses"]) & ctx.missing

    per_column = {key: [c for c in checks if usable(c)] for key, checks in per_column.items()}
    # a column without checks (any type, nullable, optional) can never fail: left out, pandera has less to copy and run
    return pa.DataFrameSchema(
        {key: pa.Column(None, nullable=True, required=False, checks=checks) for key, checks in per_column.items() if checks},
        checks=[c for c in (frame or []) if usable(c)],
    )
