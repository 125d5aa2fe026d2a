"""Funders' budget tables (CAMSA, FSL, 2009 and 2010): each action sheet is the Cerfa 12156*06 form row
for row (reference list typed from the published form), figures checked against an independent reading
of the master (openpyxl, no igloo_xl computation), LibreOffice's recalculation and golden files."""

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
from lo_tools import SOFFICE, recalc, recalculation_mismatches
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner
from xlsx_compare import diff, load_golden, master_tables, save_golden, snapshot, zip_text

from igloo_xl import api
from igloo_xl.cli import app
from igloo_xl.domain.asll_measures import measure_months
from igloo_xl.domain.funding import form_line
from igloo_xl.errors import BadRequest, MasterHasErrors
from igloo_xl.model.master import load_master

TODAY = dt.date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden"
BUDGETS = [("CAMSA", 2009), ("CAMSA", 2010), ("FSL", 2009), ("FSL", 2010)]
ANNEX = "Mesures ASLL"


@pytest.fixture(scope="module")
def tables(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("budgets")
    return {(f, y): api.export_budget(sample_path, f, y, out / f"Budget_{f}_{y}.xlsx", today=TODAY) for f, y in BUDGETS}


@pytest.fixture(scope="module")
def m(sample_path):
    return extended(sample_path)


@pytest.mark.parametrize("funder,year", BUDGETS)
def test_one_budget_sheet_per_funded_action(tables, m, funder, year):
    actions = funded_actions(m, funder, year)
    assert actions
    names = CalamineWorkbook.from_path(str(tables[(funder, year)])).sheet_names
    assert [n for n in names if n.startswith("Budget")] == [sheet_of(tables[(funder, year)], a, "Budget")[0] for a in actions]
    assert names == [n for n in names if n.startswith("Budget")] + ([ANNEX] if funder == "FSL" else [])
    for action in actions:
        name, rows = sheet_of(tables[(funder, year)], action, "Budget")
        assert rows[0][0].startswith("Budget") and action in rows[0][0] and str(year) in rows[0][0]
        assert len(name) <= 31


@pytest.mark.parametrize("funder,year", BUDGETS)
def test_every_row_of_the_form_in_its_order_with_its_labels(tables, m, funder, year):
    for action in funded_actions(m, funder, year):
        _, rows = sheet_of(tables[(funder, year)], action, "Budget")
        _, charges, produits = form_blocks(rows)
        assert [(str(r[0]), r[1]) for r in charges] == CHARGES
        assert [(str(r[0]), r[1]) for r in produits] == PRODUITS
        # a numeric code starts its row's first cell, as text
        assert all(r[0] == code for r, (code, _) in zip(charges + produits, CHARGES + PRODUITS))


@pytest.mark.parametrize("funder,year", BUDGETS)
def test_figures_agree_with_the_master(tables, m, funder, year):
    for action in funded_actions(m, funder, year):
        _, rows = sheet_of(tables[(funder, year)], action, "Budget")
        h, charges, produits = form_blocks(rows)
        has_actual = any(b["Réalisé (€)"] is not None for b in m["Budget"] if b["Année"] == year and b["Action"] == action)
        assert rows[h][2] == "Prévu (€)" and (rows[h][3] == "Réalisé (€)") == has_actual
        for measure, col in (("planned", 2), ("actual", 3)) if has_actual else (("planned", 2),):
            want = expected_form(m, year, action, measure)
            for i, r in enumerate(charges):
                assert num(r[col]) == pytest.approx(want[("c", i)]), (action, measure, C_LABELS[i])
            for i, r in enumerate(produits):
                assert num(r[col]) == pytest.approx(want[("p", i)]), (action, measure, P_LABELS[i])
        # the final totals include the in-kind rows and balance when 86 = 87
        assert num(charges[-1][2]) == pytest.approx(num(charges[C_LABELS.index("Total des charges")][2])
                                                     + num(charges[C_LABELS.index("Excédent prévisionnel (bénéfice)")][2])
                                                     + num(charges[C_LABELS.index("Emplois des contributions volontaires en nature")][2]))


def test_refused_requests_count_zero_and_pending_ones_count_requested(tables, m):
    # FSL 2010, Accompagnement social: CPL refused, Fondation Abbé Pierre still requested
    _, rows = sheet_of(tables[("FSL", 2010)], "Accompagnement social", "Budget")
    fin = [f for f in m["Financements"] if f["Année"] == 2010 and f["Action"] == "Accompagnement social"]
    assert {f["Statut"] for f in fin} >= {"Refusé", "Demandé", "Accordé"}
    pending = next(f for f in fin if f["Statut"] == "Demandé")
    refused = next(f for f in fin if f["Statut"] == "Refusé")
    _, _, produits = form_blocks(rows)
    notes = " ".join(str(r[3]) for r in produits)
    assert pending["Financeur"] in notes and refused["Financeur"] not in notes
    want = expected_form(m, 2010, "Accompagnement social", "planned")
    assert num(produits[P_LABELS.index("Total des produits")][2]) == pytest.approx(want[("p", P_LABELS.index("Total des produits"))])


def test_identity_share_and_signed_attestation(tables, m):
    s = m["settings"]
    for (funder, year), path in tables.items():
        for action in funded_actions(m, funder, year):
            _, rows = sheet_of(path, action, "Budget")
            text = [str(v) for r in rows for v in r if v not in (None, "")]
            for key in ("Nom de l'association", "SIRET", "N° RNA ou registre des associations", "Adresse du siège"):
                assert s[key] and any(str(s[key]) in t for t in text), key
            attest = next(t for t in text if t.startswith("Je soussigné"))
            assert s["Représentant légal"] in attest and FUNDER[funder] in attest and action in attest
            assert "Signature" in text and any(t.startswith("Fait à") for t in text)
            asked = sum(f["Montant accordé (€)"] or 0 if f["Statut"] in ("Accordé", "Versé") else
                        f["Montant demandé (€)"] if f["Statut"] == "Demandé" else 0
                        for f in m["Financements"] if f["Financeur"] == FUNDER[funder] and f["Année"] == year
                        and f["Action"] == action)
            total = expected_form(m, year, action, "planned")[("p", P_LABELS.index("Total des produits"))]
            amount = next(r for r in rows if str(r[1]).startswith(f"Montant demandé à {FUNDER[funder]}"))
            share = next(r for r in rows if str(r[1]).startswith("Part dans le total des produits"))
            assert amount[2] == pytest.approx(asked) and share[2] == pytest.approx(asked / total)


def test_funding_detail_shows_cash_apart_from_the_grant(tables, m):
    # CAMSA 2010, Coordination: the MOUS is granted 20 000 € and only half paid
    _, rows = sheet_of(tables[("CAMSA", 2010)], "Coordination", "Budget")
    mous = next(f for f in m["Financements"] if f["Année"] == 2010 and f["Action"] == "Coordination"
                and f["Financeur"] == "État / CAMSA")
    assert mous["Statut"] == "Accordé" and mous["Montant versé (€)"] < mous["Montant accordé (€)"]
    h = next(i for i, r in enumerate(rows) if r[:5] == ["Statut", "Financeur — dispositif", "Demandé (€)", "Accordé (€)", "Versé (€)"])
    line = next(r for r in rows[h:] if str(r[1]).startswith("État / CAMSA"))
    assert line[3] == mous["Montant accordé (€)"] and line[4] == mous["Montant versé (€)"]
    _, _, produits = form_blocks(rows)
    state = [f for f in m["Financements"] if f["Année"] == 2010 and f["Action"] == "Coordination"
             and m["funder_line"][f["Financeur"]] == "État"]
    granted = sum(f["Montant accordé (€)"] for f in state)
    assert num(produits[3][2]) == pytest.approx(granted) and granted > sum(f["Montant versé (€)"] or 0 for f in state)


@pytest.mark.parametrize("compte,line", [
    ("60", "60"), ("604", "60"), ("6226", "62"), (" 641 ", "64"), ("69", "69"), ("86", "86"), ("861", "861"),
    ("8640", "864"), ("863", "86"), ("CI", "CI"), ("ci", "CI"), ("70", None), ("6", None), ("abc", None), (None, None),
])
def test_form_line_of_a_budget_account(compte, line):
    assert form_line(compte) == line


@pytest.mark.parametrize("start,end,year,months", [
    (dt.date(2009, 12, 28), dt.date(2010, 6, 27), 2009, 1),   # one day of December is a month
    (dt.date(2009, 12, 28), dt.date(2010, 6, 27), 2010, 6),
    (dt.date(2009, 1, 31), dt.date(2009, 2, 1), 2009, 2),     # two days, two months
    (dt.date(2010, 3, 15), dt.date(2010, 3, 15), 2010, 1),
    (dt.date(2008, 5, 1), dt.date(2011, 1, 1), 2010, 12),     # straddles the whole year
    (dt.date(2008, 5, 1), dt.date(2009, 12, 31), 2010, 0),
    (dt.date(2010, 11, 30), dt.date(2011, 2, 1), 2010, 2),
])
def test_measure_months_count_calendar_months_overlapped(start, end, year, months):
    assert measure_months(start, end, year) == months


def test_fsl_annex_by_measure(tables, m):
    assert m["Mesures"]
    for year in (2009, 2010):
        rows = grid(tables[("FSL", year)], ANNEX)
        h = next(i for i, r in enumerate(rows) if r[0] == "ID famille")
        assert rows[h][:7] == ["ID famille", "Type de mesure", "Début", "Fin", "Mois-mesures dans l'année", "Rencontres", "Heures"]
        got = [(r[0], r[1], r[2].date() if hasattr(r[2], "date") else r[2], r[3].date() if hasattr(r[3], "date") else r[3],
                r[4], r[5], r[6]) for r in rows[h + 1:] if str(r[0]).startswith("F")]
        want = expected_measures(m, FUNDER["FSL"], year)
        assert got == [tuple(pytest.approx(v) if isinstance(v, float) else v for v in w) for w in want] and got
        total = next(r for r in rows if str(r[0]).startswith("Total"))
        assert total[4:7] == [sum(w[4] for w in want), sum(w[5] for w in want), pytest.approx(sum(w[6] for w in want))]


def test_fsl_annex_reads_on_paper(tables):
    wb = openpyxl.load_workbook(tables[("FSL", 2009)])
    ws = wb[ANNEX]
    header = next(r for r in ws.iter_rows() if r[0].value == "ID famille")[0].row
    assert ws.row_dimensions[header].height >= 30 and all(ws.cell(header, c).alignment.wrap_text for c in range(1, 8))
    body = [r for r in ws.iter_rows(min_row=header + 1) if str(r[0].value or "").startswith("F")]
    # hours keep their decimals on paper (14,5 prints 14,5), counts stay whole
    assert all(r[6].number_format == "#,##0.0" and r[4].number_format == "0" for r in body)
    total = next(r for r in ws.iter_rows() if str(r[0].value or "").startswith("Total"))[0]
    assert any(str(rng).startswith(f"A{total.row}:D{total.row}") for rng in ws.merged_cells.ranges)
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9


def test_camsa_has_no_annex(tables):
    for year in (2009, 2010):
        assert ANNEX not in CalamineWorkbook.from_path(str(tables[("CAMSA", year)])).sheet_names


def width(ws, column: int) -> float:
    """The width of a column (openpyxl keeps a run of equal columns under its first letter)."""
    return next((d.width for d in ws.column_dimensions.values() if d.min and d.min <= column <= d.max), 0)


def test_title_block_and_print_settings(tables):
    for (funder, year), path in tables.items():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            top = " ".join(str(ws.cell(r, 1).value or "") for r in range(1, 4))
            assert FUNDER[funder] in top and "IGLOO" in top and str(year) in top and "24/11/2026" in top
            # A4 portrait, as the form is printed, one page wide
            assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
            header = next(r for r in ws.iter_rows() if r[0].value in ("Compte", "ID famille"))[0].row
            assert ws.print_title_rows == f"${header}:${header}"
            if ws.title.startswith("Budget"):  # the detail tables' money and text columns never print ###
                assert width(ws, 3) >= 14 and width(ws, 4) >= 14 and width(ws, 5) >= 20
        ws = wb.worksheets[0]
        totals = [r for r in ws.iter_rows() if str(r[1].value or "").startswith(("Total des", "Total"))]
        assert totals and all(r[2].data_type == "f" and "€" in r[2].number_format for r in totals)


def test_no_personal_data_families_by_id_only(tables, m):
    references = [f["Référence"] for f in m["Familles"]]
    members = {f["Membre en parcours"] for f in m["Familles"] if f["Membre en parcours"]}
    beneficiaries = {p["Bénéficiaire"] for p in m["Parcours"]}
    for path in tables.values():
        text = zip_text(path)
        assert not [r for r in references if r in text]
        assert not [n for n in members | beneficiaries if n in text]
        assert "Adultes" not in text and "Enfants" not in text and "Ressources du foyer" not in text


# --- funder names, refusals, API and command line ---------------------------------------------------

@pytest.mark.parametrize("typed,name", [("CAMSA", "État / CAMSA"), ("camsa", "État / CAMSA"), ("etat", "État / CAMSA"),
                                        ("État / CAMSA", "État / CAMSA"), ("fsl", "Conseil Général (FSL)"),
                                        ("conseil general", "Conseil Général (FSL)")])
def test_funder_named_by_a_word_ignoring_case_and_accents(sample_path, tmp_path, typed, name):
    out = api.export_budget(sample_path, typed, 2009, tmp_path / "b.xlsx", today=TODAY)
    assert name in str(openpyxl.load_workbook(out).worksheets[0]["A3"].value)


@pytest.mark.parametrize("typed,year", [("Banque", 2009), ("e", 2009), ("Ville", 2031), ("CAMSA", 1999)])
def test_unknown_ambiguous_or_idle_funder_is_refused(sample_path, tmp_path, typed, year):
    with pytest.raises(BadRequest):
        api.export_budget(sample_path, typed, year, tmp_path / "x.xlsx", today=TODAY)
    assert not (tmp_path / "x.xlsx").exists()
    result = CliRunner().invoke(app, ["budget", str(sample_path), "--funder", typed, "--year", str(year),
                                      "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


def test_unknown_funder_message_lists_the_funders(sample_path, tmp_path):
    with pytest.raises(BadRequest) as exc:
        api.export_budget(sample_path, "Banque", 2009, tmp_path / "x.xlsx", today=TODAY)
    assert "CUCS" in str(exc.value) and "Conseil Général (FSL)" in str(exc.value)


def test_accepts_a_loaded_master_and_cli_lists_the_file(sample_path, tmp_path):
    out = api.export_budget(load_master(sample_path), "FSL", 2010, tmp_path / "a.xlsx", today=TODAY)
    assert out == tmp_path / "a.xlsx" and out.exists()
    result = CliRunner().invoke(app, ["budget", str(sample_path), "--funder", "CAMSA", "--year", "2010",
                                      "--out", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0, result.output
    assert "b.xlsx" in result.output and (tmp_path / "b.xlsx").exists()


def test_refused_while_master_has_errors(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = "deux"
    bad = tmp_path / "faux.xlsx"
    wb.save(bad)
    with pytest.raises(MasterHasErrors) as exc:
        api.export_budget(bad, "CAMSA", 2009, tmp_path / "x.xlsx", today=TODAY)
    assert ("Familles", "C3", "not-a-number") in {(f.sheet, f.cell, f.code) for f in exc.value.findings}
    result = CliRunner().invoke(app, ["budget", str(bad), "--funder", "CAMSA", "--year", "2009", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


def test_typed_budget_labels_stay_text(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Budget"]
    head = [c.value for c in ws[1]]
    label = head.index("Libellé") + 1
    ws.cell(2, label).value = "=1+1"
    ws.cell(2, label).data_type = "s"
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    year, action = ws.cell(2, head.index("Année") + 1).value, ws.cell(2, head.index("Action") + 1).value
    funder = next(f for f, y in BUDGETS if year == y and action in funded_actions(master_tables(path), f, y))
    out = api.export_budget(path, funder, year, tmp_path / "b.xlsx", today=TODAY)
    cells = [c for w in openpyxl.load_workbook(out).worksheets for r in w.iter_rows() for c in r if c.value and "=1+1" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


# --- LibreOffice ----------------------------------------------------------------------------------

@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_libreoffice_recalculates_to_the_stored_values(tables, tmp_path):
    total = 0
    for (funder, year), path in tables.items():
        checked, problems = recalculation_mismatches(path, recalc(path, tmp_path / f"{funder}{year}"))
        assert not problems, "\n".join(problems[:20])
        total += checked
    assert total >= 40


# --- golden files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("funder,year", BUDGETS)
def test_golden(tables, funder, year, golden):
    path = tables[(funder, year)]
    golden(GOLDEN / (path.stem + ".json"), snapshot(path))
