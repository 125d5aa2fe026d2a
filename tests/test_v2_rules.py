"""Contract version 2: each new rule, planted in the sample, is reported on its cell with its code;
a version-1 master only gains `upgrade-available`; Paramètres never stops on an Excel error."""

import copy
import datetime as dt
from pathlib import Path

import pytest

from conftest import set_cell
from igloo_xl.domain.hours import hours_done_by_lot, monthly_statements
from igloo_xl.model.master import from_raw
from igloo_xl.read.reader import read_workbook
from igloo_xl.read.values import NOT_COMPUTED
from igloo_xl.validation.engine import validate

TODAY = dt.date(2026, 11, 24)
V1 = Path(__file__).parent / "fixtures" / "v1"
D = dt.date


def findings_of(raw):
    return validate(from_raw(raw), TODAY).findings


def where(findings):
    return {(f.sheet, f.cell, f.code, f.severity) for f in findings}


CASES = [
    # Heures (row 2: F01 on L01-1, October 2009, 34 h)
    ("Heures", "A2", "mars 2010", "not-a-date", "error"),
    ("Heures", "A2", "03/2010", "not-a-date", "error"),
    ("Heures", "A2", None, "required", "error"),
    ("Heures", "B2", "F99", "unknown-reference", "error"),
    ("Heures", "B2", "F02", "inconsistent", "error"),  # F02 has no Parcours row on L01-1
    ("Heures", "C2", "L99", "unknown-reference", "error"),
    ("Heures", "C2", "L01-3", "inconsistent", "error"),  # not an insertion lot
    ("Heures", "D2", 250, "out-of-range", "error"),
    ("Heures", "D2", -3, "out-of-range", "error"),
    ("Heures", "D2", "beaucoup", "not-a-number", "error"),
    ("Heures", "F2", "Facture", "not-in-list", "error"),
    # Mesures (row 2: F01 access 31/03/2009–27/09/2009; row 3: its renewal from 28/09/2009)
    ("Mesures", "A2", "F99", "unknown-reference", "error"),
    ("Mesures", "B2", "Logement", "not-in-list", "error"),
    ("Mesures", "C2", "Inconnu", "not-in-list", "error"),
    ("Mesures", "D2", D(2009, 4, 15), "date-order", "error"),
    ("Mesures", "E2", "bientôt", "not-a-date", "error"),
    ("Mesures", "F2", D(2009, 3, 1), "date-order", "error"),
    ("Mesures", "F2", D(2013, 1, 1), "out-of-range", "error"),
    ("Mesures", "F2", None, "required", "error"),
    ("Mesures", "E3", D(2009, 9, 1), "inconsistent", "error"),  # overlaps row 2
    # Parcours (row 4: F01's contract on L01-1, 68 h in Heures)
    ("Parcours", "J4", None, "required", "error"),
    ("Parcours", "J4", "Intérim", "not-in-list", "error"),
    ("Parcours", "K4", None, "required", "error"),
    ("Parcours", "K4", "Retraité", "not-in-list", "error"),
    ("Parcours", "I4", 50, "inconsistent", "warning"),
    # Budget Compte
    ("Budget", "C2", "70", "bad-format", "error"),
    ("Budget", "C2", "6", "bad-format", "error"),
    ("Budget", "C2", "60412", "bad-format", "error"),
    ("Budget", "C2", "CA", "bad-format", "error"),
    # 86 vs 87 (row 6 is 2009 Coordination's 86 row; the group's first row is 2)
    ("Budget", "E6", 3000, "unbalanced-in-kind", "warning"),
]


@pytest.mark.parametrize("sheet,cell,value,code,severity", CASES, ids=[f"{c[0]}!{c[1]}={c[2]!r}->{c[3]}" for c in CASES])
def test_planted_error_is_reported_on_its_cell(raw, sheet, cell, value, code, severity):
    set_cell(raw, sheet, cell, value)
    found = findings_of(raw)
    expected_cell = "E2" if code == "unbalanced-in-kind" else cell
    assert (sheet, expected_cell, code, severity) in where(found), sorted(where(found))


