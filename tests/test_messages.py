"""Messages a social worker understands (issue 13): each case on the structured finding and its French text."""

import datetime as dt

import openpyxl
import pytest

from conftest import set_cell
from igloo_xl import api
from igloo_xl.errors import MasterHasErrors
from igloo_xl.excel.controls import HEADERS, controls_rows
from igloo_xl.model.master import from_raw
from igloo_xl.validation.engine import validate
from igloo_xl.validation.report_text import render

TODAY = dt.date(2026, 11, 24)


def findings_of(raw):
    return validate(from_raw(raw), TODAY).findings


def test_codes_stay_out_of_the_sentences_but_in_json_and_controls(raw):
    set_cell(raw, "Familles", "H3", "L99")
    found = findings_of(raw)
    f = next(f for f in found if f.cell == "H3")
    assert f.code == "unknown-reference" and f.to_dict()["code"] == "unknown-reference"
    assert "unknown-reference" not in f.message
    assert "unknown-reference" not in render(found, "maitre.xlsx")
    row = next(r for r in controls_rows(found, dt.datetime(2026, 11, 24)) if r[2] == "H3")
    assert row[HEADERS.index("Code")] == "unknown-reference"


def test_a_day_that_does_not_exist_is_told_so(raw):
    set_cell(raw, "Familles", "G3", "31/02/2009")
    f = next(f for f in findings_of(raw) if f.cell == "G3")
    assert (f.code, f.rule) == ("not-a-date", "not-a-date/no-such-day")
    assert "n'existe pas" in f.message and "JJ/MM/AAAA" not in f.message


def test_a_shapeless_date_still_gets_the_format(raw):
    set_cell(raw, "Familles", "G3", "demain")
    f = next(f for f in findings_of(raw) if f.cell == "G3")
    assert f.rule == "not-a-date" and "JJ/MM/AAAA" in f.message


def test_a_duplicated_id_is_the_first_line_and_the_rest_follows_from_it(raw):
    set_cell(raw, "Familles", "A4", "F02")  # F03's row retyped as F02
    found = findings_of(raw)
    first = found[0]
    assert (first.sheet, first.cell, first.code) == ("Familles", "A4", "duplicate")
    others = [f for f in found if f.sheet != "Familles"]
    assert others and all(f.cause == "Familles!A4" for f in others)
    assert all("Conséquence" in f.message for f in others)
    # the missing F03: one finding per dependent sheet, not one per row
    missing = [f for f in found if f.code == "unknown-reference"]
    assert sorted(f.sheet for f in missing) == ["Accompagnement", "Heures", "Mesures", "Parcours"]
    parcours = next(f for f in missing if f.sheet == "Parcours")
    assert parcours.rule == "unknown-reference/rows" and parcours.params["count"] > 1


def test_a_deleted_id_gives_one_finding_per_dependent_sheet(raw):
    rows = raw.sheets["Familles"].rows
    deleted = rows.pop(3)[0]
    found = findings_of(raw)
    assert deleted == "F03"
    assert [(f.sheet, f.code) for f in found] == [(s, "unknown-reference") for s in ("Parcours", "Heures", "Accompagnement", "Mesures")]
    assert all(f.value == "F03" and "F03" in f.message for f in found)
    parcours = found[0]
    assert parcours.params["count"] == 4 and parcours.cell == "A10"


def test_a_single_unknown_reference_stays_on_its_cell(raw):
    set_cell(raw, "Familles", "H3", "L99")
    f = next(f for f in findings_of(raw) if f.code == "unknown-reference")
    assert (f.cell, f.rule) == ("H3", "unknown-reference")


def test_a_renamed_sheet_is_named(raw):
    raw.sheets["Financement"] = raw.sheets.pop("Financements")
    raw.sheets["Financement"].name = "Financement"
    f = next(f for f in findings_of(raw) if f.code == "missing-sheet")
    assert (f.sheet, f.rule, f.params["similar"]) == ("Financements", "missing-sheet/similar", "Financement")
    assert "« Financement »" in f.message


def test_an_unrelated_missing_sheet_names_nothing(raw):
    del raw.sheets["Calendrier"]
    f = next(f for f in findings_of(raw) if f.code == "missing-sheet")
    assert f.rule == "missing-sheet" and "similar" not in f.params


@pytest.mark.parametrize("cell,value,words", [
    ("F3", -9000, "strictement positif"),  # Lots: Montant HT > 0
    ("J3", -1, "positif ou nul"),  # Lots: Heures d'insertion ≥ 0
])
def test_bounds_are_said_in_words(raw, cell, value, words):
    set_cell(raw, "Lots", cell, value)
    f = next(f for f in findings_of(raw) if f.sheet == "Lots" and f.cell == cell and f.code == "out-of-range")
    assert words in f.message
    assert "hors des bornes" not in f.message and ">" not in f.message and "≥" not in f.message


def _with_errors(sample_path, tmp_path, cells):
    wb = openpyxl.load_workbook(sample_path)
    for cell, value in cells.items():
        wb["Familles"][cell] = value
    path = tmp_path / "avec_erreurs.xlsx"
    wb.save(path)
    return path


def test_the_refusal_agrees_with_one_error_and_says_where(sample_path, tmp_path):
    path = _with_errors(sample_path, tmp_path, {"C3": "deux"})
    with pytest.raises(MasterHasErrors) as one:
        api.generate_clauses(path, tmp_path / "out")
    assert "1 erreur :" in one.value.message and "corrigez-la" in one.value.message and "ci-dessus" in one.value.message
    assert "avec_erreurs.xlsx" in one.value.message
    path = _with_errors(sample_path, tmp_path, {"C3": "deux", "C4": "trois"})
    with pytest.raises(MasterHasErrors) as two:
        api.generate_clauses(path, tmp_path / "out")
    assert "2 erreurs :" in two.value.message and "corrigez-les" in two.value.message


@pytest.mark.parametrize("command", ["clauses", "budget"])
def test_generation_commands_name_the_file_in_their_report(sample_path, tmp_path, command):
    from typer.testing import CliRunner

    from igloo_xl.cli import app

    path = _with_errors(sample_path, tmp_path, {"C3": "deux"})
    args = [command, str(path), "--out", str(tmp_path / "out.xlsx")]
    if command == "budget":
        args += ["--funder", "CAMSA", "--year", "2009"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1
    assert "Contrôle de « avec_erreurs.xlsx »" in res.output and "« classeur »" not in res.output


def test_a_rule_reading_a_cell_in_error_points_to_that_cell(raw):
    set_cell(raw, "Lots", "J3", raw.sheets["Lots"].rows[2][9])  # the hours typed as a number, not a formula
    set_cell(raw, "Lots", "F3", -9000)  # the amount the insertion hours are computed from
    found = [f for f in findings_of(raw) if f.sheet == "Lots" and f.row == 3]
    hours = next(f for f in found if f.rule == "inconsistent/hours")
    assert hours.cause == "Lots!F3" and hours.message.startswith("Conséquence de l'erreur (Lots F3)")
    amount = next(f for f in found if f.cell == "F3")
    assert amount.code == "out-of-range" and not amount.cause
