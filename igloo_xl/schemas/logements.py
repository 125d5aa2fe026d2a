"""Logements: one row per dwelling."""

from igloo_xl.schemas.base import DATE, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, not_before, unique
from igloo_xl.schemas.lists import DWELLING_TYPES, OPERATIONS, QUARTERS, TYPOLOGIES

COLUMNS = (
    Col("id", "ID logement", TEXT, required=True, width=13),
    Col("landlord", "Bailleur", TEXT, required=True, width=22),
    Col("address", "Adresse", TEXT, required=True, width=30),
    Col("quarter", "Quartier", LIST, required=True, choices=QUARTERS, width=15),
    Col("type", "Type", LIST, required=True, choices=DWELLING_TYPES, width=12),
    Col("operation", "Opération", LIST, required=True, choices=OPERATIONS, width=24),
    Col("typology", "Typologie", LIST, choices=TYPOLOGIES, width=10),
    Col("surface", "Surface habitable (m²)", NUMBER, width=12),
    Col("rent", "Loyer mensuel (€)", NUMBER, width=12),
    Col("works_start", "Début des travaux", DATE, width=14),
    Col("works_end", "Fin des travaux", DATE, width=14),
)


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "id": [unique("id")],
            "surface": [between("surface", lo=0, hi=300, lo_strict=True, bounds="> 0 et ≤ 300")],
            "rent": [between("rent", lo=0, bounds="≥ 0")],
        },
        [not_before("works_end", "works_start")],
    )


SHEET = Sheet("Logements", COLUMNS, schema)