@pytest.mark.parametrize("account", ["604", "6226", "69", "861", "864", "CI", "ci", 641])
def test_sub_accounts_and_indirect_charges_are_accepted(raw, account):
    set_cell(raw, "Budget", "C2", account)
    assert not [f for f in findings_of(raw) if f.sheet == "Budget" and f.cell == "C2"]


@pytest.mark.parametrize("cell", ["J4", "K4"])
def test_contract_without_statements_only_warns_for_mode_and_public(raw, cell):
    rows = raw.sheets["Heures"].rows
    rows[1:] = [r for r in rows[1:] if r[2] != "L01-1"]  # F01's contract on L01-1 has no statement yet
    set_cell(raw, "Parcours", cell, None)
    assert ("Parcours", cell, "required", "warning") in where(findings_of(raw))


def test_in_kind_gap_is_not_a_budget_gap(raw):
    set_cell(raw, "Budget", "E6", 3000)
    codes = [f.code for f in findings_of(raw)]
    assert "unbalanced-in-kind" in codes and "unbalanced-budget" not in codes


def test_two_statements_for_one_month_family_and_lot(raw):
    set_cell(raw, "Heures", "C3", "L01-1")  # row 3 becomes F01 / L01-1 / October 2009 like row 2
    found = [f for f in findings_of(raw) if f.code == "duplicate"]
    assert [(f.sheet, f.cell) for f in found] == [("Heures", "A3")]
    assert found[0].params["first_row"] == 2


def test_a_repeated_statement_names_the_statement_it_repeats_not_the_first_of_its_month(raw):
    set_cell(raw, "Heures", "B6", "F03")  # row 6 becomes row 5's statement; row 2 is only the same month
    set_cell(raw, "Heures", "C6", "L03-1")
    found = [f for f in findings_of(raw) if f.code == "duplicate"]
    assert [(f.cell, f.params["first_row"]) for f in found] == [("A6", 5)]


def test_mous_over_half_of_the_charges(raw):
    set_cell(raw, "Financements", "E2", 30000)  # État / CAMSA MOUS 2009 Coordination; charges 46 500 €
    set_cell(raw, "Financements", "F2", 30000)
    found = [f for f in findings_of(raw) if f.code == "mous-over-50"]
    assert [(f.sheet, f.cell, f.severity) for f in found] == [("Financements", "F2", "warning")]
    assert (found[0].params["year"], found[0].params["action"], found[0].params["mous"]) == (2009, "Coordination", 30000.0)


def test_mous_of_another_funder_line_is_not_the_state(raw):
    set_cell(raw, "Financements", "A2", "Ville de Mulhouse")  # a Commune, not the State
    set_cell(raw, "Financements", "E2", 30000)
    set_cell(raw, "Financements", "F2", 30000)
    assert not [f for f in findings_of(raw) if f.code == "mous-over-50"]


def test_insertion_below_the_charter(raw):
    rows = raw.sheets["Lots"].rows
    for r in range(1, len(rows)):
        if rows[r][0]:
            rows[r][7] = 0.01  # Taux d'insertion 1 %
            rows[r][9] = ""
    found = [f for f in findings_of(raw) if f.code == "insertion-below-charter"]
    assert [(f.sheet, f.cell, f.severity) for f in found] == [("Lots", "", "warning")]
    assert found[0].params["hours"] < 0.05 * found[0].params["labour"]


def test_sample_meets_the_charter_and_the_mous_share(sample_raw):
    codes = {f.code for f in findings_of(sample_raw)}
    assert not codes & {"insertion-below-charter", "mous-over-50", "unbalanced-in-kind", "upgrade-available"}


# --- version-1 master ---------------------------------------------------------

@pytest.fixture(scope="module")
def v1_raw():
    return read_workbook(V1 / "master_v1.xlsx")


def test_version_1_master_only_gains_upgrade_available(v1_raw):
    found = findings_of(copy.deepcopy(v1_raw))
    assert [(f.code, f.severity, f.cell) for f in found] == [("upgrade-available", "warning", "")]
    assert "igloo-xl upgrade" in found[0].message


def test_version_1_master_keeps_its_findings(v1_raw):
    raw = copy.deepcopy(v1_raw)
    set_cell(raw, "Familles", "C3", 0)
    set_cell(raw, "Logements", "H3", 0)
    assert where(findings_of(raw)) == {
        ("Familles", "C3", "out-of-range", "error"),
        ("Logements", "H3", "out-of-range", "error"),
        (findings_of(copy.deepcopy(v1_raw))[0].sheet, "", "upgrade-available", "warning"),
    }


