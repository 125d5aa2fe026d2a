"""The facilitator's monthly follow-up in the landlords' schedules, checked against hours computed here,
independently (openpyxl rows of the master, no igloo_xl computation), from a master with planted
monthly statements: a missing month, a statement before the lot starts, two beneficiaries on one lot,
a minimum of hours under which a lot gets no clause."""

import datetime as dt
import re
from collections import defaultdict

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xlsx_compare import day, expected_lots, master_tables, zip_text

from igloo_xl import api
from igloo_xl.domain.clause_text import clause
from igloo_xl.domain.insertion import (
    MISSING, OUTSIDE, RECEIVED, UPCOMING, ClauseTerms, InsertionLot, first_name, follow_up, monthly_hours,
)
from igloo_xl.model.params import Facilitator

TODAY = dt.date(2026, 11, 24)
SOMCO = "Clauses_insertion_Somco.xlsx"
LOT = "L12-1"  # Somco, works from March to May 2010, beneficiary F12
SECOND = "F13"  # a second beneficiary planted on LOT
MIN_HOURS = 10
MODES = ["Embauche directe", "Mise à disposition (ETTI, AI)", "GEIQ", "Sous-traitance ou cotraitance (SIAE)", "Formation"]


def _set_setting(wb, name, value):
    ws = wb["Paramètres"]
    for row in ws.iter_rows():
        if row[0].value == name:
            row[1].value = value
            return
    raise AssertionError(name)


def _append(ws, values: dict):
    head = [c.value for c in ws[1]]
    row = ws.max_row + 1
    for k, v in values.items():
        ws.cell(row, head.index(k) + 1).value = v


@pytest.fixture(scope="module")
def planted(sample_path, tmp_path_factory):
    """(master path, output dir): the sample with planted statements and a minimum of 10 hours."""
    tmp = tmp_path_factory.mktemp("planted")
    wb = openpyxl.load_workbook(sample_path)
    heures = wb["Heures"]
    head = [c.value for c in heures[1]]
    col = {h: head.index(h) for h in head}
    for row in heures.iter_rows(min_row=2):
        if row[col["ID famille"]].value == "F12" and row[col["ID lot"]].value == LOT and row[col["Mois"]].value.month == 4:
            for c in row:
                c.value = None  # April 2010: no statement from anyone on the lot
    _append(heures, {"Mois": dt.datetime(2010, 1, 15), "ID famille": "F12", "ID lot": LOT, "Heures réalisées": 7,
                     "Justificatif": "Attestation ETTI / AI / GEIQ"})  # before the lot starts (March)
    for month, hours in ((3, 12), (5, 10)):
        _append(heures, {"Mois": dt.datetime(2010, month, 1), "ID famille": SECOND, "ID lot": LOT, "Heures réalisées": hours,
                         "Justificatif": "Relevé d'heures de l'entreprise"})
    _append(wb["Parcours"], {"ID famille": SECOND, "Bénéficiaire": "Abdou Mendy", "Action": "Contrat d'insertion",
                             "Partenaire": "MEF", "ID lot": LOT, "Début": dt.datetime(2010, 3, 1),
                             "Fin": dt.datetime(2010, 5, 31), "Heures prévues": 20, "Heures réalisées": 22,
                             "Mode de réalisation": "Embauche directe", "Public": "Bénéficiaire du RSA"})
    _set_setting(wb, "Heures minimales pour une clause", MIN_HOURS)
    path = tmp / "plante.xlsx"
    wb.save(path)
    out = tmp / "out"
    api.generate_clauses(path, out, today=TODAY)
    return path, out


def rows_of(path, sheet, first_header):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    h = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    body = [dict(zip(rows[h], r)) for r in rows[h + 1:] if any(v != "" for v in r)]
    return [r for r in body if r[first_header] != "Total"], next((r for r in body if r[first_header] == "Total"), None)


