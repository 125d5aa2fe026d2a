"""Runs the sheet schemas and the cross-sheet rules; turns pandera's failure cases into findings."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd
from igloo_xl.pandera_light import pa

from igloo_xl.validation import findings as F
from igloo_xl.validation.cross_rules import cross_sheet_findings
from igloo_xl.model.master import Master, SheetData, load_master
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import ROW_DETAILS, Context, rule_info
from igloo_xl.read.text import fold

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


def _schema_findings(data: SheetData, ctx: Context) -> list[F.Finding]:
    frame = data.frame
    if frame.empty:
        return []
    try:
        data.spec.schema(ctx).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    found, seen = [], set()
    for error, row in zip(cases["check"], cases["index"]):
        if row is None or pd.isna(row):
            continue
        try:
            info = rule_info(error)
        except (ValueError, TypeError):
            continue
        key, row = info["column"], int(row)
        ident = (error, row)
        if ident in seen or (key, row) in data.bad_cells:
            continue
        seen.add(ident)
        params = dict(info["params"])
        if "details" in params:
            params.update(ROW_DETAILS[params.pop("details")](frame, row, ctx))
        if "other" in params:
            other = params["other"]
            params["other_value"] = frame.at[row, other]
            params["other"] = data.headers[other]
        if info["code"] == "duplicate":
            target = fold(frame.at[row, key])
            params["first_row"] = next(r for r, v in frame[key].items() if v is not None and fold(v) == target)
        found.append(
            F.make(
                info["code"],
                sheet=data.name,
                column=data.headers[key],
                row=row,
                letter=data.letters.get(key, ""),
                value=data.raw.at[row, key],
                severity=info["severity"],
                variant=info["variant"],
                **params,
            )
        )
    return found


def sort_key(f: F.Finding):
    return (SHEET_ORDER.get(f.sheet, 99), f.row or 0, f.cell and len(f.cell), f.cell, f.code)


def validate(master: Master, today: dt.date | None = None) -> Report:
    """Every finding of the master: reading, per-sheet rules, cross-sheet rules."""
    today = today or dt.date.today()
    found = list(master.findings)
    for data in master.sheets.values():
        found.extend(_schema_findings(data, Context(today=today, params=master.params, missing=data.missing)))
    found.extend(cross_sheet_findings(master))
    found.sort(key=sort_key)
    return Report(found)


def validate_file(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """Read the master file and validate it (raises UnusableWorkbook when it cannot be read)."""
    return validate(load_master(path), today)
