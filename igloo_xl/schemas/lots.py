"""Lots: one row per works lot of a dwelling's tender."""

import numpy as np
import pandas as pd

from igloo_xl.domain.hours import lot_terms
from igloo_xl.schemas.base import DATE, LIST, NUMBER, PERCENT, TEXT, YESNO, Col, Context, Sheet, between, build_schema, not_before, required_when, row_check, unique

COLUMNS = (
    Col("id", "ID lot", TEXT, required=True, width=12),
    Col("dwelling", "ID logement", TEXT, required=True, width=13),
    Col("trade", "Corps d'état", LIST, required=True, choices_from="trades", width=24),
    Col("firm", "Entreprise", TEXT, width=24),
    Col("insertion", "Lot d'insertion", YESNO, required=True, choices=("Oui", "Non"), width=10),
    Col("amount", "Montant HT (€)", NUMBER, required=True, width=14),
    Col("labour_rate", "Taux de main-d'œuvre (%)", PERCENT, width=13, note="Vide = taux du corps d'état dans Paramètres"),
    Col("insertion_rate", "Taux d'insertion (%)", PERCENT, width=12, note="Vide = taux par défaut dans Paramètres"),
    Col("hourly_cost", "Coût horaire (€)", NUMBER, width=12, note="Vide = coût horaire par défaut dans Paramètres"),
    Col("hours", "Heures d'insertion", NUMBER, width=12, note="Formule du contrat ; un nombre saisi à la place est comparé au calcul"),
    Col("start", "Début", DATE, width=12),
    Col("end", "Fin", DATE, width=12),
)


def schema(ctx: Context):
    def hours_match(df: pd.DataFrame) -> pd.Series:
        computed = lot_terms(df, ctx.params)["hours"]
        typed = df["hours"]
        both = (typed.notna() & computed.notna()).to_numpy()
        res = np.ones(len(df), dtype=bool)
        res[both] = np.abs(typed.to_numpy()[both].astype(float) - computed.to_numpy()[both].astype(float)) <= 1
        # a formula's result is Excel's computation, not a value someone typed: only typed hours are compared
        res[df.index.isin([row for key, row in ctx.formulas if key == "hours"])] = True
        return pd.Series(res, index=df.index)

    started = lambda df: pd.Series([d is not None and d <= ctx.today for d in df["start"]], index=df.index, dtype=bool)
    return build_schema(
        ctx,
        SHEET,
        {
            "id": [unique("id")],
            "amount": [between("amount", lo=0, lo_strict=True, bounds="> 0")],
            "labour_rate": [between("labour_rate", lo=0, hi=1, lo_strict=True, bounds="> 0 % et ≤ 100 %")],
            "insertion_rate": [between("insertion_rate", lo=0, hi=1, bounds="entre 0 % et 100 %")],
            "hourly_cost": [between("hourly_cost", lo=0, lo_strict=True, bounds="> 0")],
            "hours": [between("hours", lo=0, bounds="≥ 0")],
        },
        [
            required_when("firm", started, "le lot a commencé (Début passé)", uses=("start",)),
            not_before("end", "start"),
            row_check(
                "inconsistent",
                "hours",
                hours_match,
                uses=("amount", "labour_rate", "insertion_rate", "hourly_cost", "insertion", "trade"),
                severity="warning",
                variant="hours",
                details=lambda df, row, ctx: {"computed": lot_terms(df.loc[[row]], ctx.params)["hours"].iloc[0]},
            ),
        ],
    )


SHEET = Sheet("Lots", COLUMNS, schema)
