"""Landlords' insertion-clause schedules, generated from the sample and checked against an independent
reading of the master (openpyxl, no igloo_xl computation), LibreOffice's recalculation and golden files."""

import datetime as dt
import os
import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from lo_tools import SOFFICE, recalc, recalculation_mismatches
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner
from xlsx_compare import (
    day,
    expected_lots,
    master_tables,
    snapshot,
    zip_text,
)

from igloo_xl import api
from igloo_xl.cli import app
from igloo_xl.errors import MasterHasErrors
from igloo_xl.model.master import load_master

TODAY = dt.date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden"
LANDLORD_FILES = {
    "Habitat & Humanisme": "Clauses_insertion_Habitat_Humanisme.xlsx",
    "Neolia": "Clauses_insertion_Neolia.xlsx",
    "NLE": "Clauses_insertion_NLE.xlsx",
    "Somco": "Clauses_insertion_Somco.xlsx",
    "LogiEst": "Clauses_insertion_LogiEst.xlsx",
}
SHEETS = ["Lots", "Synthèse", "Planning", "Suivi mensuel", "Réalisation", "Bénéficiaires", "Clauses"]
LOT_HEADERS = ["ID lot", "ID logement", "Corps d'état", "Entreprise", "Montant HT (€)", "Taux de main-d'œuvre (%)",
               "Taux d'insertion (%)", "Coût horaire (€)", "Heures d'insertion", "Heures réalisées"]


