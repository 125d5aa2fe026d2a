"""How much a funding row and a budget line weigh in the subsidy budget form."""

from __future__ import annotations

import pandas as pd

CHARGE_ACCOUNTS = ("60", "61", "62", "63", "64", "65", "66", "67", "68")
IN_KIND_CHARGES = "86"
SUBSIDY_LINES = ("État", "Région", "Département", "Intercommunalité", "Commune", "Organismes sociaux", "Fonds européens", "Fondations et aides privées", "Autres")
# Until the Cerfa 12156*06 form of contract v2 (helper `forms`), the v2 lines that the v1 table lacks count as "Autres".
V1_TABLE_LINES = {"Autres établissements publics": "Autres", "ASP (emplois aidés)": "Autres"}
OTHER_RESOURCE_LINES = ("70", "73", "75", "76", "77", "78", "79")
INDIRECT = "CI"
IN_KIND_CHARGE_LINES = ("860", "861", "862", "864")
IN_KIND_RESOURCES = "87"
TOLERANCE = 0.5  # euros


def form_line(compte) -> str | None:
    """The budget form's line of a Budget Compte: the class (60…69) for a charge, 860/861/862/864
    for an in-kind row (86 alone stays 86), CI for an indirect charge; None when unreadable."""
    if compte is None:
        return None
    text = str(compte).strip().upper()
    if text == INDIRECT:
        return INDIRECT
    if not text.isdigit() or len(text) < 2:
        return None
    if text.startswith("86"):
        return text[:3] if len(text) >= 3 else "86"
    if text.startswith("6"):
        return text[:2]
    return None


def counted_amount(status, requested, granted) -> float:
    """Accordé/Versé count the granted amount, Demandé the requested one, Refusé nothing."""
    if status in ("Accordé", "Versé"):
        return float(granted) if granted is not None and granted == granted else 0.0
    if status == "Demandé":
        return float(requested) if requested is not None and requested == requested else 0.0
    return 0.0


def funding_with_lines(financements: pd.DataFrame, params) -> pd.DataFrame:
    """Financements rows with `line` (budget-form line) and `counted` (amount that counts)."""
    out = financements.copy()
    out["line"] = out["funder"].map(lambda f: params.funders.get(f) if f is not None else None)
    out["line"] = out["line"].map(lambda line: V1_TABLE_LINES.get(line, line))
    out["counted"] = [counted_amount(s, r, g) for s, r, g in zip(out["status"], out["requested"], out["granted"])]
    return out


def balances(budget: pd.DataFrame, financements: pd.DataFrame, params) -> list[dict]:
    """Per (year, action): charges 60–68 vs produits 70/74/75, and 86 vs 87."""
    funding = funding_with_lines(financements, params)
    keys = set()
    for frame in (budget, funding):
        for y, a in zip(frame["year"], frame["action"]):
            if y is not None and a is not None and y == y:
                keys.add((int(y), a))
    result = []
    for year, action in sorted(keys):
        b = budget[(budget["year"] == year) & (budget["action"] == action)]
        f = funding[(funding["year"] == year) & (funding["action"] == action)]
        lines = b["account"].map(form_line)
        charges = float(b.loc[lines.isin(CHARGE_ACCOUNTS + ("69", INDIRECT)), "planned"].fillna(0).sum())
        in_kind = float(b.loc[lines.map(lambda x: isinstance(x, str) and x.startswith("86")), "planned"].fillna(0).sum())
        produits = float(f.loc[f["line"].isin(SUBSIDY_LINES + OTHER_RESOURCE_LINES), "counted"].sum())
        in_kind_res = float(f.loc[f["line"] == IN_KIND_RESOURCES, "counted"].sum())
        result.append(
            {
                "year": year,
                "action": action,
                "charges": charges,
                "produits": produits,
                "in_kind_charges": in_kind,
                "in_kind_resources": in_kind_res,
                "balanced": abs(charges - produits) <= TOLERANCE and abs(in_kind - in_kind_res) <= TOLERANCE,
                "budget_rows": list(b.index),
                "funding_rows": list(f.index),
            }
        )
    return result
