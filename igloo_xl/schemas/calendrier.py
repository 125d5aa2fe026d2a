"""Calendrier: one row per milestone of the programme."""

from igloo_xl.schemas.base import DATE, LIST, TEXT, Col, Context, Sheet, build_schema, not_before
from igloo_xl.schemas.lists import CALENDAR_AXES, CALENDAR_STATUS

COLUMNS = (
    Col("step", "Étape", TEXT, required=True, width=50),
    Col("axis", "Axe", LIST, required=True, choices=CALENDAR_AXES, width=24),
    Col("start", "Début", DATE, required=True, width=12),
    Col("end", "Fin", DATE, width=12),
    Col("status", "Statut", LIST, choices=CALENDAR_STATUS, width=11),
)


def schema(ctx: Context):
    return build_schema(ctx, SHEET, frame=[not_before("end", "start")])


SHEET = Sheet("Calendrier", COLUMNS, schema)