def independent(path):
    """From the master's rows alone: Somco's lots, statements per (lot, month), hours per mode and public."""
    wb = openpyxl.load_workbook(path)
    m = master_tables(path)
    lots = expected_lots(m)["Somco"]
    ws = wb["Heures"]  # planted rows lie below the table: read the whole sheet
    head = [c.value for c in ws[1]]
    heures = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[head.index("ID lot")]]
    ws = wb["Parcours"]
    head = [c.value for c in ws[1]]
    parcours = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    way = {(p["ID famille"], p["ID lot"]): (p["Mode de réalisation"], p["Public"]) for p in parcours
           if p["Action"] == "Contrat d'insertion"}
    per_month, per_mode, per_public = defaultdict(float), defaultdict(float), defaultdict(float)
    for h in heures:
        if h["ID lot"] not in lots:
            continue
        month = dt.date(h["Mois"].year, h["Mois"].month, 1)
        per_month[(h["ID lot"], month)] += h["Heures réalisées"]
        mode, public = way[(h["ID famille"], h["ID lot"])]
        per_mode[mode] += h["Heures réalisées"]
        per_public[public] += h["Heures réalisées"]
    return lots, per_month, per_mode, per_public, parcours


def test_hours_per_lot_and_month(planted):
    path, out = planted
    lots, per_month, _, _, _ = independent(path)
    body, total = rows_of(out / SOMCO, "Suivi mensuel", "ID lot")
    got = defaultdict(dict)
    for r in body:
        got[r["ID lot"]][day(r["Mois"])] = r
    for lot_id, months in got.items():
        keys = sorted(months)
        declared = sorted(m for (l, m) in per_month if l == lot_id)
        first = min(keys[0], *declared) if declared else keys[0]
        assert keys[0] == first and keys[-1] >= max(declared or keys)
        # every month between the first and the last is there
        expect, m = [], keys[0]
        while m <= keys[-1]:
            expect.append(m)
            m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        assert keys == expect, lot_id
        for month, r in months.items():
            want = per_month.get((lot_id, month))
            if want is not None:
                assert r["Heures réalisées"] == want and r["Relevé"] == RECEIVED, (lot_id, month)
    l12 = got[LOT]
    assert [m.month for m in sorted(l12)] == [1, 2, 3, 4, 5]
    assert l12[dt.date(2010, 1, 1)]["Heures réalisées"] == 7  # before the lot starts: kept, not lost
    assert l12[dt.date(2010, 1, 1)]["Heures dues"] == 0
    assert (l12[dt.date(2010, 2, 1)]["Heures réalisées"], l12[dt.date(2010, 2, 1)]["Relevé"]) == ("", OUTSIDE)
    assert l12[dt.date(2010, 3, 1)]["Heures réalisées"] == 28 + 12  # two beneficiaries
    april = l12[dt.date(2010, 4, 1)]
    assert april["Heures réalisées"] == "manquant" and april["Relevé"] == MISSING  # missing, never 0
    # cumulated and gap
    for lot_id, months in got.items():
        cum_owed = cum_done = 0
        for month in sorted(months):
            r = months[month]
            cum_owed += r["Heures dues"] or 0
            cum_done += per_month.get((lot_id, month), 0)
            assert (r["Cumul dû"], r["Cumul réalisé"]) == (cum_owed, cum_done)
            assert r["Écart (réalisé − dû)"] == cum_done - cum_owed
    assert total["Heures réalisées"] == sum(v for (l, _), v in per_month.items())


def test_hours_per_lot_in_lots_sheet(planted):
    path, out = planted
    lots, per_month, _, _, _ = independent(path)
    body, _ = rows_of(out / SOMCO, "Lots", "ID lot")
    done = {r["ID lot"]: r["Heures réalisées"] for r in body}
    assert done[LOT] == 7 + 28 + 28 + 12 + 10
    assert done == {lot: sum(v for (l, _), v in per_month.items() if l == lot) for lot in lots}


