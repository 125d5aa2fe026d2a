"""Familles: one row per family. Référence is personal data: never exported."""

from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, not_before, pattern, required_when, unique
from igloo_xl.schemas.lists import FAMILY_STATUS

COLUMNS = (
    Col("id", "ID famille", TEXT, required=True, width=12, note="F suivi de chiffres, ex. F07"),
    Col("reference", "Référence", TEXT, required=True, width=22, note="Nom d'usage : donnée personnelle, jamais exportée"),
    Col("adults", "Adultes", INTEGER, required=True, width=10),
    Col("children", "Enfants", INTEGER, required=True, width=10),
    Col("income", "Ressources mensuelles (€)", NUMBER, width=16),
    Col("status", "Statut", LIST, required=True, choices=FAMILY_STATUS, width=14),
    Col("selected_on", "Date de sélection", DATE, width=14),
    Col("dwelling", "ID logement", TEXT, width=13),
    Col("member", "Membre en parcours", TEXT, width=20),
    Col("social_worker", "Référent social", TEXT, width=20),
    Col("entry_on", "Date d'entrée", DATE, width=14),
)

HOUSED = ("Sélectionnée", "Relogée")


def schema(ctx: Context):
    not_candidate = lambda df: df["status"].notna() & (df["status"] != "Candidate")
    housed = lambda df: df["status"].isin(HOUSED)
    return build_schema(
        ctx,
        SHEET,
        {
            "id": [unique("id"), pattern("id", r"[Ff]\d+", "F suivi de chiffres, par exemple F07")],
            "adults": [between("adults", lo=1, bounds="≥ 1")],
            "children": [between("children", lo=0, bounds="≥ 0")],
            "income": [between("income", lo=0, bounds="≥ 0")],
        },
        [
            required_when("selected_on", not_candidate, "le statut n'est pas Candidate", uses=("status",)),
            required_when("dwelling", housed, "la famille est Sélectionnée ou Relogée", uses=("status",)),
            required_when("member", housed, "la famille est Sélectionnée ou Relogée", uses=("status",)),
            required_when("entry_on", lambda df: df["status"] == "Relogée", "la famille est Relogée", uses=("status",)),
            not_before("entry_on", "selected_on"),
        ],
    )


SHEET = Sheet("Familles", COLUMNS, schema)
