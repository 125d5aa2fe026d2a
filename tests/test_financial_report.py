"""The compte rendu financier (Cerfa 15059): the budget form's rows with Prévu, Réalisé, Écart and
Réalisé / prévu, the three texts, the FSL's annex; figures computed here from the master (openpyxl)."""

import csv
import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from cerfa_reference import CHARGES, PRODUITS
from form_sheets import (
    C_LABELS,
    FUNDER,
    P_LABELS,
    expected_form,
    expected_measures,
    extended,
    form_blocks,
    funded_actions,
    grid,
    num,
    sheet_of,
)
from lo_tools import SOFFICE, recalculated_copies, recalculation_mismatches
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner
from xlsx_compare import diff, load_golden, save_golden, snapshot, zip_text

from igloo_xl import api
from igloo_xl.cli import app
from igloo_xl.errors import BadRequest, MasterHasErrors

TODAY = dt.date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden"
REPORTS = [("CAMSA", 2009), ("CAMSA", 2010), ("FSL", 2009), ("FSL", 2010)]
HEADERS = ["Prévu (€)", "Réalisé (€)", "Écart (€)", "Réalisé / prévu (%)"]
NOT_LINES = {"Total des charges", "Excédent prévisionnel (bénéfice)", "Total", "Total des produits",
             "Insuffisance prévisionnelle (perte)"}


@pytest.fixture(scope="module")
def reports(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return {(f, y): api.export_financial_report(sample_path, f, y, out / f"CRF_{f}_{y}.xlsx", today=TODAY)
            for f, y in REPORTS}


@pytest.fixture(scope="module")
def m(sample_path):
    return extended(sample_path)


def expected_gaps(m, year, action):
    """Labels of the form's lines whose gap is over 15 % and over 500 €."""
    planned, actual = expected_form(m, year, action, "planned"), expected_form(m, year, action, "actual")
    out = []
    for (block, i), p in planned.items():
        label = (C_LABELS if block == "c" else P_LABELS)[i]
        gap = abs(actual[(block, i)] - p)
        if label not in NOT_LINES and gap > 500 and (p == 0 or gap > 0.15 * p):
            out.append(label)
    return sorted(out)


def listed_gaps(rows):
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith("2. Écarts significatifs"))
    end = next(i for i, r in enumerate(rows) if str(r[0]).startswith("3. Contributions volontaires"))
    return [r for r in rows[start:end] if r[0] not in ("", "Explication", "Compte") and r[1]
            and not str(r[0]).startswith("2.")], rows[start:end]


@pytest.mark.parametrize("funder,year", REPORTS)
def test_same_rows_as_the_form_with_four_columns(reports, m, funder, year):
    names = CalamineWorkbook.from_path(str(reports[(funder, year)])).sheet_names
    assert ("Mesures ASLL" in names) == (funder == "FSL")
    for action in funded_actions(m, funder, year):
        _, rows = sheet_of(reports[(funder, year)], action, "CRF")
        assert action in rows[0][0] and str(year) in rows[0][0]
        h, charges, produits = form_blocks(rows)
        assert rows[h][2:6] == HEADERS
        assert [(str(r[0]), r[1]) for r in charges] == CHARGES
        assert [(str(r[0]), r[1]) for r in produits] == PRODUITS


@pytest.mark.parametrize("funder,year", REPORTS)
def test_planned_actual_gap_and_ratio_from_the_master(reports, m, funder, year):
    for action in funded_actions(m, funder, year):
        _, rows = sheet_of(reports[(funder, year)], action, "CRF")
        _, charges, produits = form_blocks(rows)
        planned, actual = expected_form(m, year, action, "planned"), expected_form(m, year, action, "actual")
        for block, lines in (("c", charges), ("p", produits)):
            for i, r in enumerate(lines):
                p, a = planned[(block, i)], actual[(block, i)]
                assert (num(r[2]), num(r[3]), num(r[4])) == pytest.approx((p, a, a - p)), (action, r[1])
                assert r[5] == (pytest.approx(a / p) if p else ""), (action, r[1])


