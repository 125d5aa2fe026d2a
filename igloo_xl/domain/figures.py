"""The dashboard's figures: plain tables computed once from the master, for the sheet, the PDF and
the Excel button alike, so each figure has one definition. Families appear only as counts."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from igloo_xl.domain.funding import balances, funding_with_lines
from igloo_xl.domain.hours import hours_done_by_lot, lot_terms
from igloo_xl.domain.insertion import monthly_hours
from igloo_xl.model.master import Master
from igloo_xl.read.text import fold
from igloo_xl.schemas.lists import FAMILY_STATUS, QUARTERS

NO_DWELLING = "Sans logement"
CSM = "Groupe de parole (CSM)"
HOUSED = "Relogée"
CHARTER_RATE = 0.05  # ANRU insertion charter: insertion hours ≥ 5 % of the hours worked
BEHIND_BELOW = 0.8  # a landlord or dwelling under 80 % of its hours owed is shown as behind
TOP_DWELLINGS = 15
# each calendar axis's colour, the same in the sheet and the PDF (RGB hex, as openpyxl writes it)
AXIS_COLORS = {
    "Foncier / Bailleurs": "1F4E78",
    "Familles": "C55A11",
    "Insertion professionnelle": "548235",
    "Accompagnement": "7030A0",
    "Conception": "BF8F00",
    "Travaux": "2E75B6",
    "Aujourd'hui": "FF0000",
}

# kinds of key figures, each shown with its own format
COUNT, HOURS, EUROS, RATE = "count", "hours", "euros", "rate"


def is_housed(status) -> bool:
    """A family housed by the programme: Relogée (a Sélectionnée family has a dwelling promised, not
    lived in; the contract requires a Date d'entrée only once Relogée)."""
    return status == HOUSED


def is_behind(owed: float, done: float) -> bool:
    return bool(owed) and done < BEHIND_BELOW * owed


def rate(done: float, owed: float) -> float | None:
    return done / owed if owed else None


@dataclass
class DashboardFigures:
    today: dt.date
    programme: str
    calendar: list[tuple[str, str, dt.date, dt.date, int]]  # step, axis, start, end, days
    statuses: list[tuple[str, int]]
    quarters: list[tuple[str, int]]  # housed families per quarter
    hours_by_landlord: list[tuple[str, float, float]]  # landlord, owed, done
    hours_by_dwelling: list[tuple[str, str, float, float]]  # dwelling, landlord, owed, done
    funding: list[tuple[int, str, float, float, float]]  # year, funder, requested, granted, paid
    balance: list[tuple[int, str, float, float, float]]  # year, action, charges, produits, gap
    support: list[tuple[dt.date, int, float, int]]  # month (first day), meetings, hours, CSM attendance
    key: list[tuple[str, float | int | None, str]] = field(default_factory=list)  # label, value, kind
    hours_by_month: list[tuple[dt.date, float, float | None]] = field(default_factory=list)  # month, owed (plan), done (None: no statement)
    labour_hours: float = 0.0  # Σ Montant HT × Taux de main-d'œuvre ÷ Coût horaire over every lot

    @property
    def housed(self) -> int:
        return sum(n for _, n in self.quarters)

    @property
    def hours_owed(self) -> float:
        return sum(o for _, o, _ in self.hours_by_landlord)

    @property
    def hours_done(self) -> float:
        return sum(d for _, _, d in self.hours_by_landlord)

    @property
    def charter(self) -> list[tuple[str, float | None]]:
        """The programme's insertion rate (hours owed, hours done) beside the charter's minimum."""
        return [("Heures dues / heures travaillées", rate(self.hours_owed, self.labour_hours)),
                ("Heures réalisées / heures travaillées", rate(self.hours_done, self.labour_hours)),
                ("Minimum de la charte ANRU", CHARTER_RATE)]

    def top_dwellings(self, n: int = TOP_DWELLINGS) -> list[tuple[str, str, float, float]]:
        """The n dwellings furthest behind (largest gap, then most hours owed): what a chart can show."""
        ranked = sorted(self.hours_by_dwelling, key=lambda r: (-(r[2] - r[3]), -r[2], r[0]))
        return ranked[:n]


def _num(v) -> float:
    return float(v) if v is not None and v == v else 0.0


def _calendar(master: Master):
    cal = master.frame("Calendrier")
    out = []
    for step, axis, start, end in zip(cal["step"], cal["axis"], cal["start"], cal["end"]):
        if step is None or start is None:
            continue
        end = end if end is not None and end >= start else start
        out.append((step, axis or "", start, end, (end - start).days + 1))
    return out


def _families(master: Master):
    fam = master.frame("Familles")
    statuses = [(s, int((fam["status"] == s).sum())) for s in FAMILY_STATUS]
    dwellings = master.frame("Logements")
    quarter_of = {fold(i): q for i, q in zip(dwellings["id"], dwellings["quarter"]) if i is not None}
    counts = {q: 0 for q in (*QUARTERS, NO_DWELLING)}
    for status, dwelling in zip(fam["status"], fam["dwelling"]):
        if is_housed(status):
            q = quarter_of.get(fold(dwelling)) if dwelling is not None else None
            counts[q if q in counts else NO_DWELLING] += 1
    quarters = [(q, n) for q, n in counts.items() if n or q != NO_DWELLING]
    return fam, statuses, quarters


def _insertion(master: Master):
    """Hours per dwelling and landlord, the plan by month against the statements, the lots' labour hours."""
    dwellings = master.frame("Logements")
    landlord_of = {fold(i): l for i, l in zip(dwellings["id"], dwellings["landlord"]) if i is not None}
    lots = master.frame("Lots")
    terms = lot_terms(lots, master.params)
    done_by_lot = {fold(k): v for k, v in hours_done_by_lot(master).items()}
    per_dwelling: dict[str, list] = {}
    plan: dict[dt.date, float] = {}
    labour = 0.0
    for lot_id, dwelling, insertion, amount, lab, cost, owed, start, end in zip(
            lots["id"], lots["dwelling"], lots["insertion"], lots["amount"], terms["labour_rate"],
            terms["hourly_cost"], terms["hours"], lots["start"], lots["end"]):
        if amount is not None and lab is not None and cost and amount == amount and lab == lab and cost == cost:  # NaN != NaN
            labour += float(amount) * float(lab) / float(cost)
        if insertion is not True or dwelling is None:
            continue
        entry = per_dwelling.get(dwelling)
        if entry is None:
            entry = per_dwelling[dwelling] = [landlord_of.get(fold(dwelling), ""), 0.0, 0.0]
        entry[1] += _num(owed)
        entry[2] += done_by_lot.get(fold(lot_id), 0.0) if lot_id is not None else 0.0
        for month, h in monthly_hours(int(_num(owed)), start, end).items():
            plan[month] = plan.get(month, 0.0) + h
    hours_by_dwelling = [(d, l, o, dn) for d, (l, o, dn) in per_dwelling.items()]
    landlords: dict[str, list] = {}
    for _, landlord, owed, done in hours_by_dwelling:
        entry = landlords.setdefault(landlord, [0.0, 0.0])
        entry[0] += owed
        entry[1] += done
    hours_by_landlord = [(l, o, d) for l, (o, d) in landlords.items()]
    done_by_month = declared_by_month(master)
    months = sorted(set(plan) | set(done_by_month))
    by_month = []
    if months:
        from igloo_xl.domain.insertion import month_range

        for day in month_range(months[0], months[-1]):  # every month between, none skipped
            by_month.append((day, plan.get(day, 0.0), float(done_by_month[day]) if day in done_by_month else None))
    return hours_by_dwelling, hours_by_landlord, by_month, labour


def declared_by_month(master: Master) -> dict[dt.date, float]:
    """Hours declared per month (its first day): the sum over `monthly_statements`' rows (a month,
    family, lot and hours all given), without joining each row to its Parcours row as that does. Summed by
    pandas' groupby, as the statements are, so decimals add up to the very same figure (434.2, not
    434.1999999999999)."""
    heures = master.frame("Heures")
    days, values = [], []
    for month, family, lot, hours in zip(heures["month"], heures["family"], heures["lot"], heures["hours"]):
        if month is None or family is None or lot is None or hours is None:
            continue
        days.append(month.replace(day=1))
        values.append(float(hours))
    return pd.Series(values, dtype=float).groupby(days).sum().to_dict() if values else {}


def _funding(master: Master):
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
    return funding, balance


def _support(master: Master):
    acc = master.frame("Accompagnement")
    months: dict[tuple[int, int], list] = {}  # (year, month): one row per meeting, so keep the loop lean
    for date, typ, duration, attendees in zip(acc["date"], acc["type"], acc["duration"], acc["attendees"]):
        if date is None:
            continue
        entry = months.get((date.year, date.month))
        if entry is None:
            entry = months[(date.year, date.month)] = [0, 0.0, 0]
        entry[0] += 1
        if duration is not None and duration == duration:
            entry[1] += float(duration)
        if typ == CSM:
            entry[2] += int(_num(attendees))
    return [(dt.date(year, month, 1), *v) for (year, month), v in sorted(months.items())]


def dashboard_figures(master: Master, today: dt.date | None = None) -> DashboardFigures:
    today = today or dt.date.today()
    fam, statuses, quarters = _families(master)
    hours_by_dwelling, hours_by_landlord, by_month, labour = _insertion(master)
    funding, balance = _funding(master)
    support = _support(master)
    f = DashboardFigures(today, master.params.programme, _calendar(master), statuses, quarters, hours_by_landlord,
                         hours_by_dwelling, funding, balance, support, hours_by_month=by_month, labour_hours=labour)
    f.key = [
        ("Familles du programme", len([s for s in fam["status"] if s is not None]), COUNT),
        ("Familles relogées", f.housed, COUNT),
        ("Logements", len(master.frame("Logements")), COUNT),
        ("Heures d'insertion dues", f.hours_owed, HOURS),
        ("Heures d'insertion réalisées", f.hours_done, HOURS),
        ("Taux de réalisation des heures", rate(f.hours_done, f.hours_owed), RATE),
        ("Taux d'insertion (charte ANRU : 5 %)", rate(f.hours_owed, labour), RATE),
        ("Financements accordés", sum(g for _, _, _, g, _ in funding), EUROS),
        ("Financements versés", sum(p for _, _, _, _, p in funding), EUROS),
        ("Rencontres d'accompagnement", sum(m for _, m, _, _ in support), COUNT),
        ("Heures d'accompagnement", sum(h for _, _, h, _ in support), HOURS),
        ("Participations au groupe de parole (CSM)", sum(a for _, _, _, a in support), COUNT),
    ]
    return f
