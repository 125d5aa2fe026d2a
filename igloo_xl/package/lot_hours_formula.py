"""Lots « Heures d'insertion » as a live Excel formula, so Excel shows the hours owed while staff type.

The formula is the contract's (Montant HT × Taux de main-d'œuvre ÷ Coût horaire × Taux d'insertion,
rounded), an empty rate or cost taking Paramètres' default: the trade's rate in t_CorpsEtat, the
settings' default insertion rate and hourly cost. A lot that is not an insertion lot owes 0; a row
that cannot be computed yet shows nothing. `cached_value` is the same computation in Python, stored
with the formula so that every reader sees the value Excel would show.
"""

from __future__ import annotations

from igloo_xl.domain.hours import insertion_hours
from igloo_xl.model.params import SETTING_HOURLY, SETTING_INSERTION, SHEET as PARAMS_SHEET
from igloo_xl.read.grid import letter


def _setting(label: str, settings: str) -> str:
    return f'VLOOKUP("{label}",{settings},2,FALSE)'


def hours_formula(row: int, letters: dict[str, str], settings_columns: tuple[int, int], trades_columns: tuple[int, int]) -> str:
    """The formula of Excel row `row`; `letters` maps the Lots keys to their column letters, the
    column pairs are the 0-based (label, value) columns of Paramètres' settings and trades tables."""
    def cell(key: str) -> str:
        return f"{letters[key]}{row}"

    def columns(pair: tuple[int, int]) -> str:
        return f"'{PARAMS_SHEET}'!${letter(pair[0])}:${letter(pair[1])}"

    settings, trades = columns(settings_columns), columns(trades_columns)
    labour = f'IF({cell("labour_rate")}="",VLOOKUP({cell("trade")},{trades},2,FALSE),{cell("labour_rate")})'
    cost = f'IF({cell("hourly_cost")}="",{_setting(SETTING_HOURLY, settings)},{cell("hourly_cost")})'
    rate = f'IF({cell("insertion_rate")}="",{_setting(SETTING_INSERTION, settings)},{cell("insertion_rate")})'
    owed = f'IFERROR(ROUND({cell("amount")}*{labour}/{cost}*{rate},0),"")'
    insertion = cell("insertion")
    return f'=IF({insertion}="Non",0,IF(OR({insertion}<>"Oui",{cell("amount")}=""),"",{owed}))'


def cached_value(lot: dict, trade_rates: dict, hourly_cost, insertion_rate) -> int | str:
    """What the formula gives for `lot` (a row of Lots by key): hours, 0, or "" (nothing to show)."""
    if lot.get("insertion") == "Non":
        return 0
    if lot.get("insertion") != "Oui" or lot.get("amount") is None:
        return ""
    labour = lot.get("labour_rate") if lot.get("labour_rate") is not None else trade_rates.get(lot.get("trade"))
    cost = lot.get("hourly_cost") if lot.get("hourly_cost") is not None else hourly_cost
    rate = lot.get("insertion_rate") if lot.get("insertion_rate") is not None else insertion_rate
    if labour is None or rate is None or not cost:
        return ""
    try:
        return insertion_hours(float(lot["amount"]), float(labour), float(cost), float(rate))
    except (TypeError, ValueError):
        return ""
