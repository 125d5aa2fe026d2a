"""Each rule of the contract, planted in the sample, is reported on its cell with its code."""

import datetime as dt

import pytest

from conftest import set_cell
from igloo_xl.model.master import from_raw
from igloo_xl.validation.engine import validate

TODAY = dt.date(2026, 11, 24)


def findings_of(raw):
    return validate(from_raw(raw), TODAY).findings


def where(findings):
    return {(f.sheet, f.cell, f.code, f.severity) for f in findings}


def test_sample_is_clean(sample_raw):
    assert findings_of(sample_raw) == []


CASES = [
    # Familles
    ("Familles", "A3", "F01", "duplicate", "error"),
    ("Familles", "A3", "X12", "bad-format", "error"),
    ("Familles", "B3", None, "required", "error"),
    ("Familles", "C3", 0, "out-of-range", "error"),
    ("Familles", "C3", "deux", "not-a-number", "error"),
    ("Familles", "C3", "1,5", "not-a-number", "error"),
    ("Familles", "D3", -1, "out-of-range", "error"),
    ("Familles", "E3", -10, "out-of-range", "error"),
    ("Familles", "F3", "Partie", "not-in-list", "error"),
    ("Familles", "G3", None, "required", "error"),
    ("Familles", "G3", "31/02/2009", "not-a-date", "error"),
    ("Familles", "H3", None, "required", "error"),
    ("Familles", "H3", "L99", "unknown-reference", "error"),
    ("Familles", "H3", "L01", "duplicate", "error"),
    ("Familles", "I3", None, "required", "error"),
    ("Familles", "K3", None, "required", "error"),
    ("Familles", "K3", dt.date(2010, 1, 1), "date-order", "error"),
    # Logements
    ("Logements", "A3", "L01", "duplicate", "error"),
    ("Logements", "B3", "Bailleur inconnu", "unknown-reference", "error"),
    ("Logements", "C3", "  ", "required", "error"),
    ("Logements", "D3", "Centre", "not-in-list", "error"),
    ("Logements", "E3", "Maison", "not-in-list", "error"),
    ("Logements", "F3", "Démolition", "not-in-list", "error"),
    ("Logements", "G3", "T9", "not-in-list", "error"),
    ("Logements", "H3", 0, "out-of-range", "error"),
    ("Logements", "H3", 301, "out-of-range", "error"),
    ("Logements", "I3", -5, "out-of-range", "error"),
    ("Logements", "K3", dt.date(2009, 1, 1), "date-order", "error"),
    # Bailleurs
    ("Bailleurs", "A3", "Habitat & Humanisme", "duplicate", "error"),
    ("Bailleurs", "C3", "pas-une-adresse", "bad-format", "error"),
    ("Bailleurs", "E3", -1, "out-of-range", "error"),
    ("Bailleurs", "E3", 1, "inconsistent", "warning"),
    # Lots
    ("Lots", "A3", "L01-1", "duplicate", "error"),
    ("Lots", "B3", "L99", "unknown-reference", "error"),
    ("Lots", "C3", "Couverture", "not-in-list", "error"),
    ("Lots", "D3", None, "required", "error"),
    ("Lots", "E3", "Peut-être", "not-in-list", "error"),
    ("Lots", "F3", 0, "out-of-range", "error"),
    ("Lots", "G3", 0, "out-of-range", "error"),
    ("Lots", "H3", "150 %", "out-of-range", "error"),
    ("Lots", "I3", 0, "out-of-range", "error"),
    ("Lots", "J3", 999, "inconsistent", "warning"),
    ("Lots", "L3", dt.date(2009, 1, 1), "date-order", "error"),
    ("Lots", "L3", dt.date(2011, 6, 1), "date-order", "warning"),
    # Parcours
    ("Parcours", "A3", "F99", "unknown-reference", "error"),
    ("Parcours", "B3", None, "required", "error"),
    ("Parcours", "C3", "Bénévolat", "not-in-list", "error"),
    ("Parcours", "D3", "Inconnu", "not-in-list", "error"),
    ("Parcours", "F3", None, "required", "error"),
    ("Parcours", "G3", dt.date(2000, 1, 1), "date-order", "error"),
    ("Parcours", "H3", -3, "out-of-range", "error"),
    ("Parcours", "I3", "beaucoup", "not-a-number", "error"),
    # Financements
    ("Financements", "A3", "Banque inconnue", "not-in-list", "error"),
    ("Financements", "B3", "PLAI", "not-in-list", "error"),
    ("Financements", "C3", "Loisirs", "not-in-list", "error"),
    ("Financements", "D3", 1999, "out-of-range", "error"),
    ("Financements", "E3", None, "required", "error"),
    ("Financements", "F3", 999999, "out-of-range", "error"),
    ("Financements", "G3", 999999, "out-of-range", "error"),
    ("Financements", "H3", "Perdu", "not-in-list", "error"),
    ("Financements", "I3", None, "required", "error"),
    # Budget
    ("Budget", "A3", "deux mille", "not-a-number", "error"),
    ("Budget", "B3", "Loisirs", "not-in-list", "error"),
    ("Budget", "C3", 71, "bad-format", "error"),  # contract v2: 60…69, 86, their sub-accounts or CI
    ("Budget", "D3", None, "required", "error"),
    ("Budget", "E3", -1, "out-of-range", "error"),
    ("Budget", "F3", -1, "out-of-range", "error"),
    # Calendrier
    ("Calendrier", "A3", None, "required", "error"),
    ("Calendrier", "B3", "Divers", "not-in-list", "error"),
    ("Calendrier", "C3", "bientôt", "not-a-date", "error"),
    ("Calendrier", "D3", dt.date(2008, 1, 1), "date-order", "error"),
    ("Calendrier", "E3", "Annulé", "not-in-list", "error"),
    # Accompagnement
    ("Accompagnement", "A3", None, "required", "error"),
    ("Accompagnement", "B3", None, "required", "error"),
    ("Accompagnement", "B3", "F99", "unknown-reference", "error"),
    ("Accompagnement", "C3", "Appel", "not-in-list", "error"),
    ("Accompagnement", "D3", "Sport", "not-in-list", "error"),
    ("Accompagnement", "E3", 13, "out-of-range", "error"),
    ("Accompagnement", "E3", 0, "out-of-range", "error"),
]


