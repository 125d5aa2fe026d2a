"""The Excel buttons, run on xlwings' JSON-backed book (no Excel here): their full effect as actions."""


import pytest

from igloo_xl.excel import controls as C
from igloo_xl import excel
from xlwings_payload import open_book, payload, with_sheet

FAMILLES, LOTS = 1, 4  # sheet positions in the sample


def actions(book, func=None):
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def alerts(book):
    return [a["args"][0] for a in actions(book, "alert")]


def controls_values(book):
    position = next(i for i, s in enumerate(book.api["sheets"]) if s["name"] == C.CONTROLS_SHEET)
    writes = [a for a in actions(book, "setValues") if a["sheet_position"] == position]
    return writes[-1]["values"]


def fills(book):
    """{(sheet position, 'C3'): color} of every setRangeColor action."""
    from xlwings.utils import col_name

    return {(a["sheet_position"], f"{col_name(a['start_column'] + 1)}{a['start_row'] + 1}"): a["args"][0]
            for a in actions(book, "setRangeColor")}


def test_clean_sample_says_no_error(sample_path):
    book = open_book(payload(sample_path))
    report = excel.validate()
    assert report.ok and report.findings == []
    assert alerts(book) == ["Aucune erreur"]
    assert controls_values(book)[1] == C.HEADERS and len(controls_values(book)) == 2
    assert fills(book) == {}


def test_validate_reads_unsaved_edits_and_marks_bad_cells(sample_path):
    # unsaved edits: only in the open workbook, not in the file
    data = payload(sample_path, edits={("Familles", 2, 2): "deux", ("Familles", 3, 3): -1, ("Lots", 2, 9): 999})
    book = open_book(data)
    excel.validate()
    rows = controls_values(book)
    found = {(r[1], r[2], r[5]) for r in rows[2:]}
    assert {("Familles", "C3", "not-a-number"), ("Familles", "D4", "out-of-range"), ("Lots", "J3", "inconsistent")} <= found
    link = next(r[7] for r in rows[2:] if r[2] == "C3")
    assert link == '=HYPERLINK("#\'Familles\'!C3","Familles!C3")'
    assert fills(book)[(FAMILLES, "C3")] == C.ERROR_FILL
    assert fills(book)[(LOTS, "J3")] == C.WARNING_FILL
    assert alerts(book) == ["2 erreurs, 1 avertissement — voir la feuille Contrôles"]
    marks_position = next(i for i, s in enumerate(book.api["sheets"]) if s["name"] == C.MARKS_SHEET)
    stored = [a for a in actions(book, "setValues") if a["sheet_position"] == marks_position][-1]["values"]
    assert {(r[0], r[1]) for r in stored[1:]} == {("Familles", "C3"), ("Familles", "D4"), ("Lots", "J3")}
    assert ("setSheetVisibility", "Hidden") in {(a["func"], a["args"][0]) for a in actions(book)}
    assert actions(book, "addNote") == []  # the VBA client cannot add notes: the message is in Contrôles


def test_office_js_client_gets_a_note_on_each_bad_cell(sample_path):
    book = open_book(payload(sample_path, client="Office.js", edits={("Familles", 2, 2): "deux"}))
    excel.validate()
    notes = {(a["sheet_position"], a["args"][0].replace("$", "")): a["args"][1] for a in actions(book, "addNote")}
    assert notes[(FAMILLES, "C3")].startswith(C.NOTE_PREFIX)


def test_second_run_clears_old_marks_only(sample_path):
    """The previous run marked C3 (fixed since) and D4 (still wrong); staff fill elsewhere untouched."""
    data = payload(sample_path, edits={("Familles", 3, 3): -1})
    with_sheet(data, C.MARKS_SHEET, [["Feuille", "Cellule", "Remplissage d'origine"],
                                     ["Familles", "C3", "#00B0F0"], ["Familles", "D4", ""]])
    book = open_book(data)
    excel.validate()
    colored = fills(book)
    assert colored[(FAMILLES, "C3")] == "#00B0F0"  # staff's own fill put back
    assert colored[(FAMILLES, "D4")] == C.ERROR_FILL
    assert set(colored) == {(FAMILLES, "C3"), (FAMILLES, "D4")}  # no other cell touched
    assert alerts(book) == ["1 erreur — voir la feuille Contrôles"]


def test_typed_formula_text_is_shown_as_text(sample_path):
    book = open_book(payload(sample_path, edits={("Familles", 2, 2): "=1+1"}))
    excel.validate()
    row = next(r for r in controls_values(book)[2:] if r[2] == "C3")
    assert row[4] == "'=1+1"


def test_output_buttons_write_into_sorties(sample_path, tmp_path):
    master = tmp_path / "igloo_master.xlsm"
    master.write_bytes(sample_path.read_bytes())
    book = open_book(payload(sample_path, name=str(master)))
    written = excel.generate_clauses()
    assert len(written) == 5 and all(p.parent == tmp_path / "Sorties" and p.exists() for p in written)
    assert alerts(book)[-1].startswith("5 fichiers écrits dans le dossier Sorties")
    written = excel.export_budget("CAMSA")
    assert sorted(p.name for p in written) == ["Budget_CAMSA_2009.xlsx", "Budget_CAMSA_2010.xlsx"]
    written = excel.export_budget("FSL")
    assert sorted(p.name for p in written) == ["Budget_FSL_2009.xlsx", "Budget_FSL_2010.xlsx"]


