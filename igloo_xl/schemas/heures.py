"""Heures: one row per beneficiary, lot and month (the firms' monthly statements of insertion hours)."""

import pandas as pd

from igloo_xl.read.text import fold
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


def _first_of_duplicates(df: pd.DataFrame) -> pd.Series:
    keys = [
        (month_key(m), fold(f), fold(l)) if m is not None and f is not None and l is not None else None
        for m, f, l in zip(df["month"], df["family"], df["lot"])
    ]
    seen, ok = set(), []
    for key in keys:
        ok.append(key is None or key not in seen)
        if key is not None:
            seen.add(key)
    return pd.Series(ok, index=df.index)


def _first_row(df: pd.DataFrame, row: int, ctx) -> dict:
    key = (month_key(df.at[row, "month"]), fold(df.at[row, "family"]), fold(df.at[row, "lot"]))
    for r, m, f, l in zip(df.index, df["month"], df["family"], df["lot"]):
        if m is not None and f is not None and l is not None and (month_key(m), fold(f), fold(l)) == key:
            return {"first_row": r}
    return {"first_row": row}


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
