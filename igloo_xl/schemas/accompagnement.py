"""Accompagnement: one row per meeting with a family or a group."""

from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, TEXT, Col, Context, Sheet, between, build_schema, required_when
from igloo_xl.schemas.lists import MEETING_TYPES, THEMES

COLUMNS = (
    Col("date", "Date", DATE, required=True, width=12),
    Col("family", "ID famille", TEXT, width=12, note="Vide seulement pour une séance de groupe"),
    Col("type", "Type", LIST, required=True, choices=MEETING_TYPES, width=24),
    Col("theme", "Thème", LIST, choices=THEMES, width=22),
    Col("duration", "Durée (h)", NUMBER, width=9),
    Col("attendees", "Participants", INTEGER, width=11, note="Séances de groupe : nombre de personnes présentes", contract=False),
)

GROUP_TYPES = ("Groupe de parole (CSM)", "Atelier conception")


def schema(ctx: Context):
    return build_schema(
        ctx,
        SHEET,
        {
            "duration": [between("duration", lo=0, hi=12, lo_strict=True, bounds="> 0 et ≤ 12")],
            "attendees": [between("attendees", lo=0, bounds="≥ 0")],
        },
        [
            required_when(
                "family",
                lambda df: df["type"].notna() & ~df["type"].isin(GROUP_TYPES),
                "la rencontre n'est pas une séance de groupe",
                uses=("type",),
            )
        ],
    )


SHEET = Sheet("Accompagnement", COLUMNS, schema)