def test_hours_per_mode_and_public_and_beneficiaries(planted):
    path, out = planted
    lots, _, per_mode, per_public, parcours = independent(path)
    rows = CalamineWorkbook.from_path(str(out / SOMCO)).get_sheet_by_name("Réalisation").to_python(skip_empty_area=False)

    def block(first_header):
        h = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
        out_ = {}
        for r in rows[h + 1:]:
            if not r[0] or r[0] == "Total":
                return out_, r
            out_[r[0]] = (r[1], r[2])
        return out_, None

    modes, mode_total = block("Mode de réalisation")
    assert list(modes)[: len(MODES)] == MODES
    assert {k: v[0] for k, v in modes.items() if v[0]} == dict(per_mode)
    assert modes["Embauche directe"] == (22, 1)  # the planted second beneficiary
    publics, _ = block("Public")
    assert {k: v[0] for k, v in publics.items() if v[0]} == dict(per_public)
    people = {p["ID famille"] for p in parcours if p["ID lot"] in lots}
    assert mode_total[2] == len(people) == 3
    body, _ = rows_of(out / SOMCO, "Bénéficiaires", "ID famille")
    on_lot = {r["ID famille"]: (r["Prénom"], r["Heures réalisées"]) for r in body if r["ID lot"] == LOT}
    assert on_lot == {"F12": ("Nicolas", 7 + 28 + 28), SECOND: ("Abdou", 22)}


def test_charter_rates(planted):
    path, out = planted
    m = master_tables(path)
    landlord = {d["ID logement"]: d["Bailleur"] for d in m["Logements"]}
    labour = defaultdict(float)
    for lot in m["Lots"]:
        rate = lot["Taux de main-d'œuvre (%)"] or m["trade_rate"][lot["Corps d'état"]]
        hours = lot["Montant HT (€)"] * rate / (lot["Coût horaire (€)"] or m["default_cost"])
        labour[landlord[lot["ID logement"]]] += hours
        labour["Programme"] += hours
    owed = sum(l["owed"] for l in expected_lots(m)["Somco"].values())
    rows = CalamineWorkbook.from_path(str(out / SOMCO)).get_sheet_by_name("Réalisation").to_python(skip_empty_area=False)
    by_label = {r[0]: r[1:3] for r in rows if r and r[0]}
    assert by_label["Heures de main-d'œuvre de tous les lots (montant × main-d'œuvre ÷ coût horaire)"] == [
        pytest.approx(labour["Somco"]), pytest.approx(labour["Programme"])]
    assert by_label["Taux d'insertion dû (heures dues ÷ main-d'œuvre)"][0] == pytest.approx(owed / labour["Somco"])
    assert by_label["Minimum de la charte"] == [0.05, 0.05]
    done_rate = by_label["Taux d'insertion réalisé (heures réalisées ÷ main-d'œuvre)"]
    assert by_label["Charte respectée (taux réalisé ≥ minimum)"] == ["Oui" if r >= 0.05 else "Non" for r in done_rate]


def test_lots_under_the_minimum_get_no_clause(planted):
    path, out = planted
    lots = expected_lots(master_tables(path))["Somco"]
    small = {k for k, l in lots.items() if l["owed"] < MIN_HOURS}
    assert small  # the sample has lots owing 9 hours
    body, _ = rows_of(out / SOMCO, "Lots", "ID lot")
    assert {r["ID lot"] for r in body if r["Clause"] != "Oui"} == small
    rows = CalamineWorkbook.from_path(str(out / SOMCO)).get_sheet_by_name("Clauses").to_python(skip_empty_area=False)
    h = next(i for i, r in enumerate(rows) if r[0] == "ID lot")
    section = next(i for i, r in enumerate(rows) if r[1] == "Lots sans clause d'insertion")
    with_clause = {r[0] for r in rows[h + 1:section] if r[0]}
    listed = {r[0] for r in rows[section + 1:] if r[0]}
    assert with_clause == set(lots) - small and listed == small
    planning, _ = rows_of(out / SOMCO, "Planning", "ID lot")
    assert {r["ID lot"] for r in planning} == set(lots) - small


