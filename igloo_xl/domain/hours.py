"""Insertion hours owed by a lot: the contract's formula, with Paramètres' defaults."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def insertion_hours(amount: float, labour_rate: float, hourly_cost: float, insertion_rate: float) -> int:
    """Montant HT × Taux de main-d'œuvre ÷ Coût horaire × Taux d'insertion, rounded half up like Excel's ROUND."""
    return int(math.floor(amount * labour_rate / hourly_cost * insertion_rate + 0.5))


def lot_terms(lots: pd.DataFrame, params) -> pd.DataFrame:
    """Per lot: the rates and cost in force (typed or default) and the hours owed (0 for a non-insertion lot)."""
    labour = lots["labour_rate"].astype(object).where(lots["labour_rate"].notna(), lots["trade"].map(params.trade_labour_rate))
    insertion = lots["insertion_rate"].astype(object).where(lots["insertion_rate"].notna(), params.insertion_rate)
    cost = lots["hourly_cost"].astype(object).where(lots["hourly_cost"].notna(), params.hourly_cost)
    out = pd.DataFrame({"labour_rate": labour, "insertion_rate": insertion, "hourly_cost": cost}, index=lots.index)
    out["hours"] = pd.Series(_owed_hours(lots["amount"], labour, insertion, cost, lots["insertion"]), index=lots.index, dtype=object)
    return out


def _owed_hours(amount, labour, insertion, cost, is_insertion) -> list:
    """`insertion_hours` of each insertion lot whose four terms are known (None otherwise, 0 for a
    non-insertion lot), computed on whole columns: numpy's float64 arithmetic, in the formula's order,
    gives Python's results; a term that is not a number, or a result too large for an exact float, takes
    the row-by-row way."""
    flags = list(is_insertion)
    hours: list = [0 if flag is False else None for flag in flags]
    todo = np.flatnonzero([flag is True for flag in flags])
    if not len(todo):
        return hours
    columns = [np.asarray(c, dtype=object)[todo] for c in (amount, labour, insertion, cost)]
    try:
        a, lab, ins, cst = (np.array(c, dtype=float) for c in columns)
    except (TypeError, ValueError):
        return _owed_hours_by_row(amount, labour, insertion, cost, is_insertion)
    with np.errstate(all="ignore"):
        known = ~(np.isnan(a) | np.isnan(lab) | np.isnan(ins) | np.isnan(cst)) & (cst != 0)
        value = a * lab / cst * ins + 0.5
    exact = known & (np.abs(value) < 2.0**52)
    if (known & ~exact).any():
        return _owed_hours_by_row(amount, labour, insertion, cost, is_insertion)
    for pos, whole in zip(todo[exact], np.floor(value[exact]).astype(np.int64).tolist()):
        hours[pos] = whole
    return hours


def _owed_hours_by_row(amount, labour, insertion, cost, is_insertion) -> list:
    hours = []
    for a, lab, ins, cst, flag in zip(amount, labour, insertion, cost, is_insertion):
        if flag is not True:
            hours.append(0 if flag is False else None)
        elif any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (a, lab, ins, cst)) or not cst:
            hours.append(None)
        else:
            hours.append(insertion_hours(float(a), float(lab), float(cst), float(ins)))
    return hours


STATEMENT_COLUMNS = ["month", "family", "lot", "hours", "mode", "public"]


def _folded(column) -> list:
    from igloo_xl.read.text import fold_values

    return fold_values(column)


def _pathway_by_family_lot(parcours: pd.DataFrame) -> dict:
    """(family, lot) folded -> the Parcours row's (mode, public); a Contrat d'insertion row wins."""
    out: dict = {}
    for family, lot, action, mode, public in zip(
        _folded(parcours["family"]), _folded(parcours["lot"]), parcours["action"], parcours["mode"], parcours["public"]
    ):
        if family is None or lot is None:
            continue
        key = (family, lot)
        if key not in out or action == "Contrat d'insertion":
            out[key] = (mode, public)
    return out


def monthly_statements(master) -> pd.DataFrame:
    """The Heures rows (month as its first day) with the Mode de réalisation and Public of the
    family's Parcours row on that lot; rows missing a month, family, lot or hours are left out."""
    heures = master.frame("Heures")
    pathway = _pathway_by_family_lot(master.frame("Parcours"))
    records = []
    for month, family, lot, hours, family_key, lot_key in zip(
        heures["month"], heures["family"], heures["lot"], heures["hours"], _folded(heures["family"]), _folded(heures["lot"])
    ):
        if month is None or family is None or lot is None or hours is None:
            continue
        mode, public = pathway.get((family_key, lot_key), (None, None))
        records.append({"month": month.replace(day=1), "family": family, "lot": lot, "hours": float(hours),
                        "mode": mode, "public": public})
    return pd.DataFrame(records, columns=STATEMENT_COLUMNS)


def hours_done_by_lot(master) -> dict[str, float]:
    """Hours done per lot (ID as typed in Lots when known): the Heures sheet when it has rows for
    the lot, otherwise the sum of Parcours' Heures réalisées on that lot."""
    lots = master.frame("Lots")
    spelling = {key: i for key, i in zip(_folded(lots["id"]), lots["id"]) if i is not None}
    from_statements: dict[str, float] = {}
    heures = master.frame("Heures")
    for key, hours in zip(_folded(heures["lot"]), heures["hours"]):
        if key is not None and hours is not None:
            from_statements[key] = from_statements.get(key, 0.0) + float(hours)
    from_pathways: dict[str, float] = {}
    parcours = master.frame("Parcours")
    for key, hours in zip(_folded(parcours["lot"]), parcours["hours_done"]):
        if key is not None and hours is not None:
            from_pathways[key] = from_pathways.get(key, 0.0) + float(hours)
    merged = {**from_pathways, **from_statements}
    return {spelling.get(key, key): value for key, value in merged.items()}


def hours_done_by_pathway(master) -> dict[tuple[str, str], float]:
    """(family, lot) folded -> hours in the Heures sheet, for the pairs it has rows for."""
    heures = master.frame("Heures")
    pairs = [None if f is None or l is None else (f, l) for f, l in zip(_folded(heures["family"]), _folded(heures["lot"]))]
    return hours_by_key(pairs, heures["hours"])


def hours_by_key(keys, hours) -> dict:
    """Sum of the hours of each key, added in row order (rows without a key or hours left out)."""
    out: dict = {}
    for key, value in zip(keys, hours):
        if key is not None and value is not None:
            out[key] = out.get(key, 0.0) + float(value)
    return out
