"""Heures: one row per beneficiary, lot and month (the firms' monthly statements of insertion hours)."""

import pandas as pd

from igloo_xl.read.text import fold, fold_values
from igloo_xl.schemas.base import DATE, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, row_check
from igloo_xl.schemas.lists import PROOFS

MAX_MONTHLY_HOURS = 200

COLUMNS = (
    Col("month", "Mois", DATE, required=True, width=12, note="N'importe quel jour du mois, ex. 01/03/2010 : seul le mois compte"),
    Col("family", "ID famille", TEXT, required=True, width=12, note="La famille doit avoir une ligne Parcours sur ce lot"),
    Col("lot", "ID lot", TEXT, required=True, width=12, note="Un lot d'insertion de la feuille Lots"),
    Col("hours", "Heures réalisées", NUMBER, required=True, width=12, note="Heures du mois selon le relevé de l'entreprise"),
    Col("company", "Entreprise", TEXT, width=26),
    Col("proof", "Justificatif", LIST, choices=PROOFS, width=30),
)


def month_key(value) -> tuple[int, int] | None:
    return (value.year, value.month) if value is not None and hasattr(value, "month") else None


def _statement_keys(df: pd.DataFrame) -> list:
    """(month, family, lot) of each row, folded; None where one of them is empty."""
    return [
        (month_key(m), f, l) if m is not None and f is not None and l is not None else None
        for m, f, l in zip(df["month"], fold_values(df["family"]), fold_values(df["lot"]))
    ]


def _statements(df: pd.DataFrame) -> tuple[dict, list]:
    """(month, family, lot) -> Excel row of its first statement, and the rows that repeat one. Computed
    once per frame: the check and each duplicate's details ask."""
    global _memo
    if _memo is not None and _memo[0] is df:
        return _memo[1]
    first: dict = {}
    repeated = []
    for row, key in zip(df.index, _statement_keys(df)):
        if key is None:
            continue
        if key in first:
            repeated.append(row)
        else:
            first[key] = row
    _memo = (df, (first, repeated))
    return first, repeated


_memo: tuple[pd.DataFrame, tuple[dict, list]] | None = None


def _first_of_duplicates(df: pd.DataFrame) -> pd.Series:
    return pd.Series(~df.index.isin(_statements(df)[1]), index=df.index)


def _first_row(df: pd.DataFrame, row: int, ctx) -> dict:
    key = (month_key(df.at[row, "month"]), fold(df.at[row, "family"]), fold(df.at[row, "lot"]))
    return {"first_row": _statements(df)[0].get(key, row)}


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {"hours": [between("hours", lo=0, hi=MAX_MONTHLY_HOURS, bounds=f"≥ 0 et ≤ {MAX_MONTHLY_HOURS} heures dans un mois")]},
        [
            row_check("duplicate", "month", _first_of_duplicates, uses=("family", "lot"), variant="statement", details=_first_row),
        ],
    )


SHEET = Sheet("Heures", COLUMNS, schema, since=2)