@pytest.fixture(scope="module")
def out_dir(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("clauses")
    written = api.generate_clauses(sample_path, out, today=TODAY)
    assert all(p.parent == out for p in written)
    return out


@pytest.fixture(scope="module")
def m(sample_path):
    return master_tables(sample_path)




def grid(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def table(path, sheet, first_header):
    """(header, data rows, total row or None) of a generated sheet."""
    rows = grid(path, sheet)
    h = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = [r for r in rows[h + 1:] if any(v != "" for v in r)]
    total = next((r for r in body if r[0] == "Total"), None)
    return rows[h], (body[: body.index(total)] if total else body), total


# --- which files --------------------------------------------------------------------------------

def test_one_workbook_per_landlord_with_insertion_lots(sample_path, out_dir, m):
    landlords_with_lots = set(expected_lots(m))
    assert landlords_with_lots == set(LANDLORD_FILES)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(LANDLORD_FILES.values())
    for name in LANDLORD_FILES.values():
        assert CalamineWorkbook.from_path(str(out_dir / name)).sheet_names == SHEETS


def test_landlord_without_insertion_lot_gets_no_workbook(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Lots"]
    col = [c.value for c in ws[1]].index("Lot d'insertion") + 1
    dwelling_col = [c.value for c in ws[1]].index("ID logement") + 1
    landlord = {r["ID logement"]: r["Bailleur"] for r in master_tables(sample_path)["Logements"]}
    for row in range(2, ws.max_row + 1):
        if landlord.get(ws.cell(row, dwelling_col).value) == "NLE":
            ws.cell(row, col).value = "Non"
    path = tmp_path / "sans_nle.xlsx"
    wb.save(path)
    # Parcours rows of Contrat d'insertion on NLE lots would now be errors: drop their lot (and the action)
    m = master_tables(path)
    nle_lots = {l["ID lot"] for l in m["Lots"] if landlord[l["ID logement"]] == "NLE"}
    ws = wb["Parcours"]
    head = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, head.index("ID lot") + 1).value in nle_lots:
            ws.cell(row, head.index("ID lot") + 1).value = None
            ws.cell(row, head.index("Action") + 1).value = "Stage"
    ws = wb["Heures"]  # and the firms' statements on those lots
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("ID lot")].value in nle_lots:
            for c in row:
                c.value = None
    wb.save(path)
    written = api.generate_clauses(path, tmp_path / "out", today=TODAY)
    assert sorted(p.name for p in written) == sorted(v for k, v in LANDLORD_FILES.items() if k != "NLE")


# --- figures against an independent computation -------------------------------------------------

@pytest.mark.parametrize("landlord", list(LANDLORD_FILES))
def test_lots_sheet(out_dir, m, landlord):
    want = expected_lots(m)[landlord]
    header, body, total = table(out_dir / LANDLORD_FILES[landlord], "Lots", "ID lot")
    assert header[: len(LOT_HEADERS)] == LOT_HEADERS
    col = {h: i for i, h in enumerate(header)}
    got = {}
    for r in body:
        got[r[0]] = {
            "dwelling": r[col["ID logement"]], "trade": r[col["Corps d'état"]], "firm": r[col["Entreprise"]] or None,
            "amount": r[col["Montant HT (€)"]], "labour": r[col["Taux de main-d'œuvre (%)"]],
            "rate": r[col["Taux d'insertion (%)"]], "cost": r[col["Coût horaire (€)"]],
            "owed": r[col["Heures d'insertion"]], "done": r[col["Heures réalisées"]],
            "start": day(r[col["Début"]]) or None, "end": day(r[col["Fin"]]) or None,
        }
    assert got == want
    assert total[col["Heures d'insertion"]] == sum(l["owed"] for l in want.values())
    assert total[col["Heures réalisées"]] == sum(l["done"] for l in want.values())
    assert total[col["Montant HT (€)"]] == pytest.approx(sum(l["amount"] for l in want.values()))


@pytest.mark.parametrize("landlord", list(LANDLORD_FILES))
def test_summary_per_dwelling(out_dir, m, landlord):
    want = defaultdict(lambda: [0, 0.0])
    for lot in expected_lots(m)[landlord].values():
        want[lot["dwelling"]][0] += lot["owed"]
        want[lot["dwelling"]][1] += lot["done"]
    header, body, total = table(out_dir / LANDLORD_FILES[landlord], "Synthèse", "ID logement")
    col = {h: i for i, h in enumerate(header)}
    got = {r[0]: (r[col["Heures dues"]], r[col["Heures réalisées"]], r[col["Taux de réalisation"]]) for r in body}
    assert got == {d: (o, dn, pytest.approx(dn / o if o else 0)) for d, (o, dn) in want.items()}
    owed, done = sum(o for o, _ in want.values()), sum(d for _, d in want.values())
    assert (total[col["Heures dues"]], total[col["Heures réalisées"]]) == (owed, done)
    assert total[col["Taux de réalisation"]] == pytest.approx(done / owed)


@pytest.mark.parametrize("landlord", list(LANDLORD_FILES))
def test_planning_spreads_each_lot_over_its_months(out_dir, m, landlord):
    fr = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
    want = expected_lots(m)[landlord]
    header, body, total = table(out_dir / LANDLORD_FILES[landlord], "Planning", "ID lot")
    months = header[3:-1]
    assert header[-1] == "Total"

    def month_of(label):
        name, year = label.rsplit(" ", 1)
        return int(year), fr.index(name) + 1

    keys = [month_of(h) for h in months]
    consecutive = [(y + (m == 12), m % 12 + 1) for y, m in keys[:-1]]
    assert keys[1:] == consecutive, "a month is skipped"  # Somco had janv. 2010 then mars 2010
    for r in body:
        lot = want[r[0]]
        spread = {k: v for k, v in zip(keys, r[3:-1]) if v not in ("", 0)}
        assert sum(spread.values()) == r[2] == r[-1] == lot["owed"]
        first, last = (lot["start"].year, lot["start"].month), (lot["end"].year, lot["end"].month)
        assert all(first <= k <= last for k in spread)
        assert all(float(v).is_integer() for v in spread.values())
    assert total[2] == total[-1] == sum(l["owed"] for l in want.values())
    assert total[3:-1] == [sum(r[3 + j] or 0 for r in body) for j in range(len(months))]


@pytest.mark.parametrize("landlord", list(LANDLORD_FILES))
def test_beneficiaries_by_family_id_and_first_name(out_dir, m, landlord):
    lots = expected_lots(m)[landlord]
    surname = {f["ID famille"]: f["Référence"].removeprefix("Famille ") for f in m["Familles"]}
    want = sorted((p["ID famille"], p["Bénéficiaire"].replace(surname[p["ID famille"]], "").strip(), p["ID lot"],
                   p["Partenaire"], day(p["Début"]), day(p["Fin"]), p["Heures prévues"], p["Heures réalisées"])
                  for p in m["Parcours"] if p["ID lot"] in lots)
    header, body, total = table(out_dir / LANDLORD_FILES[landlord], "Bénéficiaires", "ID famille")
    col = {h: i for i, h in enumerate(header)}
    assert "Bénéficiaire" not in col and "Prénom" in col
    got = sorted((r[col["ID famille"]], r[col["Prénom"]], r[col["ID lot"]], r[col["Partenaire"]],
                  day(r[col["Début"]]) or None, day(r[col["Fin"]]) or None,
                  r[col["Heures prévues"]], r[col["Heures réalisées"]]) for r in body)
    assert got == want and want
    assert all(" " not in w[1] and w[1] for w in want)
    assert total[col["Heures réalisées"]] == sum(w[7] or 0 for w in want)


def clause_texts(path) -> dict[str, str]:
    """{lot: its clause}, the paragraphs of the Clauses sheet joined, lot by lot."""
    _, body, _ = table(path, "Clauses", "ID lot")
    texts = {}
    for lot, text in body:
        if lot:
            texts[lot] = texts.get(lot, "") + text + "\n"
    return texts


@pytest.mark.parametrize("landlord", list(LANDLORD_FILES))
def test_clause_text_per_lot(out_dir, m, landlord):
    lots = expected_lots(m)[landlord]
    texts = clause_texts(out_dir / LANDLORD_FILES[landlord])
    assert set(texts) == set(lots)
    for lot_id, text in texts.items():
        lot = lots[lot_id]
        assert lot_id in text and lot["trade"] in text and lot["dwelling"] in text and landlord in text
        assert f"{lot['owed']} heures" in text
        assert "L2112-2 du code de la commande publique" in text
        assert "embauche directe" in text
        assert "structure d'insertion par l'activité économique" in text
        assert "bénéficiaire du programme IGLOO" in text
        assert not text.startswith(("=", "+", "-", "@"))


# --- presentation ---------------------------------------------------------------------------------

def test_title_block_and_print_settings(out_dir, m):
    all_lots = expected_lots(m)
    for landlord, name in LANDLORD_FILES.items():
        years = sorted({d.year for lot in all_lots[landlord].values() for d in (lot["start"], lot["end"])})
        wb = openpyxl.load_workbook(out_dir / name)
        for ws in wb.worksheets:
            top = " ".join(str(ws.cell(r, 1).value or "") for r in range(1, 4))
            assert landlord in top and "IGLOO" in top and "24/11/2026" in top, (name, ws.title)
            assert str(years[0]) in top and str(years[-1]) in top, (name, ws.title)
            assert ws.page_setup.paperSize == 9
            assert ws.print_title_rows == "$5:$5", (name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 page wide (1 is the default)
            assert int(ws.page_setup.fitToHeight) == 0  # as many pages tall as needed
        assert wb["Lots"].page_setup.orientation == "landscape"
        assert wb["Planning"].page_setup.orientation == "landscape"
        lots = wb["Lots"]
        header = [c.value for c in lots[5]]
        money = lots.cell(6, header.index("Montant HT (€)") + 1).number_format
        percent = lots.cell(6, header.index("Taux d'insertion (%)") + 1).number_format
        assert "€" in money and "%" in percent


def test_hours_are_formulas_with_their_values(out_dir):
    wb = openpyxl.load_workbook(out_dir / LANDLORD_FILES["Neolia"])
    lots = wb["Lots"]
    header = [c.value for c in lots[5]]
    hours_col = header.index("Heures d'insertion") + 1
    cells = [lots.cell(r, hours_col) for r in range(6, lots.max_row + 1) if lots.cell(r, 1).value]
    assert all(c.data_type == "f" for c in cells)
    assert cells[-1].value.startswith("=SUM(")
    assert all(isinstance(v, (int, float)) for v in [r[hours_col - 1] for r in grid(out_dir / LANDLORD_FILES["Neolia"], "Lots")[5:]] if v != "")


def test_no_personal_data(out_dir, m):
    references = [f["Référence"] for f in m["Familles"]]
    assert len(references) == 18
    surnames = [r.removeprefix("Famille ") for r in references]
    for path in out_dir.glob("*.xlsx"):
        text = zip_text(path)
        leaked = [r for r in references if r in text]
        assert not leaked, (path.name, leaked)
        leaked = [n for n in surnames if re.search(rf"\b{re.escape(n)}\b", text)]
        assert not leaked, (path.name, leaked)  # the beneficiaries' surnames are the families'
        assert "Ressources" not in text and "Adultes" not in text and "Enfants" not in text


def test_typed_text_never_becomes_a_formula(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    # rows 2, 3, 6, 7 of Lots are insertion lots of Habitat & Humanisme (L01-1, L01-2, L02-1, L02-2)
    typed = ['=HYPERLINK("http://x","clic")', "+33 1 23", "-Muller", "@SUM(A1)"]
    for row, text in zip((2, 3, 6, 7), typed):
        wb["Lots"][f"D{row}"].value = text
        wb["Lots"][f"D{row}"].data_type = "s"
    path = tmp_path / "injection.xlsx"
    wb.save(path)
    written = api.generate_clauses(path, tmp_path / "out", today=TODAY)
    schedule = next(p for p in written if "Habitat" in p.name)
    firms = [openpyxl.load_workbook(schedule)["Lots"].cell(r, 4) for r in range(6, 12)]
    assert set(typed) <= {c.value for c in firms}
    assert all(c.data_type == "s" for c in firms if c.value)
    follow_up = openpyxl.load_workbook(schedule)["Suivi mensuel"]
    firms = [follow_up.cell(r, 3) for r in range(6, follow_up.max_row + 1)]
    assert set(typed) <= {c.value for c in firms}
    assert all(c.data_type == "s" for c in firms if c.value)


# --- API and command line ------------------------------------------------------------------------

def test_accepts_a_loaded_master(sample_path, tmp_path):
    written = api.generate_clauses(load_master(sample_path), tmp_path, today=TODAY)
    assert sorted(p.name for p in written) == sorted(LANDLORD_FILES.values())


def test_refused_while_master_has_errors(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = "deux"
    bad = tmp_path / "faux.xlsx"
    wb.save(bad)
    with pytest.raises(MasterHasErrors) as exc:
        api.generate_clauses(bad, tmp_path / "out", today=TODAY)
    assert ("Familles", "C3", "not-a-number") in {(f.sheet, f.cell, f.code) for f in exc.value.findings}
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    result = CliRunner().invoke(app, ["clauses", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_writes_and_lists_the_files(sample_path, tmp_path):
    result = CliRunner().invoke(app, ["clauses", str(sample_path), "--out", str(tmp_path / "sorties")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "sorties").iterdir()) == sorted(LANDLORD_FILES.values())
    for name in LANDLORD_FILES.values():
        assert name in result.output


# --- LibreOffice ----------------------------------------------------------------------------------

@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_libreoffice_recalculates_to_the_stored_values(out_dir, tmp_path):
    total = 0
    for name in LANDLORD_FILES.values():
        copy = recalc(out_dir / name, tmp_path / Path(name).stem)
        checked, problems = recalculation_mismatches(out_dir / name, copy)
        assert not problems, "\n".join(problems[:20])
        total += checked
    assert total > 100


# --- golden files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(LANDLORD_FILES.values()))
def test_golden(out_dir, name, golden):
    golden(GOLDEN / (Path(name).stem + ".json"), snapshot(out_dir / name))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_lo_tools_really_recalculates(tmp_path):
    """A wrong cached value is caught: the helper does not just copy LibreOffice's cache."""
    import xlsxwriter

    path = tmp_path / "faux.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Lots")
    ws.write_number(0, 0, 2)
    ws.write_formula(0, 1, "=A1*3", None, 5)
    wb.close()
    checked, problems = recalculation_mismatches(path, recalc(path, tmp_path / "lo"))
    assert checked == 1 and problems == ["Lots!B1: stored 5.0, LibreOffice 6.0"]
