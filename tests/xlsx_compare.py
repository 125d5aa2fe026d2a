"""Compare generated workbooks by what matters, with diffs by cell address (XlsxWriter's way)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl


def _value(v):
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def snapshot(path: Path) -> dict:
    """Per sheet: every non-empty cell's value or formula and number format, plus print settings."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                cells[c.coordinate] = {"value": _value(c.value), "format": c.number_format}
        ps = ws.page_setup
        out[ws.title] = {
            "cells": cells,
            "print": {
                "orientation": ps.orientation,
                "paperSize": int(ps.paperSize) if ps.paperSize else None,
                "fitToWidth": ps.fitToWidth,
                "print_title_rows": ws.print_title_rows,
            },
        }
    return out


def diff(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences: 'Lots!I6 value: expected '=ROUND(...)', got ...'."""
    problems = []
    for sheet in sorted(set(expected) | set(actual)):
        if sheet not in actual:
            problems.append(f"sheet {sheet!r} missing")
            continue
        if sheet not in expected:
            problems.append(f"sheet {sheet!r} unexpected")
            continue
        e, a = expected[sheet], actual[sheet]
        for key in sorted(set(e["print"]) | set(a["print"])):
            if e["print"].get(key) != a["print"].get(key):
                problems.append(f"{sheet} print {key}: expected {e['print'].get(key)!r}, got {a['print'].get(key)!r}")
        for ref in sorted(set(e["cells"]) | set(a["cells"])):
            ec, ac = e["cells"].get(ref), a["cells"].get(ref)
            if ec != ac:
                for part in ("value", "format"):
                    if (ec or {}).get(part) != (ac or {}).get(part):
                        problems.append(f"{sheet}!{ref} {part}: expected {(ec or {}).get(part)!r}, got {(ac or {}).get(part)!r}")
    return problems


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def save_golden(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