def test_no_surname_in_any_landlord_file(planted):
    path, out = planted
    m = master_tables(path)
    surnames = {f["Référence"].removeprefix("Famille ") for f in m["Familles"]} | {"Mendy"}
    files = list(out.glob("*.xlsx"))
    assert len(files) == 5
    for f in files:
        text = zip_text(f)
        leaked = [n for n in surnames if re.search(rf"\b{re.escape(n)}\b", text)]
        assert not leaked, (f.name, leaked)


# --- the clause text ------------------------------------------------------------------------------

LOT_SAMPLE = InsertionLot(
    id="L07-2", dwelling="L07", address="5 rue Vauban, 68100 Mulhouse", trade="Menuiseries", firm="Menuiserie Z",
    amount=480_000.0, labour_rate=0.35, insertion_rate=0.07, hourly_cost=32.0, hours_owed=368, hours_done=0.0,
    start=dt.date(2010, 1, 4), end=dt.date(2010, 3, 26),
)
PUBLICS = ["Bénéficiaire du RSA", "Travailleur handicapé (RQTH)", "Habitant d'un quartier prioritaire"]
FACILITATOR = Facilitator(name="Claire Facilitatrice", structure="MEF de Mulhouse", email="clause@mef.example", phone="03 89 12 34 56")


def terms(penalty):
    return ClauseTerms("IGLOO", "Association Espoir", FACILITATOR, PUBLICS, penalty, None)


@pytest.mark.parametrize("penalty", [45.0, None])
def test_clause_holds_every_required_element(penalty):
    text = clause(LOT_SAMPLE, "Neolia", terms(penalty))
    assert "article L2112-2 du code de la commande publique" in text
    # hours and how they were computed: 480 000 × 35 % ÷ 32 = 5 250 h of labour, × 7 % = 367,5 -> 368
    for figure in ("368 heures", "480\u202f000 €", "35 %", "32 €", "5\u202f250 heures de main-d'œuvre", "7 %"):
        assert figure in text, figure
    for public in PUBLICS:
        assert public in text
    for way in ("embauche directe", "entreprise de travail temporaire d'insertion (ETTI)", "association intermédiaire (AI)",
                "groupement d'employeurs pour l'insertion et la qualification (GEIQ)", "sous-traitance ou la cotraitance",
                "structure d'insertion par l'activité économique (SIAE)", "la formation"):
        assert way in text, way
    for contact in (FACILITATOR.name, FACILITATOR.structure, FACILITATOR.email, FACILITATOR.phone):
        assert contact in text
    assert "relevé des heures" in text and "10 du mois suivant" in text
    if penalty:
        assert "pénalité de 45 € par heure d'insertion non réalisée" in text
        assert "16\u202f560 €" in text  # 368 × 45
    else:
        assert "pénalité de" not in text and "€ par heure" not in text


def test_clause_without_facilitator_contact_still_names_who_follows():
    text = clause(LOT_SAMPLE, "Neolia", ClauseTerms("IGLOO", "Association Espoir", Facilitator(), PUBLICS, None, None))
    assert "le facilitateur désigné par Association Espoir" in text and "courriel" not in text


# --- units ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reference, first", [
    ("Paulo Da Silva", "Famille Da Silva", "Paulo"),
    ("DA SILVA Paulo", "Famille Da Silva", "Paulo"),
    ("Jean-Pierre Nguyen", "Famille Nguyen", "Jean-Pierre"),
    ("Mendy Abdou", "Famille Mendy", "Abdou"),
    ("Abdou Mendy", "Famille Amrani", ""),  # surname not the family's: nothing known to be safe
    ("Paulo", "Famille Da Silva", ""),  # one word: could be a surname
    ("Karim Amrani", None, ""),
    (None, "Famille X", ""),
])
def test_first_name_never_lets_a_surname_through(name, reference, first):
    assert first_name(name, reference) == first


