"""Bailleurs: one row per social landlord."""

from igloo_xl.schemas.base import DATE, INTEGER, TEXT, Col, Context, Sheet, between, build_schema, pattern, unique

COLUMNS = (
    Col("name", "Bailleur", TEXT, required=True, width=24),
    Col("contact", "Référent", TEXT, width=22),
    Col("email", "Courriel", TEXT, width=28),
    Col("committed_on", "Date d'engagement", DATE, width=14),
    Col("committed_dwellings", "Logements engagés", INTEGER, width=12),
)

EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "name": [unique("name")],
            "email": [pattern("email", EMAIL, "une adresse électronique, par exemple nom@bailleur.fr")],
            "committed_dwellings": [between("committed_dwellings", lo=0, bounds="≥ 0")],
        },
    )


SHEET = Sheet("Bailleurs", COLUMNS, schema)