@pytest.mark.parametrize("sheet,cell,value,code,severity", CASES, ids=[f"{c[0]}!{c[1]}={c[2]!r}->{c[3]}" for c in CASES])
def test_planted_error_is_reported_on_its_cell(raw, sheet, cell, value, code, severity):
    set_cell(raw, sheet, cell, value)
    found = where(findings_of(raw))
    assert (sheet, cell, code, severity) in found, sorted(found)


def test_contract_of_insertion_needs_an_insertion_lot(raw):
    # Parcours row 2 is F01's diagnostic; make row 4 (a contract on L01-1) point at L01-3, a non-insertion lot.
    rows = raw.sheets["Parcours"].rows
    r = next(i for i, row in enumerate(rows) if row[2] == "Contrat d'insertion")
    rows[r][4] = "L01-3"
    assert ("Parcours", f"E{r + 1}", "inconsistent", "error") in where(findings_of(raw))


def test_contract_of_insertion_requires_a_lot(raw):
    rows = raw.sheets["Parcours"].rows
    r = next(i for i, row in enumerate(rows) if row[2] == "Contrat d'insertion")
    rows[r][4] = ""
    assert ("Parcours", f"E{r + 1}", "required", "error") in where(findings_of(raw))


def test_lot_on_another_dwelling_is_a_warning(raw):
    rows = raw.sheets["Parcours"].rows
    r = next(i for i, row in enumerate(rows) if row[2] == "Contrat d'insertion" and row[0] == "F01")
    rows[r][4] = "L02-1"
    assert ("Parcours", f"E{r + 1}", "inconsistent", "warning") in where(findings_of(raw))


def test_started_lot_needs_a_firm_but_a_future_one_does_not(raw):
    set_cell(raw, "Lots", "D3", "")
    set_cell(raw, "Lots", "K3", dt.date(2030, 1, 1))
    set_cell(raw, "Lots", "L3", dt.date(2030, 2, 1))
    codes = {(f.cell, f.code) for f in findings_of(raw)}
    assert ("D3", "required") not in codes


def test_unbalanced_budget_is_a_warning_on_the_group(raw):
    set_cell(raw, "Budget", "E2", 99999)
    found = [f for f in findings_of(raw) if f.code == "unbalanced-budget"]
    assert [(f.sheet, f.cell, f.severity) for f in found] == [("Budget", "E2", "warning")]
    assert found[0].params["year"] == 2009 and found[0].params["action"] == "Coordination"


