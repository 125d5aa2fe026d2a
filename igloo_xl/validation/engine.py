"""Runs the sheet schemas and the cross-sheet rules; turns pandera's failure cases into findings."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd
from igloo_xl.pandera_light import pa

from igloo_xl.progress import step
from igloo_xl.validation import consequences
from igloo_xl.validation import findings as F
from igloo_xl.validation.cross_rules import cross_sheet_findings
from igloo_xl.model.master import Master, SheetData, load_master
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import Context, rule_info
from igloo_xl.read.text import fold, fold_values

SHEET_ORDER = {name: i for i, name in enumerate([*SHEETS, "Paramètres"])}


@dataclass
class Report:
    findings: list[F.Finding]

    @property
    def errors(self) -> list[F.Finding]:
        return [f for f in self.findings if f.severity == F.ERROR]

    @property
    def warnings(self) -> list[F.Finding]:
        return [f for f in self.findings if f.severity == F.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {"findings": [f.to_dict() for f in self.findings]}


# pandera's own checks, by name: the finding they become and the bounds their statistics give
NATIVE_BOUNDS = {
    "greater_than": ("> {min_value}",),
    "greater_than_or_equal_to": ("≥ {min_value}",),
    "less_than": ("< {max_value}",),
    "less_than_or_equal_to": ("≤ {max_value}",),
    "in_range": ("≥ {min_value} et ≤ {max_value}",),
}
NATIVE_CODES = {"isin": "not-in-list", "notin": "not-in-list", "str_matches": "bad-format", "str_length": "bad-format"}


def _failures(error) -> list[tuple[int | None, str | None]]:
    """(Excel row, column key) of each failure case of one pandera SchemaError."""
    cases = error.failure_cases
    if not isinstance(cases, pd.DataFrame) or "index" not in cases:
        return [(None, None)]
    columns = cases["column"] if "column" in cases else [None] * len(cases)
    out = []
    for row, column in zip(cases["index"], columns):
        out.append((None if row is None or pd.isna(row) else int(row), column))
    return out


def _rule_of(error) -> tuple[dict, str | None]:
    """The rule behind a pandera SchemaError: igloo's own (from the check's statistics) or a generic one."""
    check = error.check
    info = dict(rule_info(check if isinstance(check, pa.Check) else None))  # a dtype failure names its check by a string
    column = info.get("column") or error.column_name or getattr(error.schema, "name", None)
    if info["code"] is not None:
        return info, column
    name = getattr(check, "name", None) or str(check)
    stats = getattr(check, "statistics", None) or {}
    info.update(params={"rule": getattr(check, "error", None) or name})
    if name in NATIVE_BOUNDS:
        info.update(code="out-of-range", params={"bounds": NATIVE_BOUNDS[name][0].format_map(
            {k: F.display(v) for k, v in stats.items()})})
    elif name in NATIVE_CODES:
        info.update(code=NATIVE_CODES[name], params={"choices": ", ".join(map(str, stats.get("allowed_values", ()))),
                                                       "expected": str(stats.get("pattern", ""))})
    elif "dtype" in str(getattr(error, "reason_code", "")).lower() or not isinstance(check, pa.Check):
        info.update(code="rule-failed", variant="type", params={"rule": str(check)})
    else:
        info.update(code="rule-failed")
    return info, column


def _schema_findings(data: SheetData, ctx: Context) -> list[F.Finding]:
    """Every pandera failure case of the sheet as a finding: igloo's rules by their code, any other
    (a pandera-native check, a dtype) as a generic finding, never dropped."""
    frame = data.frame
    if frame.empty:
        return []
    try:
        # pandera copies the frame for the schema and again for each column unless told inplace; a shallow
        # copy (a new frame over the same columns) is enough to keep the master's frame as it is
        data.spec.schema(ctx).validate(frame.copy(deep=False), lazy=True, inplace=True)
        return []
    except pa.errors.SchemaErrors as exc:
        errors = exc.schema_errors
    found, seen, uses = [], set(), {}
    firsts: dict[str, dict[str, int]] = {}
    for error in errors:
        info, rule_column = _rule_of(error)
        for row, case_column in _failures(error):
            key = rule_column or case_column
            if key not in data.headers:
                key = None
            # a check on whole rows fails once per column of the row: one finding per row is enough
            ident = (info["code"], info.get("variant"), rule_column, row, id(error.check))
            if ident in seen or (key, row) in data.bad_cells:
                continue
            seen.add(ident)
            if row is None and key is None:
                found.append(F.make("rule-failed", sheet=data.name, variant="sheet", severity=info["severity"],
                                    rule=info["params"].get("rule", info["code"])))
                continue
            found.append(_finding(data, ctx, info, key, row, firsts))
            uses[id(found[-1])] = (key, info.get("uses", ()))
    return _after_row_errors(data, found, uses)


def _after_row_errors(data: SheetData, found: list[F.Finding], uses: dict) -> list[F.Finding]:
    """A rule that reads a cell of its row already in error (a negative amount, an unreadable rate) says so:
    its finding is marked as a consequence of that cell, so the first thing to fix is that cell."""
    errors = {(f.column, f.row): f for f in found if f.severity == F.ERROR and f.row}
    out = []
    for f in found:
        key, used = uses.get(id(f), (None, ()))
        cause = None
        for other in used:
            if other == key or other not in data.letters or f.row is None:
                continue
            cause = errors.get((data.headers[other], f.row))
            if cause is None and (other, f.row) in data.bad_cells:
                cause = F.make("required", sheet=data.name, row=f.row, letter=data.letters[other])  # only its place is used
            if cause is not None:
                break
        out.append(F.as_consequence(f, cause, "Conséquence de l'erreur") if cause is not None else f)
    return out


def _first_rows(frame: pd.DataFrame, key: str) -> dict[str, int]:
    """folded value -> Excel row of its first occurrence in the column."""
    out: dict[str, int] = {}
    for row, value in zip(frame.index, fold_values(frame[key])):
        if value is not None and value not in out:
            out[value] = row
    return out


def _finding(data: SheetData, ctx: Context, info: dict, key: str | None, row: int | None,
             firsts: dict[str, dict[str, int]] | None = None) -> F.Finding:
    frame = data.frame
    params = dict(info["params"])
    present = row is not None and row in frame.index
    if info.get("details") is not None and present:
        params.update(info["details"](frame, row, ctx))
    if "other" in params and params["other"] in data.headers:
        other = params["other"]
        params["other_value"] = frame.at[row, other] if present else None
        params["other"] = data.headers[other]
    if info["code"] == "duplicate" and present and key is not None and "first_row" not in params:  # a rule's own first row wins
        firsts = {} if firsts is None else firsts
        if key not in firsts:
            firsts[key] = _first_rows(frame, key)
        params["first_row"] = firsts[key].get(fold(frame.at[row, key]), row)
    for name in ("lo", "hi", "lo_strict", "hi_strict"):
        params.pop(name, None)
    return F.make(
        info["code"],
        sheet=data.name,
        column=data.headers.get(key, "") if key else "",
        row=row,
        letter=data.letters.get(key, "") if key else "",
        value=data.raw.at[row, key] if present and key else None,
        severity=info["severity"],
        variant=info.get("variant", ""),
        **params,
    )


def sort_key(f: F.Finding):
    return (SHEET_ORDER.get(f.sheet, 99), f.row or 0, f.cell and len(f.cell), f.cell, f.code)


def _sheet_findings(data: SheetData, params, today: dt.date) -> list[F.Finding]:
    return _schema_findings(data, Context(today=today, params=params, missing=data.missing, formulas=data.formulas))


def validate(master: Master, today: dt.date | None = None, checked: dict | None = None) -> Report:
    """Every finding of the master: reading, per-sheet rules, cross-sheet rules. `checked` holds the
    per-sheet findings already found while reading (id of the sheet's data -> (data, findings))."""
    today = today or dt.date.today()
    found = list(master.findings)
    for data in master.sheets.values():
        done = checked.get(id(data)) if checked else None
        found.extend(done[1] if done is not None and done[0] is data else _sheet_findings(data, master.params, today))
    step("Contrôle des règles")
    found.extend(cross_sheet_findings(master))
    found.sort(key=sort_key)
    found = consequences.link(found, master)
    return Report(found)


def load_and_validate(path: str | os.PathLike, today: dt.date | None = None) -> tuple[Master, Report]:
    """Read the master file and validate it (raises UnusableWorkbook when it cannot be read). Each
    sheet's own rules run as soon as it is typed, while the next sheet is still being parsed."""
    today = today or dt.date.today()
    checked: dict[int, tuple[SheetData, list[F.Finding]]] = {}

    def check(data: SheetData, params) -> None:
        checked[id(data)] = data, _sheet_findings(data, params, today)

    master = load_master(path, on_sheet=check)
    return master, validate(master, today, checked)


def validate_file(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """Read the master file and validate it (raises UnusableWorkbook when it cannot be read)."""
    return load_and_validate(path, today)[1]