def test_output_buttons_refuse_while_errors(sample_path, tmp_path):
    master = tmp_path / "igloo_master.xlsm"
    book = open_book(payload(sample_path, name=str(master), edits={("Familles", 2, 2): "deux"}))
    assert excel.generate_clauses() is None
    assert alerts(book)[-1].startswith("Documents non générés : le classeur contient 1 erreur")
    assert not (tmp_path / "Sorties").exists()


@pytest.mark.parametrize("entry,args", [("generate_clauses", ()), ("export_budget", ("Inconnu",)), ("refresh_dashboard", ())])
def test_nothing_raises_into_excel(sample_path, entry, args):
    book = open_book(payload(sample_path))  # a name without a folder: the workbook was never saved
    assert getattr(excel, entry)(*args) is None
    assert len(alerts(book)) == 1 and alerts(book)[0]


def test_unreadable_workbook_becomes_a_message(sample_path):
    data = payload(sample_path)
    data["sheets"] = [s for s in data["sheets"] if s["name"] not in ("Familles", "Lots")]
    book = open_book(data)
    report = excel.validate()
    assert {("Familles", "missing-sheet"), ("Lots", "missing-sheet")} <= {(f.sheet, f.code) for f in report.findings}
    assert alerts(book)[0].endswith("voir la feuille Contrôles")


def journal_actions(folder):
    from igloo_xl.package.journal import JOURNAL

    lines = (folder / JOURNAL).read_text(encoding="utf-8-sig").splitlines()[1:]
    return [line.split(";")[2] for line in lines]


def test_every_button_writes_its_journal_line_as_its_command_does(sample_path, tmp_path):
    master = tmp_path / "igloo_master.xlsm"
    master.write_bytes(sample_path.read_bytes())
    open_book(payload(sample_path, name=str(master)))
    excel.validate()
    excel.generate_clauses()
    excel.export_budget("FSL")
    actions_written = journal_actions(tmp_path)
    assert actions_written[:2] == ["validation", "clauses d'insertion"]
    assert [a for a in actions_written[2:] if a.startswith("budget ")] == actions_written[2:] and len(actions_written) == 4


def test_dashboard_button_writes_the_figures_and_its_journal_line(sample_path, tmp_path):
    from igloo_xl.api import refresh_dashboard

    master = tmp_path / "igloo_master.xlsx"
    master.write_bytes(sample_path.read_bytes())
    refresh_dashboard(master)  # the sheet exists, as in the workbook offered to staff
    before = journal_actions(tmp_path)
    book = open_book(payload(master, name=str(master)))
    update = excel.refresh_dashboard()
    values = update.values
    assert values and update.charts and alerts(book) == ["Tableau de bord actualisé."]
    position = next(i for i, s in enumerate(book.api["sheets"]) if s["name"] == "Tableau de bord")
    writes = [a for a in actions(book, "setValues") if a["sheet_position"] == position]
    assert len(writes) == len(values)
    assert journal_actions(tmp_path) == [*before, "tableau de bord"]


def test_budget_button_for_a_funder_without_funding_says_so(sample_path, tmp_path):
    """CDC's only request, made Refusé: a message, no file, and no exception of any kind."""
    import openpyxl

    rows = list(openpyxl.load_workbook(sample_path)["Financements"].iter_rows(values_only=True))
    refused = {("Financements", i, 7): "Refusé" for i, r in enumerate(rows) if r[0] == "CDC"}
    assert refused
    master = tmp_path / "igloo_master.xlsm"
    master.write_bytes(sample_path.read_bytes())
    book = open_book(payload(sample_path, name=str(master), edits=refused))
    assert excel.export_budget("CDC") == []
    assert alerts(book)[-1].startswith("Aucun financement de ")
    assert not (tmp_path / "Sorties").exists()


def test_funded_years_come_from_the_budget_form_rule(sample_path):
    """The years a button produces are those for which the command would produce a table."""
    from igloo_xl.domain.budget_form import funded_actions
    from igloo_xl.model.master import load_master

    master = load_master(sample_path)
    name, years = excel.funded_years(master, "CAMSA")
    assert years == [y for y in range(2000, 2031) if funded_actions(master, name, y)]


@pytest.mark.skipif(not hasattr(__import__("igloo_xl.api").api, "export_financial_report"),
                    reason="api.export_financial_report (Cerfa 15059, helper `forms`) is not on this branch yet")
def test_financial_report_button_writes_one_report_per_funded_year(sample_path, tmp_path):
    master = tmp_path / "igloo_master.xlsm"
    master.write_bytes(sample_path.read_bytes())
    book = open_book(payload(sample_path, name=str(master)))
    written = excel.export_financial_report("CAMSA")
    assert sorted(p.name for p in written) == ["Compte_rendu_financier_CAMSA_2009.xlsx", "Compte_rendu_financier_CAMSA_2010.xlsx"]
    assert all(p.exists() for p in written)
    assert alerts(book)[-1].startswith("2 fichiers écrits")
