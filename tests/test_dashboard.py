"""Tableau de bord: live charts pointing at the right cells, figures matching an independent computation."""

import datetime as dt
import re
import zipfile
from collections import Counter

import openpyxl
import pytest
from xlsx_compare import expected_lots, master_tables

from igloo_xl import api
from igloo_xl.outputs.dashboard_sheet import SHEET

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def master_data(sample_path):
    return master_tables(sample_path)




@pytest.fixture(scope="module")
def dashboard_master(sample_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("dashboard") / "maitre.xlsx"
    path.write_bytes(sample_path.read_bytes())
    api.refresh_dashboard(path, today=TODAY)
    return path


def chart_xml(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        xml = [z.read(n).decode("utf-8") for n in sorted(names, key=lambda n: int(re.search(r"(\d+)", n).group(1)))]
    return [re.sub(r"<(/?)c:", r"<\1", x) for x in xml]  # with or without the c: prefix


def cells(ws, ref):
    """Values of a chart reference like 'Tableau de bord'!$C$8:$C$15."""
    area = ref.split("!")[1].replace("$", "")
    return [c.value for row in ws[area] for c in (row if isinstance(row, tuple) else (row,))]


def test_sheet_added_after_accueil_with_nine_charts(dashboard_master):
    wb = openpyxl.load_workbook(dashboard_master)
    assert wb.sheetnames[:3] == ["Accueil", SHEET, "Familles"]
    charts = chart_xml(dashboard_master)
    assert len(charts) == 9
    gantt = charts[0]
    assert '<barDir val="bar"' in gantt and '<grouping val="stacked"' in gantt and '<overlap val="100"' in gantt
    assert "noFill" in gantt  # the invisible start bar
    kinds = [re.search(r"<(barChart|pieChart|lineChart)>", x).group(1) for x in charts]
    assert kinds == ["barChart", "barChart", "pieChart", "barChart", "barChart", "barChart", "barChart", "barChart", "lineChart"]


def test_series_point_at_the_figures(dashboard_master, master_data):
    wb = openpyxl.load_workbook(dashboard_master)
    ws = wb[SHEET]
    charts = chart_xml(dashboard_master)
    refs = [re.findall(r"<f>([^<]+)</f>", x) for x in charts]
    assert all(r.startswith("'Tableau de bord'!") for rs in refs for r in rs)
    # families by status
    status_counts = Counter(f["Statut"] for f in master_data["Familles"])
    # each series holds its title, categories and values references, in that order
    cats, vals = cells(ws, refs[1][1]), cells(ws, refs[1][2])
    assert dict(zip(cats, vals)) == {s: status_counts.get(s, 0) for s in ("Candidate", "Sélectionnée", "Relogée", "Sortie")}
    # hours per landlord: owed and done
    expected = expected_lots(master_data)
    landlord_refs = refs[3]
    names, owed, done = cells(ws, landlord_refs[1]), cells(ws, landlord_refs[2]), cells(ws, landlord_refs[5])
    assert {n: (o, d) for n, o, d in zip(names, owed, done)} == {
        l: (sum(x["owed"] for x in lots.values()), sum(x["done"] for x in lots.values())) for l, lots in expected.items()}
    # Gantt: one bar per milestone, starting at its date
    gantt_refs = refs[0]
    steps, starts = cells(ws, gantt_refs[1]), cells(ws, gantt_refs[2])
    assert len(steps) == 8 and starts[0] == (dt.date(2009, 1, 1) - dt.date(1899, 12, 30)).days


def test_key_figures_match_independent_computation(dashboard_master, master_data):
    ws = openpyxl.load_workbook(dashboard_master)[SHEET]
    key = {}
    for row in ws.iter_rows(min_row=6, max_row=17, max_col=2, values_only=True):
        if row[0]:
            key[row[0]] = row[1]
    expected = expected_lots(master_data)
    owed = sum(x["owed"] for lots in expected.values() for x in lots.values())
    done = sum(x["done"] for lots in expected.values() for x in lots.values())
    meetings = master_data["Accompagnement"]
    assert key["Familles du programme"] == len(master_data["Familles"])
    assert key["Familles relogées"] == sum(f["Statut"] == "Relogée" for f in master_data["Familles"])
    assert key["Heures d'insertion dues"] == owed and key["Heures d'insertion réalisées"] == done
    assert key["Taux de réalisation des heures (%)"] == round(100 * done / owed, 1)
    assert key["Rencontres d'accompagnement"] == len(meetings)
    assert key["Heures d'accompagnement"] == pytest.approx(sum(m["Durée (h)"] for m in meetings))
    assert key["Participations au groupe de parole (CSM)"] == sum(
        m["Participants"] or 0 for m in meetings if m["Type"] == "Groupe de parole (CSM)")
    granted = sum(f["Montant accordé (€)"] or 0 for f in master_data["Financements"] if f["Statut"] != "Refusé")
    assert key["Financements accordés (€)"] == granted


def test_no_personal_data_on_the_dashboard(dashboard_master, master_data):
    with zipfile.ZipFile(dashboard_master) as z:
        sheet = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet") and "Tableau de bord" in z.read(n).decode(errors="ignore"))
    assert not [f["Référence"] for f in master_data["Familles"] if f["Référence"] in sheet]
    assert not [f["Membre en parcours"] for f in master_data["Familles"] if f["Membre en parcours"] and f["Membre en parcours"] in sheet]


def test_refresh_replaces_the_sheet_and_keeps_the_master_valid(dashboard_master):
    api.refresh_dashboard(dashboard_master, today=TODAY)
    wb = openpyxl.load_workbook(dashboard_master)
    assert wb.sheetnames.count(SHEET) == 1 and len(chart_xml(dashboard_master)) == 9
    assert api.validate_file(dashboard_master).ok


def test_excel_button_rewrites_the_values(dashboard_master):
    from xlwings_payload import open_book, payload

    from igloo_xl import excel
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.outputs.dashboard_sheet import dashboard_values
    from igloo_xl.model.master import load_master

    book = open_book(payload(dashboard_master))
    excel.refresh_dashboard()
    position = [s["name"] for s in book.api["sheets"]].index(SHEET)
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues" and a["sheet_position"] == position]
    expected = dashboard_values(dashboard_figures(load_master(dashboard_master)))
    assert len(writes) == len(expected)
    from xlwings.utils import col_name

    got = {f"A{w['start_row'] + 1}:{col_name(w['start_column'] + w['column_count'])}{w['start_row'] + w['row_count']}" for w in writes}
    assert got == set(expected)
