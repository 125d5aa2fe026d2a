"""Financements: one row per funding request."""

from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, Col, Context, Sheet, between, build_schema, not_above, required_when
from igloo_xl.schemas.lists import ACTIONS, FUNDING_STATUS, SCHEMES

COLUMNS = (
    Col("funder", "Financeur", LIST, required=True, choices_from="funders", width=26),
    Col("scheme", "Dispositif", LIST, required=True, choices=SCHEMES, width=16),
    Col("action", "Action", LIST, required=True, choices=ACTIONS, width=24),
    Col("year", "Année", INTEGER, required=True, width=8),
    Col("requested", "Montant demandé (€)", NUMBER, required=True, width=15),
    Col("granted", "Montant accordé (€)", NUMBER, width=15),
    Col("paid", "Montant versé (€)", NUMBER, width=15),
    Col("status", "Statut", LIST, required=True, choices=FUNDING_STATUS, width=11),
    Col("decided_on", "Date de décision", DATE, width=14),
)


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "year": [between("year", lo=2000, hi=2100, bounds="entre 2000 et 2100")],
            "requested": [between("requested", lo=0, bounds="≥ 0")],
            "granted": [between("granted", lo=0, bounds="≥ 0")],
            "paid": [between("paid", lo=0, bounds="≥ 0")],
        },
        [
            not_above("granted", "requested", "≤ Montant demandé"),
            not_above("paid", "granted", "≤ Montant accordé"),
            required_when(
                "decided_on",
                lambda df: df["status"].notna() & (df["status"] != "Demandé"),
                "le statut n'est pas Demandé",
                uses=("status",),
            ),
        ],
    )


SHEET = Sheet("Financements", COLUMNS, schema)
