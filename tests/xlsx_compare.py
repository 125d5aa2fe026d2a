"""Compare generated workbooks with golden snapshots, reporting differences by cell address
(« Lots!I6: expected '=ROUND(...)', got '=SUM(...)' ») — plus an independent reader of the master's tables."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook


def _value(v):
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 9)
    return v


def _print_settings(ws) -> dict:
    ps = ws.page_setup
    return {
        "orientation": ps.orientation,
        "paperSize": int(ps.paperSize) if ps.paperSize else None,
        "fitToWidth": ps.fitToWidth,
        "fitToHeight": ps.fitToHeight,
        "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
        "print_title_rows": ws.print_title_rows,
        "header": ws.oddHeader.left.text if ws.oddHeader and ws.oddHeader.left else None,
    }


def snapshot(path: Path) -> dict:
    """Per sheet: every non-empty cell's value (or formula, with the value cached beside it) and number
    format, plus the print settings."""
    wb = openpyxl.load_workbook(path)
    cached = CalamineWorkbook.from_path(str(path))
    out = {}
    for ws in wb.worksheets:
        grid = cached.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                entry = {"value": _value(c.value), "format": c.number_format}
                if c.data_type == "f":
                    entry["cached"] = _value(grid[c.row - 1][c.column - 1])
                cells[c.coordinate] = entry
        out[ws.title] = {"cells": cells, "print": _print_settings(ws)}
    return out


def diff(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences, one per cell and aspect: 'Lots!B7: expected 'X', got 'Y'' (value),
    'Lots!B7 (format): ...', 'Lots!I7 (cached): ...', 'Lots (print orientation): ...'."""
    problems = []
    for sheet in sorted(set(expected) | set(actual)):
        if sheet not in actual:
            problems.append(f"{sheet}: sheet missing")
            continue
        if sheet not in expected:
            problems.append(f"{sheet}: unexpected sheet")
            continue
        e, a = expected[sheet], actual[sheet]
        for key in sorted(set(e["print"]) | set(a["print"])):
            if e["print"].get(key) != a["print"].get(key):
                problems.append(f"{sheet} (print {key}): expected {e['print'].get(key)!r}, got {a['print'].get(key)!r}")
        for ref in sorted(set(e["cells"]) | set(a["cells"]), key=_cell_order):
            ec, ac = e["cells"].get(ref) or {}, a["cells"].get(ref) or {}
            for part in ("value", "cached", "format"):
                if ec.get(part) != ac.get(part):
                    where = f"{sheet}!{ref}" + ("" if part == "value" else f" ({part})")
                    problems.append(f"{where}: expected {ec.get(part)!r}, got {ac.get(part)!r}")
    return problems


def _cell_order(ref: str):
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    col, row = coordinate_from_string(ref)
    return row, column_index_from_string(col)


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def save_golden(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# --- an independent reading of the master (openpyxl tables, no igloo_xl code) ---------------------

def table_rows(wb, sheet: str, table: str) -> list[dict]:
    ws = wb[sheet]
    rows = [[c.value for c in r] for r in ws[ws.tables[table].ref]]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def master_tables(path: Path) -> dict:
    """The sample master's data sheets as lists of dicts by header, and the settings of Paramètres."""
    wb = openpyxl.load_workbook(path)
    data = {name: table_rows(wb, name, f"t_{name}")
            for name in ("Familles", "Logements", "Bailleurs", "Lots", "Parcours", "Financements", "Budget", "Accompagnement")}
    settings = {r["Paramètre"]: r["Valeur"] for r in table_rows(wb, "Paramètres", "t_Reglages")}
    data["trade_rate"] = {r["Corps d'état"]: r["Taux de main-d'œuvre par défaut (%)"] for r in table_rows(wb, "Paramètres", "t_CorpsEtat")}
    data["funder_line"] = {r["Financeur"]: r["Ligne du budget"] for r in table_rows(wb, "Paramètres", "t_Financeurs")}
    data["default_rate"] = settings["Taux d'insertion par défaut (%)"]
    data["default_cost"] = settings["Coût horaire par défaut (€)"]
    return data


def zip_text(path: Path) -> str:
    """Every part of an .xlsx (all XML inside the zip), as text."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def day(v):
    return v.date() if isinstance(v, dt.datetime) else v


def expected_lots(m):
    """{landlord: {lot: {...}}}: the contract's formula, computed here from the master's tables."""
    landlord = {d["ID logement"]: d["Bailleur"] for d in m["Logements"]}
    done = defaultdict(float)
    for p in m["Parcours"]:
        if p["ID lot"]:
            done[p["ID lot"]] += p["Heures réalisées"] or 0
    out = defaultdict(dict)
    for lot in m["Lots"]:
        if lot["Lot d'insertion"] != "Oui":
            continue
        labour = lot["Taux de main-d'œuvre (%)"] or m["trade_rate"][lot["Corps d'état"]]
        rate = lot["Taux d'insertion (%)"] if lot["Taux d'insertion (%)"] is not None else m["default_rate"]
        cost = lot["Coût horaire (€)"] or m["default_cost"]
        hours = math.floor(lot["Montant HT (€)"] * labour / cost * rate + 0.5)
        out[landlord[lot["ID logement"]]][lot["ID lot"]] = {
            "dwelling": lot["ID logement"], "trade": lot["Corps d'état"], "firm": lot["Entreprise"],
            "amount": lot["Montant HT (€)"], "labour": labour, "rate": rate, "cost": cost,
            "owed": hours, "done": done[lot["ID lot"]], "start": day(lot["Début"]), "end": day(lot["Fin"]),
        }
    return out