def test_follow_up_months_states_and_cumulated():
    lot = InsertionLot("L1", "D1", None, "T", None, 1000.0, 0.5, 0.05, 30.0, 30, 0.0, dt.date(2010, 3, 10), dt.date(2010, 6, 5))
    plan = monthly_hours(30, lot.start, lot.end)
    assert sorted(plan) == [dt.date(2010, m, 1) for m in (3, 4, 5, 6)] and sum(plan.values()) == 30
    statements = {dt.date(2010, 1, 1): 4.0, dt.date(2010, 3, 1): 10.0, dt.date(2010, 5, 1): 12.0}
    lines = follow_up(lot, plan, statements, today=dt.date(2010, 5, 20))
    assert [(l.month.month, l.state) for l in lines] == [
        (1, RECEIVED), (2, OUTSIDE), (3, RECEIVED), (4, MISSING), (5, RECEIVED), (6, UPCOMING)]
    assert [l.done for l in lines] == [4.0, None, 10.0, None, 12.0, None]
    assert lines[-1].cum_owed == 30 and lines[-1].cum_done == 26.0 and lines[-1].gap == -4.0


def test_programme_months_add_up_every_landlord(planted):
    from igloo_xl.domain.insertion import programme_months, schedules
    from igloo_xl.model.master import load_master

    path, _ = planted
    all_schedules = schedules(load_master(path), TODAY)
    months = programme_months(all_schedules)
    assert [m for m, _, _ in months] == sorted({m for m, _, _ in months})
    assert sum(d for _, _, d in months) == sum(l.done or 0 for s in all_schedules for l in s.months)
    assert sum(o for _, o, _ in months) == sum(l.hours_owed for s in all_schedules for l in s.clause_lots)


def test_version_1_master_without_statements(tmp_path):
    """No Heures sheet: hours done come from Parcours, and every month of the works shows no statement."""
    from pathlib import Path

    source = Path(__file__).parent / "fixtures" / "v1" / "master_v1.xlsx"
    written = api.generate_clauses(source, tmp_path, today=TODAY)
    assert written
    m = master_tables(source)
    for path in written:
        lots, _ = rows_of(path, "Lots", "ID lot")
        typed = defaultdict(float)
        for p in m["Parcours"]:
            typed[p["ID lot"]] += p["Heures réalisées"] or 0
        assert {r["ID lot"]: r["Heures réalisées"] for r in lots} == {r["ID lot"]: typed[r["ID lot"]] for r in lots}
        months, _ = rows_of(path, "Suivi mensuel", "ID lot")
        assert months and {r["Relevé"] for r in months} <= {MISSING, OUTSIDE}
        assert all(r["Heures réalisées"] in ("manquant", "") for r in months)


def test_monthly_hours_across_a_year_end_by_days_in_each_month():
    from igloo_xl.domain.insertion import month_range

    d = dt.date
    assert month_range(d(2009, 11, 30), d(2010, 2, 1)) == [d(2009, 11, 1), d(2009, 12, 1), d(2010, 1, 1), d(2010, 2, 1)]
    assert month_range(d(2010, 3, 31), d(2010, 3, 1)) == [d(2010, 3, 1)]  # by months: both in March
    assert month_range(d(2010, 4, 2), d(2010, 3, 31)) == []
    # 15 days in December, 16 in January: one hour a day
    assert monthly_hours(31, d(2009, 12, 17), d(2010, 1, 16)) == {d(2009, 12, 1): 15, d(2010, 1, 1): 16}
    # 1 day in December, 2 in January: 3.33 and 6.67 hours, the hour left goes to the larger remainder
    assert monthly_hours(10, d(2009, 12, 31), d(2010, 1, 2)) == {d(2009, 12, 1): 3, d(2010, 1, 1): 7}
    assert monthly_hours(7, d(2010, 3, 5), d(2010, 3, 20)) == {d(2010, 3, 1): 7}
