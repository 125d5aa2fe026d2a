"""Heures: one row per beneficiary, lot and month (the firms' monthly statements of insertion hours)."""

import weakref

import numpy as np
import pandas as pd

from igloo_xl.read.text import fold_codes
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


def _statements(df: pd.DataFrame) -> dict:
    """Excel row of each statement that repeats an earlier one (same month, family and lot) -> the row of
    that first statement. Computed once per frame: the check and each duplicate's details ask."""
    global _memo
    if _memo is not None and _memo[0]() is df:
        return _memo[1]
    # whole columns as integer codes: a month as year × 12 + month, a family and a lot by their folded ID
    months = np.array([-1 if m is None else m.year * 12 + m.month if hasattr(m, "month") else -2 for m in df["month"]],
                      dtype=np.int64)
    families, lots = fold_codes(df["family"])[0], fold_codes(df["lot"])[0]
    given = np.flatnonzero((months != -1) & (families >= 0) & (lots >= 0))
    keys = pd.DataFrame({"month": months[given], "family": families[given], "lot": lots[given]})
    group = keys.groupby(["month", "family", "lot"], sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1][group]  # position in `given` of each one's first statement
    rows = df.index.to_numpy()[given]
    repeats = {int(rows[i]): int(rows[first[i]]) for i in np.flatnonzero(first != np.arange(len(given)))}
    _memo = (weakref.ref(df), repeats)  # weak: the frame is freed with its master (the Excel process lives on)
    return repeats


_memo: tuple[weakref.ref, dict] | None = None


def _first_of_duplicates(df: pd.DataFrame) -> pd.Series:
    return pd.Series(~df.index.isin(list(_statements(df))), index=df.index)


def _first_row(df: pd.DataFrame, row: int, ctx) -> dict:
    return {"first_row": _statements(df).get(row, row)}


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
