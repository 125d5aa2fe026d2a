"""Parcours: one row per action of a family member's insertion pathway."""

from igloo_xl.schemas.base import DATE, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, not_before, required_when
from igloo_xl.schemas.lists import FULFILMENT_MODES, PATHWAY_ACTIONS

COLUMNS = (
    Col("family", "ID famille", TEXT, required=True, width=12),
    Col("beneficiary", "Bénéficiaire", TEXT, required=True, width=20),
    Col("action", "Action", LIST, required=True, choices=PATHWAY_ACTIONS, width=20),
    Col("partner", "Partenaire", LIST, required=True, choices_from="partners", width=18),
    Col("lot", "ID lot", TEXT, width=12),
    Col("start", "Début", DATE, required=True, width=12),
    Col("end", "Fin", DATE, width=12),
    Col("hours_planned", "Heures prévues", NUMBER, width=11),
    Col("hours_done", "Heures réalisées", NUMBER, width=11,
        note="Calculé depuis la feuille Heures quand elle a des lignes pour ce bénéficiaire et ce lot"),
    Col("mode", "Mode de réalisation", LIST, choices=FULFILMENT_MODES, width=26, since=2,
        note="Obligatoire pour un Contrat d'insertion"),  # rule in validation/cross_rules.follow_up
    Col("public", "Public", LIST, choices_from="publics", width=30, since=2,
        note="Public éligible (liste dans Paramètres) ; obligatoire pour un Contrat d'insertion"),
)

CONTRACT = "Contrat d'insertion"


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "hours_planned": [between("hours_planned", lo=0, bounds="≥ 0")],
            "hours_done": [between("hours_done", lo=0, bounds="≥ 0")],
        },
        [
            required_when("lot", lambda df: df["action"] == CONTRACT, "l'action est un Contrat d'insertion", uses=("action",)),
            not_before("end", "start"),
        ],
    )


SHEET = Sheet("Parcours", COLUMNS, schema)
