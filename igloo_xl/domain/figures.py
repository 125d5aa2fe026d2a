"""The dashboard's figures: plain tables computed once from the master, for the sheet, the PDF and
the Excel button alike. Families appear only as counts; nothing personal is here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from igloo_xl.domain.funding import balances, funding_with_lines
from igloo_xl.domain.hours import lot_terms
from igloo_xl.model.master import Master
from igloo_xl.schemas.lists import FAMILY_STATUS, QUARTERS
from igloo_xl.read.text import fold

NO_DWELLING = "Sans logement"
CSM = "Groupe de parole (CSM)"


@dataclass
class DashboardFigures:
    today: dt.date
    programme: str
    calendar: list[tuple[str, str, dt.date, dt.date, int]]  # step, axis, start, end, days
    statuses: list[tuple[str, int]]
    quarters: list[tuple[str, int]]
    hours_by_landlord: list[tuple[str, float, float]]  # landlord, owed, done
    hours_by_dwelling: list[tuple[str, str, float, float]]  # dwelling, landlord, owed, done
    funding: list[tuple[int, str, float, float, float]]  # year, funder, requested, granted, paid
    balance: list[tuple[int, str, float, float, float]]  # year, action, charges, produits, gap
    support: list[tuple[str, int, float, int]]  # month (AAAA-MM), meetings, hours, CSM attendance
    key: list[tuple[str, float | str]] = field(default_factory=list)


def _num(v) -> float:
    return float(v) if v is not None and v == v else 0.0


def dashboard_figures(master: Master, today: dt.date | None = None) -> DashboardFigures:
    today = today or dt.date.today()
    cal = master.frame("Calendrier")
    calendar = []
    for step, axis, start, end in zip(cal["step"], cal["axis"], cal["start"], cal["end"]):
        if step is None or start is None:
            continue
        end = end if end is not None and end >= start else start
        calendar.append((step, axis or "", start, end, (end - start).days + 1))

    fam = master.frame("Familles")
    statuses = [(s, int((fam["status"] == s).sum())) for s in FAMILY_STATUS]
    dwellings = master.frame("Logements")
    quarter_of = {fold(i): q for i, q in zip(dwellings["id"], dwellings["quarter"]) if i is not None}
    landlord_of = {fold(i): l for i, l in zip(dwellings["id"], dwellings["landlord"]) if i is not None}
    counts = {q: 0 for q in (*QUARTERS, NO_DWELLING)}
    for status, dwelling in zip(fam["status"], fam["dwelling"]):
        if status in ("Sélectionnée", "Relogée"):
            q = quarter_of.get(fold(dwelling)) if dwelling is not None else None
            counts[q if q in counts else NO_DWELLING] += 1
    quarters = [(q, n) for q, n in counts.items() if n or q != NO_DWELLING]

    lots = master.frame("Lots")
    terms = lot_terms(lots, master.params)
    parcours = master.frame("Parcours")
    done_by_lot: dict[str, float] = {}
    for lot, hours in zip(parcours["lot"], parcours["hours_done"]):
        if lot is not None:
            done_by_lot[fold(lot)] = done_by_lot.get(fold(lot), 0.0) + _num(hours)
    per_dwelling: dict[str, list] = {}
    for row in lots.index:
        if lots.at[row, "insertion"] is not True or lots.at[row, "dwelling"] is None:
            continue
        d = lots.at[row, "dwelling"]
        entry = per_dwelling.setdefault(d, [landlord_of.get(fold(d), ""), 0.0, 0.0])
        entry[1] += _num(terms.at[row, "hours"])
        entry[2] += done_by_lot.get(fold(lots.at[row, "id"]), 0.0) if lots.at[row, "id"] is not None else 0.0
    hours_by_dwelling = [(d, l, o, dn) for d, (l, o, dn) in per_dwelling.items()]
    landlords: dict[str, list] = {}
    for _, landlord, owed, done in hours_by_dwelling:
        entry = landlords.setdefault(landlord, [0.0, 0.0])
        entry[0] += owed
        entry[1] += done
    hours_by_landlord = [(l, o, d) for l, (o, d) in landlords.items()]

    fin = funding_with_lines(master.frame("Financements"), master.params)
    funding_map: dict[tuple[int, str], list] = {}
    for year, funder, status, req, granted, paid in zip(fin["year"], fin["funder"], fin["status"], fin["requested"], fin["granted"], fin["paid"]):
        if year is None or funder is None:
            continue
        entry = funding_map.setdefault((int(year), funder), [0.0, 0.0, 0.0])
        entry[0] += _num(req)
        if status != "Refusé":
            entry[1] += _num(granted)
            entry[2] += _num(paid)
    funding = [(y, f, *v) for (y, f), v in sorted(funding_map.items())]
    balance = [(b["year"], b["action"], b["charges"] + b["in_kind_charges"], b["produits"] + b["in_kind_resources"],
                b["produits"] + b["in_kind_resources"] - b["charges"] - b["in_kind_charges"])
               for b in balances(master.frame("Budget"), master.frame("Financements"), master.params)]

    acc = master.frame("Accompagnement")
    months: dict[str, list] = {}
    for date, typ, duration, attendees in zip(acc["date"], acc["type"], acc["duration"], acc["attendees"]):
        if date is None:
            continue
        entry = months.setdefault(f"{date.year}-{date.month:02d}", [0, 0.0, 0])
        entry[0] += 1
        entry[1] += _num(duration)
        if typ == CSM:
            entry[2] += int(_num(attendees))
    support = [(m, *v) for m, v in sorted(months.items())]

    owed = sum(o for _, o, _ in hours_by_landlord)
    done = sum(d for _, _, d in hours_by_landlord)
    key = [
        ("Familles du programme", len([s for s in fam["status"] if s is not None])),
        ("Familles relogées", dict(statuses).get("Relogée", 0)),
        ("Logements", len(dwellings)),
        ("Heures d'insertion dues", owed),
        ("Heures d'insertion réalisées", done),
        ("Taux de réalisation des heures (%)", round(100 * done / owed, 1) if owed else 0.0),
        ("Financements accordés (€)", sum(g for _, _, _, g, _ in funding)),
        ("Financements versés (€)", sum(p for _, _, _, _, p in funding)),
        ("Rencontres d'accompagnement", sum(m for _, m, _, _ in support)),
        ("Heures d'accompagnement", sum(h for _, _, h, _ in support)),
        ("Participations au groupe de parole (CSM)", sum(a for _, _, _, a in support)),
    ]
    return DashboardFigures(today, master.params.programme, calendar, statuses, quarters, hours_by_landlord,
                            hours_by_dwelling, funding, balance, support, key)
