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