def test_realised_resources_are_the_grants_not_the_cash(reports, m):
    # CAMSA 2010: the State's MOUS is granted, half paid; the report's Réalisé counts the grant
    _, rows = sheet_of(reports[("CAMSA", 2010)], "Coordination", "CRF")
    _, _, produits = form_blocks(rows)
    state = [f for f in m["Financements"] if f["Année"] == 2010 and f["Action"] == "Coordination"
             and m["funder_line"][f["Financeur"]] == "État"]
    granted = sum(f["Montant accordé (€)"] for f in state if f["Statut"] in ("Accordé", "Versé"))
    paid = sum(f["Montant versé (€)"] or 0 for f in state)
    assert paid < granted and num(produits[3][3]) == pytest.approx(granted)


@pytest.mark.parametrize("funder,year", REPORTS)
def test_every_significant_gap_is_listed_with_a_place_to_explain(reports, m, funder, year):
    for action in funded_actions(m, funder, year):
        _, rows = sheet_of(reports[(funder, year)], action, "CRF")
        listed, section = listed_gaps(rows)
        assert sorted(r[1] for r in listed) == expected_gaps(m, year, action)
        explain = [r for r in section if r[0] == "Explication"]
        assert len(explain) == len(listed) and all(r[1] == "" for r in explain)


def test_the_three_texts_follow_the_table(reports, m):
    for (funder, year), path in reports.items():
        for action in funded_actions(m, funder, year):
            _, rows = sheet_of(path, action, "CRF")
            firsts = [str(r[0]) for r in rows]
            at = [next(i for i, t in enumerate(firsts) if t.startswith(p)) for p in ("1. Règles de répartition", "2. Écarts", "3. Contributions")]
            assert at == sorted(at) and at[0] > next(i for i, t in enumerate(firsts) if t == "Produits")
            text = [str(v) for r in rows for v in r if v not in (None, "")]
            attest = next(t for t in text if t.startswith("Je soussigné"))
            assert m["settings"]["Représentant légal"] in attest and "Signature" in text