def test_refused_funding_counts_zero(raw):
    # the sample's 2010 CPL request is Refusé: granting it would unbalance the budget only if it counted
    rows = raw.sheets["Financements"].rows
    r = next(i for i, row in enumerate(rows) if row[7] == "Refusé")
    rows[r][4] = 1_000_000
    assert not [f for f in findings_of(raw) if f.code == "unbalanced-budget"]


def test_one_cell_unreadable_hides_nothing_else_in_row_or_column(raw):
    set_cell(raw, "Familles", "C3", "deux")  # unreadable
    set_cell(raw, "Familles", "D3", -1)  # same row
    set_cell(raw, "Familles", "C4", 0)  # same column
    found = where(findings_of(raw))
    assert {("Familles", "C3", "not-a-number", "error"), ("Familles", "D3", "out-of-range", "error"),
            ("Familles", "C4", "out-of-range", "error")} <= found
    assert not any(cell == "C3" and code == "required" for _, cell, code, _ in found)


def test_missing_sheet_and_header_are_findings_and_others_still_validated(raw):
    del raw.sheets["Budget"]
    rows = raw.sheets["Lots"].rows
    rows[0][5] = "Montant"  # required header renamed
    set_cell(raw, "Familles", "C3", 0)
    found = findings_of(raw)
    assert ("Budget", "", "missing-sheet", "error") in where(found)
    assert ("Lots", "", "missing-column", "error") in where(found)
    assert [f.column for f in found if f.code == "missing-column"] == ["Montant HT (€)"]
    assert ("Familles", "C3", "out-of-range", "error") in where(found)


def test_missing_parametres_lists_do_not_flag_every_value(raw):
    del raw.sheets["Paramètres"]
    found = findings_of(raw)
    assert ("Paramètres", "", "missing-sheet", "error") in where(found)
    assert not [f for f in found if f.code == "not-in-list"]


def test_finding_carries_every_field(raw):
    set_cell(raw, "Familles", "C3", "deux")
    f = next(f for f in findings_of(raw) if f.cell == "C3")
    assert f.to_dict() == {
        "severity": "error", "sheet": "Familles", "cell": "C3", "row": 3, "column": "Adultes",
        "value": "deux", "code": "not-a-number", "message": f.message,
    }
    assert f.message and "deux" in f.message


def test_control_characters_do_not_crash(raw):
    set_cell(raw, "Familles", "A3", "F\x0703")
    set_cell(raw, "Familles", "B4", "Famille\x00\x1b Test")
    found = where(findings_of(raw))
    assert ("Familles", "A3", "bad-format", "error") in found
    assert not any(cell == "B4" for _, cell, _, _ in found)


PARAM_CASES = [
    ("Paramètres", "B7", "beaucoup", "not-a-number"),  # default insertion rate
    ("Paramètres", "B8", 0, "out-of-range"),  # default hourly cost
    ("Paramètres", "B8", None, "required"),
    ("Paramètres", "F6", 150, "out-of-range"),  # a trade's labour rate of 150 %
    ("Paramètres", "E6", "Gros œuvre – maçonnerie", "duplicate"),
    ("Paramètres", "M6", "Mairie", "not-in-list"),  # a funder's budget-form line
]


@pytest.mark.parametrize("sheet,cell,value,code", PARAM_CASES, ids=[f"{c[1]}={c[2]!r}->{c[3]}" for c in PARAM_CASES])
def test_parametres_rules(raw, sheet, cell, value, code):
    set_cell(raw, sheet, cell, value)
    assert (sheet, cell, code, "error") in where(findings_of(raw))


def test_parametres_lists_feed_the_rules(raw):
    """A trade added to Paramètres is accepted in Lots; a removed partner is refused in Parcours."""
    set_cell(raw, "Paramètres", "E14", "Couverture – zinguerie")
    set_cell(raw, "Paramètres", "F14", 0.5)
    set_cell(raw, "Lots", "C3", "couverture – ZINGUERIE")
    set_cell(raw, "Paramètres", "I5", "")  # Pôle Emploi no longer a partner
    found = where(findings_of(raw))
    assert not any(cell == "C3" for s, cell, _, _ in found if s == "Lots")
    assert any(s == "Parcours" and code == "not-in-list" for s, _, code, _ in found)
