"""Budget: one row per planned expense (charges of the subsidy budget form)."""

from igloo_xl.schemas.base import INTEGER, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema
from igloo_xl.schemas.lists import ACCOUNTS, ACTIONS

COLUMNS = (
    Col("year", "Année", INTEGER, required=True, width=8),
    Col("action", "Action", LIST, required=True, choices=ACTIONS, width=24),
    Col("account", "Compte", LIST, required=True, choices=ACCOUNTS, width=9),
    Col("label", "Libellé", TEXT, required=True, width=36),
    Col("planned", "Prévu (€)", NUMBER, required=True, width=14),
    Col("actual", "Réalisé (€)", NUMBER, width=14),
)


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "year": [between("year", lo=2000, hi=2100, bounds="entre 2000 et 2100")],
            "planned": [between("planned", lo=0, bounds="≥ 0")],
            "actual": [between("actual", lo=0, bounds="≥ 0")],
        },
    )


SHEET = Sheet("Budget", COLUMNS, schema)