def test_version_1_funder_line_autres_reads_as_other_public_bodies(v1_raw):
    master = from_raw(copy.deepcopy(v1_raw))
    assert master.params.funders["CDC"] == "Autres établissements publics"
    assert master.params.identity.name == "" and master.params.publics == [] and master.params.penalty_per_hour is None


def test_version_1_hours_come_from_parcours(v1_raw):
    master = from_raw(copy.deepcopy(v1_raw))
    assert monthly_statements(master).empty
    assert list(master.frame("Heures").columns) == ["month", "family", "lot", "hours", "company", "proof"]
    parcours = master.frame("Parcours")
    expected = {}
    for lot, done in zip(parcours["lot"], parcours["hours_done"]):
        if lot is not None and done is not None:
            expected[lot] = expected.get(lot, 0) + done
    assert hours_done_by_lot(master) == expected


# --- domain.hours on the sample -------------------------------------------------

def test_monthly_statements_join_the_pathway(sample_raw):
    master = from_raw(copy.deepcopy(sample_raw))
    statements = monthly_statements(master)
    assert len(statements) == len(master.frame("Heures"))
    assert all(m.day == 1 for m in statements["month"])
    parcours = master.frame("Parcours")
    modes = {(f, l): (m, p) for f, l, m, p in zip(parcours["family"], parcours["lot"], parcours["mode"], parcours["public"]) if l}
    assert all(modes[(f, l)] == (m, p) for f, l, m, p in zip(statements["family"], statements["lot"], statements["mode"], statements["public"]))


def test_hours_done_come_from_heures_when_it_has_rows_for_the_lot(raw):
    rows = raw.sheets["Heures"].rows
    rows[1:] = [r for r in rows[1:] if r[2] != "L01-1"]  # no statement left for L01-1
    set_cell(raw, "Parcours", "I4", 60)  # Parcours says 60 h on L01-1
    for r in rows[1:]:
        if r[2] == "L01-2":
            r[3] = 1.0
    master = from_raw(raw)
    done = hours_done_by_lot(master)
    assert done["L01-1"] == 60
    assert done["L01-2"] == sum(1.0 for r in rows[1:] if r[2] == "L01-2")


# --- Paramètres: an Excel error is a finding on its cell -------------------------

PARAM_CELLS = [
    "A5",  # a setting's name
    "B6",  # Coordonnateur's value
    "B7",  # default insertion rate
    "B8",  # default hourly cost
    "B19",  # penalty per missing hour
    "E5",  # a trade's name
    "F5",  # a trade's labour rate
    "I5",  # a partner
    "L5",  # a funder's name
    "M5",  # a funder's line
    "AJ5",  # an eligible public
]


@pytest.mark.parametrize("cell", PARAM_CELLS)
@pytest.mark.parametrize("value,code", [("#N/A", "cell-error"), (NOT_COMPUTED, "formula-not-computed")])
def test_excel_error_in_parametres_is_a_finding_on_its_cell(raw, cell, value, code):
    set_cell(raw, "Paramètres", cell, value)
    assert ("Paramètres", cell, code, "error") in where(findings_of(raw))


def test_an_unreadable_mode_is_not_also_reported_as_missing_and_other_actions_need_none(raw):
    set_cell(raw, "Parcours", "J4", "Intérim")
    found = where(findings_of(raw))
    assert {(c, code) for s, c, code, _ in found if s == "Parcours" and c == "J4"} == {("J4", "not-in-list")}
    contract_rows = {i + 1 for i, r in enumerate(raw.sheets["Parcours"].rows) if "Contrat d'insertion" in r}
    required_rows = {int(c[1:]) for s, c, code, _ in findings_of_required(raw)}
    assert required_rows and required_rows <= contract_rows


def findings_of_required(raw):
    for row in raw.sheets["Parcours"].rows[1:]:
        row[9:11] = [None, None]  # Mode and Public emptied on every row, whatever its action
    return {f for f in where(findings_of(raw)) if f[0] == "Parcours" and f[2] == "required" and f[1][0] in "JK"}
