"""domain.figures: the hours declared per month, summed without the Parcours join, are the sums of
`monthly_statements` (the definition the clause schedules use), rows left out included."""

import datetime as dt

from conftest import set_cell
from igloo_xl.domain.figures import dashboard_figures, declared_by_month
from igloo_xl.domain.hours import monthly_statements
from igloo_xl.model.master import from_raw


def _by_month_from_statements(master) -> dict:
    statements = monthly_statements(master)
    return statements.groupby("month")["hours"].sum().to_dict() if len(statements) else {}


def test_declared_by_month_is_the_statements_sum_on_the_sample(raw):
    master = from_raw(raw)
    declared = declared_by_month(master)
    assert declared and declared == _by_month_from_statements(master)
    assert all(day.day == 1 for day in declared)


def test_declared_by_month_leaves_out_the_rows_statements_leave_out(raw):
    set_cell(raw, "Heures", "B2", "")  # no family
    set_cell(raw, "Heures", "C3", "")  # no lot
    set_cell(raw, "Heures", "A4", dt.date(2009, 10, 17))  # a day inside the month: counted in its month
    set_cell(raw, "Heures", "D5", 2.5)
    master = from_raw(raw)
    assert declared_by_month(master) == _by_month_from_statements(master)


def test_hours_by_month_are_the_declared_hours(raw):
    master = from_raw(raw)
    figures = dashboard_figures(master, dt.date(2026, 11, 24))
    declared = _by_month_from_statements(master)
    shown = {day: done for day, _, done in figures.hours_by_month if done is not None}
    assert shown == declared


def test_decimal_hours_add_up_as_the_statements_do(raw):
    """Ten tenths of an hour in one month: 1.0 as pandas sums the statements, not 0.9999999999999999."""
    for row in range(2, 12):  # the eight statements of October 2009, and two of November moved into it
        set_cell(raw, "Heures", f"A{row}", dt.date(2009, 10, 1))
        set_cell(raw, "Heures", f"D{row}", 0.1)
    master = from_raw(raw)
    declared = declared_by_month(master)
    assert declared[dt.date(2009, 10, 1)] == _by_month_from_statements(master)[dt.date(2009, 10, 1)] == 1.0
