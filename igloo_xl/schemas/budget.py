"""Budget: one row per planned expense (charges of the subsidy budget form)."""

from igloo_xl.schemas.base import INTEGER, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, pattern
from igloo_xl.schemas.lists import ACCOUNTS, ACTIONS

COLUMNS = (
    Col("year", "Année", INTEGER, required=True, width=8),
    Col("action", "Action", LIST, required=True, choices=ACTIONS, width=24),
    Col("account", "Compte", TEXT, required=True, choices=ACCOUNTS, width=9,  # choices: the dropdown's suggestions
        note="Classe 60 à 69 ou 86, un sous-compte (604, 6226, 861…) ou CI pour une charge indirecte"),
    Col("label", "Libellé", TEXT, required=True, width=36),
    Col("planned", "Prévu (€)", NUMBER, required=True, width=14),
    Col("actual", "Réalisé (€)", NUMBER, width=14),
)

# A class 60…69 or 86, one of its sub-accounts of 3 to 4 digits, or CI (indirect charge).
ACCOUNT = r"(?i)\s*(?:6\d{1,3}|86\d{0,2}|CI)\s*"
ACCOUNT_EXPECTED = "un compte du budget de l'action (60 à 69, 86, un sous-compte comme 604, 6226 ou 861, ou CI pour une charge indirecte)"


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "year": [between("year", lo=2000, hi=2100, bounds="entre 2000 et 2100")],
            "account": [pattern("account", ACCOUNT, ACCOUNT_EXPECTED)],
            "planned": [between("planned", lo=0, bounds="≥ 0")],
            "actual": [between("actual", lo=0, bounds="≥ 0")],
        },
    )


SHEET = Sheet("Budget", COLUMNS, schema)
