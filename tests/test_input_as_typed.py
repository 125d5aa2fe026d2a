"""Input as staff type it is valid input: French numbers, text dates, case, spaces, title rows,
blank rows, extra columns, headers with other apostrophes."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import set_cell
from igloo_xl.model.master import from_raw
from igloo_xl.validation.engine import validate
from igloo_xl.read.values import Unreadable, parse_date, parse_number, parse_percent

TODAY = dt.date(2026, 11, 24)


def check(raw):
    master = from_raw(raw)
    return master, validate(master, TODAY).findings


@pytest.mark.parametrize("typed,expected", [
    (1234.5, 1234.5), ("1 234,50", 1234.5), ("1234,5 €", 1234.5), ("1\u202f234,50 €", 1234.5),
    ("1.234,50", 1234.5), ("12", 12.0), ("-3,5", -3.5), (" 7 ", 7.0),
])
def test_numbers(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "12 h", "", None])
def test_not_numbers(typed):
    if typed in ("", None):
        assert parse_number(typed) is None
    else:
        with pytest.raises(Unreadable):
            parse_number(typed)


@pytest.mark.parametrize("typed", [0.125, "12,5 %", "12,5", "12.5%", 12.5])
def test_percentages_are_one_value(typed):
    assert parse_percent(typed) == pytest.approx(0.125)


@pytest.mark.parametrize("typed", [dt.date(2009, 3, 15), dt.datetime(2009, 3, 15, 0, 0), "15/03/2009", "2009-03-15", "15/3/2009", 39887])
def test_dates(typed):
    assert parse_date(typed) == dt.date(2009, 3, 15)


def test_staff_typing_is_read_as_values(raw):
    set_cell(raw, "Familles", "E2", "1 234,50 €")
    set_cell(raw, "Familles", "F2", "  relogée ")  # case, accents, spaces
    set_cell(raw, "Familles", "G2", "01/03/2009")
    set_cell(raw, "Lots", "H2", "25 %")
    set_cell(raw, "Lots", "E2", "oui")
    set_cell(raw, "Financements", "A2", "etat / camsa")
    set_cell(raw, "Budget", "C2", 60.0)
    master, found = check(raw)
    assert found == []
    fam = master.sheets["Familles"].frame
    assert fam.at[2, "income"] == 1234.5 and fam.at[2, "status"] == "Relogée"
    assert master.sheets["Financements"].frame.at[2, "funder"] == "État / CAMSA"


def test_title_rows_blank_rows_extra_columns_and_loose_headers(raw):
    rows = raw.sheets["Familles"].rows
    width = len(rows[0])
    header = ["  id FAMILLE ", *rows[0][1:]]
    header[10] = "Date d’entrée"  # typographic apostrophe
    body = [r + ["note libre"] for r in rows[1:]]
    body.insert(3, [""] * (width + 1))  # a blank row in the middle
    raw.sheets["Familles"].rows = [["Suivi des familles IGLOO"], [""], header + ["Remarques"], *body]
    master, found = check(raw)
    assert found == []
    data = master.sheets["Familles"]
    assert data.header_row == 3 and data.letters["entry_on"] == "K"
    assert list(data.frame.index[:4]) == [4, 5, 6, 8]  # row 7 is blank, skipped, not reported


def test_header_beyond_row_ten_is_missing(raw):
    rows = raw.sheets["Calendrier"].rows
    raw.sheets["Calendrier"].rows = [[""]] * 10 + rows
    _, found = check(raw)
    assert {(f.sheet, f.code) for f in found} == {("Calendrier", "missing-column")}


family_rows = st.fixed_dictionaries({
    "adults": st.integers(1, 9),
    "children": st.integers(0, 12),
    "income": st.one_of(st.none(), st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 2))),
    "income_text": st.booleans(),
    "status": st.sampled_from(["Candidate", "sélectionnée", "RELOGÉE", "Sortie"]),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(family_rows, min_size=1, max_size=8))
def test_valid_generated_families_give_no_finding(sample_raw, rows):
    """Valid families (any status, with what that status requires) appended to the sample stay clean."""
    import copy

    raw = copy.deepcopy(sample_raw)
    grid = raw.sheets["Familles"].rows
    logements = raw.sheets["Logements"].rows
    for i, r in enumerate(rows):
        fid, did = f"F{900 + i}", f"LX{i}"
        status = r["status"]
        housed = status.lower().startswith(("s\u00e9l", "rel"))
        income = r["income"]
        if income is not None and r["income_text"]:
            income = f"{income:,.2f}".replace(",", " ").replace(".", ",") + " €"
        grid.append([fid, f"Famille Test {i}", r["adults"], r["children"], income, status,
                     "" if status == "Candidate" else "15/03/2009", did if housed else "",
                     "Prénom Test" if housed else "", "", "2010-12-01" if status == "RELOGÉE" else ""])
        if housed:
            logements.append([did, "NLE", "1 rue Test", "Autre", "Collectif", "Réhabilitation", "T3", 50, 300,
                              dt.date(2010, 1, 1), dt.date(2010, 6, 1)])
    raw.sheets["Bailleurs"].rows[3][4] = 99  # NLE's engagement covers the added dwellings
    _, found = check(raw)
    assert found == []


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)), st.sampled_from(["", " €", "€"]))
def test_french_formatted_numbers_read_back(value, suffix):
    typed = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + suffix
    assert parse_number(typed) == pytest.approx(value)


lot_rows = st.fixed_dictionaries({
    "trade": st.sampled_from(["Peinture – revêtements", "plâtrerie – ISOLATION", "Électricité", "Menuiseries"]),
    "insertion": st.sampled_from(["Oui", "non", "OUI"]),
    "amount": st.floats(100, 500_000, allow_nan=False).map(lambda x: round(x, 2)),
    "labour": st.one_of(st.none(), st.floats(0.01, 1, allow_nan=False), st.integers(2, 100).map(lambda x: f"{x} %")),
    "insertion_rate": st.one_of(st.none(), st.floats(0, 1, allow_nan=False)),
    "cost": st.one_of(st.none(), st.floats(5, 200, allow_nan=False)),
    "days": st.integers(0, 40),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(lot_rows, min_size=1, max_size=6))
def test_valid_generated_lots_give_no_finding(sample_raw, rows):
    """Valid lots on dwelling L01 (within its works period), hours left empty: no finding."""
    import copy

    raw = copy.deepcopy(sample_raw)
    grid = raw.sheets["Lots"].rows
    for i, r in enumerate(rows):
        start = dt.date(2009, 10, 1) + dt.timedelta(days=r["days"])
        grid.append([f"LX-{i}", "L01", r["trade"], "Entreprise Test", r["insertion"], r["amount"],
                     "" if r["labour"] is None else r["labour"], "" if r["insertion_rate"] is None else r["insertion_rate"],
                     "" if r["cost"] is None else r["cost"], "", start, start + dt.timedelta(days=30)])
    _, found = check(raw)
    # a large non-insertion lot can bring the whole programme under the ANRU charter: a programme-wide warning
    assert [f for f in found if f.code != "insertion-below-charter"] == []