@pytest.fixture(scope="module")
def edited(sample_path, tmp_path_factory):
    """The sample with sub-accounts, an indirect charge, a granted grant not yet paid and chosen gaps
    (2009, Coordination and Insertion professionnelle)."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Budget"]
    head = {c.value: c.column for c in ws[1]}
    plan = {("Coordination", "60"): ("606", 1200),   # 20 % but 300 €: not significant
            ("Coordination", "61"): ("613", None),
            ("Coordination", "62"): ("6226", 3390),  # 610 € and 15,25 %: significant
            ("Coordination", "64"): ("641", 37000),  # 1 000 € but 2,6 %: not significant
            ("Coordination", "86"): ("861", None),
            ("Insertion professionnelle", "62"): ("CI", None)}
    for r in range(2, ws.max_row + 1):
        year, action, account = (ws.cell(r, head[k]).value for k in ("Année", "Action", "Compte"))
        if year == 2009 and (action, str(account)) in plan:
            new, actual = plan[(action, str(account))]
            ws.cell(r, head["Compte"]).value = new
            if actual is not None:
                ws.cell(r, head["Réalisé (€)"]).value = actual
    ws = wb["Financements"]
    head = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if (ws.cell(r, head["Année"]).value, ws.cell(r, head["Action"]).value, ws.cell(r, head["Financeur"]).value) == \
                (2009, "Coordination", "Ville de Mulhouse"):
            ws.cell(r, head["Statut"]).value = "Accordé"
            ws.cell(r, head["Montant versé (€)"]).value = None
    path = tmp_path_factory.mktemp("edited") / "edited.xlsx"
    wb.save(path)
    out = path.parent
    return path, {
        "budget": api.export_budget(path, "CAMSA", 2009, out / "B.xlsx", today=TODAY),
        "report": api.export_financial_report(path, "CAMSA", 2009, out / "R.xlsx", today=TODAY),
        "insertion": api.export_financial_report(path, "Région", 2009, out / "RI.xlsx", today=TODAY),
    }


def test_sub_accounts_fill_the_forms_lines_and_the_class_total(edited):
    path, files = edited
    m = extended(path)
    _, rows = sheet_of(files["report"], "Coordination", "CRF")
    _, charges, _ = form_blocks(rows)
    value = {label: (num(r[2]), num(r[3])) for r, label in zip(charges, C_LABELS) if r[0] == ""}
    by_code = {str(r[0]): (num(r[2]), num(r[3])) for r in charges if r[0]}
    assert value["Autres fournitures"] == (1500, 1200) and by_code["60"] == (1500, 1200)
    assert value["Locations"] == (3000, 3000) and by_code["61"] == (3000, 3000)
    assert value["Rémunérations intermédiaires et honoraires"] == (4000, 3390) and by_code["62"] == (4000, 3390)
    assert value["Rémunération des personnels"] == (38000, 37000) and by_code["64"] == (38000, 37000)
    assert by_code["861"] == (2400, 2400) and by_code["86"] == (2400, 2400)
    for measure, col in (("planned", 2), ("actual", 3)):
        want = expected_form(m, 2009, "Coordination", measure)
        assert [num(r[col]) for r in charges] == pytest.approx([want[("c", i)] for i in range(len(CHARGES))])


def test_indirect_charges_go_to_their_row_and_the_first_text(edited):
    path, files = edited
    _, rows = sheet_of(files["insertion"], "Insertion professionnelle", "CRF")
    _, charges, _ = form_blocks(rows)
    ci = charges[C_LABELS.index("Charges indirectes affectées à l'action")]
    line = next(b for b in extended(path)["Budget"] if b["Année"] == 2009 and b["Compte"] == "CI")
    assert (num(ci[2]), num(ci[3])) == (line["Prévu (€)"], line["Réalisé (€)"])
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith("1. Règles de répartition"))
    assert line["Libellé"] in rows[start + 1][0]


def test_granted_not_paid_is_not_a_loss(edited):
    path, files = edited
    _, rows = sheet_of(files["report"], "Coordination", "CRF")
    _, charges, produits = form_blocks(rows)
    city = next(f for f in extended(path)["Financements"] if f["Année"] == 2009 and f["Financeur"] == "Ville de Mulhouse")
    assert city["Statut"] == "Accordé" and city["Montant versé (€)"] is None
    assert num(produits[P_LABELS.index("Commune(s)")][3]) == city["Montant accordé (€)"]
    assert num(produits[P_LABELS.index("Insuffisance prévisionnelle (perte)")][3]) == 0
    assert num(charges[C_LABELS.index("Excédent prévisionnel (bénéfice)")][3]) > 0
    detail = next(r for r in rows if str(r[1]).startswith("Ville de Mulhouse"))
    assert detail[0] == "Accordé" and detail[3] == city["Montant accordé (€)"] and detail[4] == ""
    # the budget form of the same year agrees
    _, rows = sheet_of(files["budget"], "Coordination", "Budget")
    _, _, produits = form_blocks(rows)
    assert num(produits[P_LABELS.index("Commune(s)")][3]) == city["Montant accordé (€)"]


def test_chosen_gaps_are_listed_and_the_others_not(edited):
    path, files = edited
    _, rows = sheet_of(files["report"], "Coordination", "CRF")
    listed, _ = listed_gaps(rows)
    labels = [r[1] for r in listed]
    assert "Rémunérations intermédiaires et honoraires" in labels and "Autres services extérieurs" in labels
    assert not {"Autres fournitures", "Achats", "Rémunération des personnels", "Charges de personnel"} & set(labels)
    assert sorted(labels) == expected_gaps(extended(path), 2009, "Coordination")


def test_fsl_report_has_the_annex_by_measure(reports, m):
    for year in (2009, 2010):
        rows = grid(reports[("FSL", year)], "Mesures ASLL")
        h = next(i for i, r in enumerate(rows) if r[0] == "ID famille")
        got = [(r[0], r[4], r[5], r[6]) for r in rows[h + 1:] if str(r[0]).startswith("F")]
        want = [(w[0], w[4], w[5], pytest.approx(w[6])) for w in expected_measures(m, FUNDER["FSL"], year)]
        assert got == want and got


def test_no_household_data_and_typed_text_stays_text(reports, m):
    references = [f["Référence"] for f in m["Familles"]]
    for path in reports.values():
        text = zip_text(path)
        assert not [r for r in references if r in text]
    for path in reports.values():
        formulas = [c for ws in openpyxl.load_workbook(path).worksheets for r in ws.iter_rows() for c in r
                    if c.data_type == "f"]
        assert formulas and all(str(c.value).startswith("=") for c in formulas)


def test_typed_formula_like_label_stays_text(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Budget"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Année"]).value == 2009
               and ws.cell(r, head["Action"]).value == "Coordination")
    ws.cell(row, head["Libellé"]).value = "=1+1"
    ws.cell(row, head["Libellé"]).data_type = "s"
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    out = api.export_financial_report(path, "CAMSA", 2009, tmp_path / "r.xlsx", today=TODAY)
    cells = [c for w in openpyxl.load_workbook(out).worksheets for r in w.iter_rows() for c in r if c.value and "=1+1" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_cli_writes_the_report_and_the_journal_line(sample_path, tmp_path):
    import shutil

    master = tmp_path / "m.xlsx"
    shutil.copy(sample_path, master)
    result = CliRunner().invoke(app, ["financial-report", str(master), "--funder", "FSL", "--year", "2009",
                                      "--out", str(tmp_path / "crf.xlsx")])
    assert result.exit_code == 0, result.output
    assert "crf.xlsx" in result.output and (tmp_path / "crf.xlsx").exists()
    with open(tmp_path / "igloo-journal.csv", encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh, delimiter=";"))
    assert any("compte rendu financier" in l[2] and "crf.xlsx" in l[-1] for l in lines[1:])


@pytest.mark.parametrize("typed,year", [("Banque", 2009), ("CAMSA", 1999)])
def test_unknown_or_idle_funder_is_refused(sample_path, tmp_path, typed, year):
    with pytest.raises(BadRequest):
        api.export_financial_report(sample_path, typed, year, tmp_path / "x.xlsx", today=TODAY)
    result = CliRunner().invoke(app, ["financial-report", str(sample_path), "--funder", typed, "--year", str(year),
                                      "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


def test_refused_while_master_has_errors(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = "deux"
    bad = tmp_path / "faux.xlsx"
    wb.save(bad)
    with pytest.raises(MasterHasErrors):
        api.export_financial_report(bad, "CAMSA", 2009, tmp_path / "x.xlsx", today=TODAY)
    result = CliRunner().invoke(app, ["financial-report", str(bad), "--funder", "CAMSA", "--year", "2009",
                                      "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_libreoffice_recalculates_to_the_stored_values(reports, edited, tmp_path):
    paths = list(reports.values()) + list(edited[1].values())
    copies = recalculated_copies(paths, tmp_path)
    total = 0
    for path in paths:
        checked, problems = recalculation_mismatches(path, copies[path])
        assert not problems, "\n".join(problems[:20])
        total += checked
    assert total >= 500


@pytest.mark.parametrize("funder,year", REPORTS)
def test_golden(reports, funder, year):
    path = reports[(funder, year)]
    golden = GOLDEN / (path.stem + ".json")
    actual = snapshot(path)
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        save_golden(golden, actual)
        pytest.skip("golden written: review it and commit")
    problems = diff(load_golden(golden), actual)
    assert not problems, "\n".join(problems[:40])
