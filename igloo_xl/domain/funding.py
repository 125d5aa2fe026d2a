"""How much a funding row and a budget line weigh in the subsidy budget form (Cerfa 12156*06)."""

from __future__ import annotations

import numpy as np
import pandas as pd

CHARGE_ACCOUNTS = ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69")
INDIRECT = "CI"  # an indirect charge allocated to the action
IN_KIND_CHARGES = "86"
IN_KIND_CHARGE_LINES = ("860", "861", "862", "864")
SUBSIDY_LINES = ("État", "Région", "Département", "Intercommunalité", "Commune", "Organismes sociaux", "Fonds européens",
                 "ASP (emplois aidés)", "Autres établissements publics", "Fondations et aides privées")
OTHER_INCOME_LINES = ("70", "73", "75", "76", "77", "78", "79")
OTHER_RESOURCE_LINES = OTHER_INCOME_LINES
IN_KIND_RESOURCES = "87"
LEGACY_LINES = {"Autres": "Autres établissements publics"}  # a version-1 Paramètres line
TOLERANCE = 0.5  # euros


def form_line(compte) -> str | None:
    """The line of the form a Budget `Compte` lands on: the class ("60".."69") for a charge, "860"/"861"/
    "862"/"864" for an in-kind use (a bare or unknown 86 stays "86"), "CI" for an indirect charge;
    None when the Compte is not one of the form's accounts."""
    if compte is None:
        return None
    code = str(compte).strip().upper()
    if code == INDIRECT:
        return INDIRECT
    if not code.isdigit() or len(code) < 2:
        return None
    if code.startswith(IN_KIND_CHARGES):
        return code[:3] if code[:3] in IN_KIND_CHARGE_LINES else IN_KIND_CHARGES
    return code[:2] if code.startswith("6") else None


def is_charge(compte) -> bool:
    """A charge of the action (60..69 or an allocated indirect charge), not an in-kind use."""
    line = form_line(compte)
    return line in CHARGE_ACCOUNTS or line == INDIRECT


def is_in_kind(compte) -> bool:
    line = form_line(compte)
    return line is not None and line.startswith(IN_KIND_CHARGES)


def funder_line(params, funder) -> str | None:
    """A funder's line of the form, as Paramètres gives it (a version-1 « Autres » read as its successor)."""
    if funder is None:
        return None
    line = params.funders.get(funder)
    return LEGACY_LINES.get(line, line)


def _amount(v) -> float:
    return float(v) if v is not None and v == v else 0.0


def counted_amount(status, requested, granted) -> float:
    """Accordé/Versé count the granted amount, Demandé the requested one, Refusé nothing (the Prévu)."""
    if status in ("Accordé", "Versé"):
        return _amount(granted)
    if status == "Demandé":
        return _amount(requested)
    return 0.0


def granted_amount(status, granted) -> float:
    """What was granted for the year (the Réalisé of a resource): the decision, never the cash received."""
    return _amount(granted) if status in ("Accordé", "Versé") else 0.0


def funding_with_lines(financements: pd.DataFrame, params) -> pd.DataFrame:
    """Financements rows with `line` (budget-form line), `counted` (Prévu) and `realised` (granted)."""
    out = financements.copy()
    out["line"] = out["funder"].map(lambda f: funder_line(params, f))
    out["counted"] = [counted_amount(s, r, g) for s, r, g in zip(out["status"], out["requested"], out["granted"])]
    out["realised"] = [granted_amount(s, g) for s, g in zip(out["status"], out["granted"])]
    return out


def _rows_by_year_and_action(frame: pd.DataFrame) -> dict[tuple[int, str], list[int]]:
    """(year, action) -> positions of its rows, in order; a row without both, or of a fractional year, is in none."""
    groups: dict[tuple[int, str], list[int]] = {}
    for pos, (y, a) in enumerate(zip(frame["year"], frame["action"])):
        if y is not None and a is not None and y == y and y == int(y):
            groups.setdefault((int(y), a), []).append(pos)
    return groups


def _sum(amounts: list[float], positions: list[int], counts: list[bool]) -> float:
    """The sum of the counted rows among positions, added in numpy's order as pandas' Series.sum does."""
    kept = [amounts[p] for p in positions if counts[p]]
    return float(np.array(kept, dtype=float).sum()) if kept else 0.0


def balances(budget: pd.DataFrame, financements: pd.DataFrame, params) -> list[dict]:
    """Per (year, action): charges (60–69 and indirect) vs produits (every line but 87), and 86 vs 87."""
    funding = funding_with_lines(financements, params)
    lines = [form_line(c) for c in budget["account"]]
    planned = [_amount(v) for v in budget["planned"]]
    is_charge_row = [line in CHARGE_ACCOUNTS or line == INDIRECT for line in lines]
    is_in_kind_row = [line is not None and line.startswith(IN_KIND_CHARGES) for line in lines]
    resources = set(SUBSIDY_LINES + OTHER_INCOME_LINES)
    counted = [float(v) for v in funding["counted"]]
    is_resource_row = [line in resources for line in funding["line"]]
    is_in_kind_resource_row = [line == IN_KIND_RESOURCES for line in funding["line"]]
    by_budget, by_funding = _rows_by_year_and_action(budget), _rows_by_year_and_action(funding)
    result = []
    for year, action in sorted(by_budget.keys() | by_funding.keys()):
        b, f = by_budget.get((year, action), []), by_funding.get((year, action), [])
        charges, in_kind = _sum(planned, b, is_charge_row), _sum(planned, b, is_in_kind_row)
        produits, in_kind_res = _sum(counted, f, is_resource_row), _sum(counted, f, is_in_kind_resource_row)
        result.append(
            {
                "year": year,
                "action": action,
                "charges": charges,
                "produits": produits,
                "in_kind_charges": in_kind,
                "in_kind_resources": in_kind_res,
                "balanced": abs(charges - produits) <= TOLERANCE and abs(in_kind - in_kind_res) <= TOLERANCE,
                "budget_rows": list(budget.index[b]),
                "funding_rows": list(funding.index[f]),
            }
        )
    return result
