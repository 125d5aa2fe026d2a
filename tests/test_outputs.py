"""Landlords' insertion-clause schedules and funders' budget tables, generated from the sample."""

import datetime as dt
import math
import os
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from igloo_xl import api
from igloo_xl.errors import BadArgument, MasterHasErrors
from lo_tools import SOFFICE, recalculated_copies
from xlsx_compare import diff, load_golden, save_golden, snapshot

TODAY = dt.date(2026, 11, 24)
GOLDEN = Path(__file__).parent / "golden"
LANDLORD_FILES = {
    "Habitat & Humanisme": "Clauses_insertion_Habitat_Humanisme.xlsx",
    "Neolia": "Clauses_insertion_Neolia.xlsx",
    "NLE": "Clauses_insertion_NLE.xlsx",
    "Somco": "Clauses_insertion_Somco.xlsx",
    "LogiEst": "Clauses_insertion_LogiEst.xlsx",
}
BUDGETS = [("CAMSA", 2009), ("CAMSA", 2010), ("FSL", 2009), ("FSL", 2010)]


@pytest.fixture(scope="module")
def outputs(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("sorties")
    clauses = api.generate_clauses(sample_path, out, today=TODAY)
    budgets = {(f, y): api.export_budget(sample_path, f, y, out / f"Budget_{f}_{y}.xlsx", today=TODAY) for f, y in BUDGETS}
    return {"clauses": clauses, "budgets": budgets, "dir": out}


# --- independent reading of the master (openpyxl, no library code) ---------------------------

def table_rows(wb, sheet, table):
    ws = wb[sheet]
    ref = ws.tables[table].ref
    rows = [[c.value for c in r] for r in ws[ref]]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def master_data(sample_path):
    wb = openpyxl.load_workbook(sample_path)
    data = {name: table_rows(wb, name, f"t_{name}") for name in ("Familles", "Logements", "Lots", "Parcours", "Financements", "Budget", "Accompagnement")}
    settings = {r["Paramètre"]: r["Valeur"] for r in table_rows(wb, "Paramètres", "t_Reglages")}
    data["trade_rate"] = {r["Corps d'état"]: r["Taux de main-d'œuvre par défaut (%)"] for r in table_rows(wb, "Paramètres", "t_CorpsEtat")}
    data["funder_line"] = {r["Financeur"]: r["Ligne du budget"] for r in table_rows(wb, "Paramètres", "t_Financeurs")}
    data["default_rate"] = settings["Taux d'insertion par défaut (%)"]
    data["default_cost"] = settings["Coût horaire par défaut (€)"]
    return data


def expected_lots(m):
    landlord = {d["ID logement"]: d["Bailleur"] for d in m["Logements"]}
    done = defaultdict(float)
    for p in m["Parcours"]:
        if p["ID lot"]:
            done[p["ID lot"]] += p["Heures réalisées"] or 0
    out = defaultdict(dict)
    for lot in m["Lots"]:
        if lot["Lot d'insertion"] != "Oui":
            continue
        labour = lot["Taux de main-d'œuvre (%)"] or m["trade_rate"][lot["Corps d'état"]]
        rate = lot["Taux d'insertion (%)"] if lot["Taux d'insertion (%)"] is not None else m["default_rate"]
        cost = lot["Coût horaire (€)"] or m["default_cost"]
        hours = math.floor(lot["Montant HT (€)"] * labour / cost * rate + 0.5)
        out[landlord[lot["ID logement"]]][lot["ID lot"]] = (hours, done[lot["ID lot"]])
    return out


def sheet_values(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def header_index(rows, first_header):
    return next(i for i, r in enumerate(rows) if r and r[0] == first_header)


# --- insertion-clause schedules ----------------------------------------------------------------

def test_one_schedule_per_landlord_with_insertion_lots(outputs):
    assert sorted(p.name for p in outputs["clauses"]) == sorted(LANDLORD_FILES.values())


def test_lots_sheet_matches_independent_computation(outputs, master_data):
    expected = expected_lots(master_data)
    for landlord, name in LANDLORD_FILES.items():
        rows = sheet_values(outputs["dir"] / name, "Lots")
        h = header_index(rows, "ID lot")
        header = rows[h]
        for required in ["ID lot", "ID logement", "Corps d'état", "Entreprise", "Montant HT (€)", "Taux de main-d'œuvre (%)",
                         "Taux d'insertion (%)", "Coût horaire (€)", "Heures d'insertion", "Heures réalisées"]:
            assert required in header
        col = {h_: i for i, h_ in enumerate(header)}
        body = rows[h + 1:]
        total = next(r for r in body if r[0] == "Total")
        lots = {r[0]: (r[col["Heures d'insertion"]], r[col["Heures réalisées"]]) for r in body[: body.index(total)]}
        assert lots == expected[landlord], landlord
        assert total[col["Heures d'insertion"]] == sum(h for h, _ in expected[landlord].values())
        assert total[col["Heures réalisées"]] == sum(d for _, d in expected[landlord].values())


def test_schedule_has_summary_planning_beneficiaries_and_clauses(outputs, master_data):
    expected = expected_lots(master_data)
    path = outputs["dir"] / LANDLORD_FILES["Neolia"]
    sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    assert sheets == ["Lots", "Synthèse", "Planning", "Bénéficiaires", "Clauses"]
    summary = sheet_values(path, "Synthèse")
    h = header_index(summary, "ID logement")
    per_dwelling = {r[0]: (r[3], r[4]) for r in summary[h + 1:] if r[0] and r[0] != "Total"}
    want = defaultdict(lambda: [0, 0])
    dwelling_of = {l["ID lot"]: l["ID logement"] for l in master_data["Lots"]}
    for lot, (owed, done) in expected["Neolia"].items():
        want[dwelling_of[lot]][0] += owed
        want[dwelling_of[lot]][1] += done
    assert per_dwelling == {k: tuple(v) for k, v in want.items()}
    planning = sheet_values(path, "Planning")
    h = header_index(planning, "ID lot")
    for r in planning[h + 1:]:
        if r[0] and r[0] != "Total":
            assert sum(v for v in r[3:-1] if v != "") == r[2] == r[-1] == expected["Neolia"][r[0]][0]
    benef = sheet_values(path, "Bénéficiaires")
    h = header_index(benef, "ID famille")
    lots = {r[2] for r in benef[h + 1:] if r[0] and r[0] != "Total"}
    assert lots == set(expected["Neolia"])
    clauses = sheet_values(path, "Clauses")
    h = header_index(clauses, "ID lot")
    texts = {r[0]: r[1] for r in clauses[h + 1:] if r[0]}
    assert set(texts) == set(expected["Neolia"])
    for lot, text in texts.items():
        assert f"{expected['Neolia'][lot][0]} heures" in text


def test_no_personal_data_in_any_output(outputs, master_data):
    references = [f["Référence"] for f in master_data["Familles"]]
    incomes = {f"{f['Ressources mensuelles (€)']:.2f}".rstrip("0").rstrip(".") for f in master_data["Familles"]}
    files = list(outputs["dir"].glob("*.xlsx"))
    assert len(files) == len(LANDLORD_FILES) + len(BUDGETS)
    for path in files:
        with zipfile.ZipFile(path) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        for ref in references:
            assert ref not in text, (path.name, ref)
        assert "Ressources" not in text and "Adultes" not in text and "Enfants" not in text


def test_funder_tables_name_families_by_id_only(outputs, master_data):
    members = {f["Membre en parcours"] for f in master_data["Familles"] if f["Membre en parcours"]}
    for path in outputs["budgets"].values():
        with zipfile.ZipFile(path) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        assert not [m for m in members if m in text]


# --- budget tables ------------------------------------------------------------------------------

def counted(f):
    if f["Statut"] in ("Accordé", "Versé"):
        return f["Montant accordé (€)"] or 0
    if f["Statut"] == "Demandé":
        return f["Montant demandé (€)"]
    return 0


@pytest.mark.parametrize("funder,year", BUDGETS)
def test_budget_table_matches_independent_computation(outputs, master_data, funder, year):
    name = {"CAMSA": "État / CAMSA", "FSL": "Conseil Général (FSL)"}[funder]
    actions = [a for a in ("Coordination", "Accompagnement social", "Travaux", "Insertion professionnelle")
               if any(f["Financeur"] == name and f["Année"] == year and f["Action"] == a and f["Statut"] != "Refusé"
                      for f in master_data["Financements"])]
    path = outputs["budgets"][(funder, year)]
    book = CalamineWorkbook.from_path(str(path))
    expected_sheets = actions + (["Familles accompagnées"] if funder == "FSL" else [])
    assert book.sheet_names == expected_sheets
    for action in actions:
        rows = sheet_values(path, action)
        assert rows[0][0].startswith("Budget") and action in rows[0][0]
        charges = sum(b["Prévu (€)"] for b in master_data["Budget"]
                      if b["Année"] == year and b["Action"] == action and b["Compte"] != "86")
        produits = sum(counted(f) for f in master_data["Financements"] if f["Année"] == year and f["Action"] == action)
        by_line = defaultdict(float)
        for f in master_data["Financements"]:
            if f["Année"] == year and f["Action"] == action:
                by_line[master_data["funder_line"][f["Financeur"]]] += counted(f)

        def row_starting(label):
            return next(r for r in rows if isinstance(r[0], str) and r[0].startswith(label))

        def first_number(row):
            return next(v for v in row if isinstance(v, (int, float)) and not isinstance(v, bool))

        assert first_number(row_starting("Total des charges")) == pytest.approx(charges)
        assert first_number(row_starting("Total des produits")) == pytest.approx(produits - by_line["87"])
        state = next(r for r in rows if isinstance(r[1], str) and r[1].startswith("État"))
        assert first_number(state) == pytest.approx(by_line["État"])
        assert [r[0] for r in rows if r[0] in {"60", "61", "62", "63", "64", "65", "66", "67", "68"}] == [str(a) for a in range(60, 69)]
        header = next(r for r in rows if r[0] == "Compte")
        has_actual = any(b["Réalisé (€)"] is not None for b in master_data["Budget"] if b["Année"] == year and b["Action"] == action)
        assert ("Réalisé (€)" in header) == has_actual


def test_fsl_annex_counts_meetings_hours_months(outputs, master_data):
    for year in (2009, 2010):
        path = outputs["budgets"][("FSL", year)]
        rows = sheet_values(path, "Familles accompagnées")
        h = header_index(rows, "ID famille")
        got = {r[0]: (r[1], r[2], r[3]) for r in rows[h + 1:] if r[0] and str(r[0]).startswith("F")}
        want = defaultdict(lambda: [0, 0.0, set()])
        for a in master_data["Accompagnement"]:
            if a["ID famille"] and a["Date"].year == year:
                w = want[a["ID famille"]]
                w[0] += 1
                w[1] += a["Durée (h)"]
                w[2].add(a["Date"].month)
        assert got == {k: (v[0], v[1], len(v[2])) for k, v in want.items()}


def test_unknown_ambiguous_or_empty_funder_is_refused(sample_path, tmp_path):
    for funder, year in (("Banque", 2009), ("Ville", 2031)):
        with pytest.raises(BadArgument):
            api.export_budget(sample_path, funder, year, tmp_path / "x.xlsx", today=TODAY)
    assert not (tmp_path / "x.xlsx").exists()


def test_outputs_refused_while_master_has_errors(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = "deux"
    bad = tmp_path / "faux.xlsx"
    wb.save(bad)
    with pytest.raises(MasterHasErrors) as exc:
        api.generate_clauses(bad, tmp_path / "out", today=TODAY)
    assert ("Familles", "C3", "not-a-number") in {(f.sheet, f.cell, f.code) for f in exc.value.findings}
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_typed_text_never_becomes_a_formula(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    # rows 2, 3, 6, 7 of Lots are insertion lots of Habitat & Humanisme (L01-1, L01-2, L02-1, L02-2)
    for row, text in zip((2, 3, 6, 7), ["=HYPERLINK(\"http://x\",\"clic\")", "+33 1 23", "-Muller", "@SUM(A1)"]):
        wb["Lots"][f"D{row}"].value = text
        wb["Lots"][f"D{row}"].data_type = "s"
    path = tmp_path / "injection.xlsx"
    wb.save(path)
    written = api.generate_clauses(path, tmp_path / "out", today=TODAY)
    schedule = [p for p in written if "Habitat" in p.name][0]
    formulas = openpyxl.load_workbook(schedule)["Lots"]
    firms = [formulas.cell(r, 4) for r in range(6, 12)]
    assert {"=HYPERLINK(\"http://x\",\"clic\")", "+33 1 23", "-Muller", "@SUM(A1)"} <= {c.value for c in firms}
    assert all(c.data_type == "s" for c in firms if c.value)


# --- LibreOffice: opens without repair and recalculates to the stored values -----------------

@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (CI installs it)")
def test_libreoffice_recalculates_to_stored_values(outputs, tmp_path):
    files = sorted(outputs["dir"].glob("*.xlsx"))
    copies = recalculated_copies(files, tmp_path)
    checked = 0
    for original, recalculated in copies.items():
        formulas = openpyxl.load_workbook(original)
        a, b = CalamineWorkbook.from_path(str(original)), CalamineWorkbook.from_path(str(recalculated))
        assert a.sheet_names == b.sheet_names
        for name in a.sheet_names:
            stored = a.get_sheet_by_name(name).to_python(skip_empty_area=False)
            recalc = b.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for row in formulas[name].iter_rows():
                for c in row:
                    if c.data_type == "f":
                        s, r = stored[c.row - 1][c.column - 1], recalc[c.row - 1][c.column - 1]
                        assert r == pytest.approx(s, abs=1e-6), f"{original.name} {name}!{c.coordinate}: stored {s}, LibreOffice {r}"
                        checked += 1
    assert checked > 100


# --- golden files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [LANDLORD_FILES["Neolia"], "Budget_CAMSA_2009.xlsx", "Budget_FSL_2010.xlsx"])
def test_golden(outputs, name):
    golden = GOLDEN / (Path(name).stem + ".json")
    actual = snapshot(outputs["dir"] / name)
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        save_golden(golden, actual)
        pytest.skip("golden written: review it and commit")
    problems = diff(load_golden(golden), actual)
    assert not problems, "\n".join(problems[:40])
