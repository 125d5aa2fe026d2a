"""Insertion hours owed by a lot: the contract's formula, with Paramètres' defaults."""

from __future__ import annotations

import math

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
    hours = []
    for amount, lab, ins, cst, is_insertion in zip(lots["amount"], labour, insertion, cost, lots["insertion"]):
        if is_insertion is not True:
            hours.append(0 if is_insertion is False else None)
        elif any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (amount, lab, ins, cst)) or not cst:
            hours.append(None)
        else:
            hours.append(insertion_hours(float(amount), float(lab), float(cst), float(ins)))
    out["hours"] = pd.Series(hours, index=lots.index, dtype=object)
    return out


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
    out: dict = {}
    heures = master.frame("Heures")
    for family, lot, hours in zip(_folded(heures["family"]), _folded(heures["lot"]), heures["hours"]):
        if family is not None and lot is not None and hours is not None:
            key = (family, lot)
            out[key] = out.get(key, 0.0) + float(hours)
    return out
