"""What each landlord's insertion-clause schedule says: pure data from the master."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field

from igloo_xl.domain.hours import lot_terms
from igloo_xl.model.master import Master
from igloo_xl.read.text import fold


@dataclass
class InsertionLot:
    id: str
    dwelling: str
    address: str | None
    trade: str
    firm: str | None
    amount: float
    labour_rate: float
    insertion_rate: float
    hourly_cost: float
    hours_owed: int
    hours_done: float
    start: dt.date | None
    end: dt.date | None


@dataclass
class Beneficiary:
    family: str
    beneficiary: str
    lot: str
    action: str
    partner: str
    start: dt.date | None
    end: dt.date | None
    hours_planned: float | None
    hours_done: float | None


@dataclass
class LandlordSchedule:
    landlord: str
    lots: list[InsertionLot]
    beneficiaries: list[Beneficiary] = field(default_factory=list)

    def dwellings(self) -> list[str]:
        return list(dict.fromkeys(lot.dwelling for lot in self.lots))


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly_hours(hours: int, start: dt.date | None, end: dt.date | None) -> dict[tuple[int, int], int]:
    """Whole hours per month, in proportion to the lot's days in each month, summing exactly to `hours`
    (largest remainder). A lot without dates has all its hours in its start (or end) month, or none."""
    if not hours:
        return {}
    if start is None or end is None or end < start:
        anchor = start or end
        return {(anchor.year, anchor.month): hours} if anchor else {}
    total_days = (end - start).days + 1
    shares = {}
    for y, m in months_between(start, end):
        first = max(start, dt.date(y, m, 1))
        last = min(end, dt.date(y, m, calendar.monthrange(y, m)[1]))
        shares[(y, m)] = hours * ((last - first).days + 1) / total_days
    floors = {k: math.floor(v) for k, v in shares.items()}
    left = hours - sum(floors.values())
    for k in sorted(shares, key=lambda k: (-(shares[k] - floors[k]), k))[:left]:
        floors[k] += 1
    return floors


def schedules(master: Master) -> list[LandlordSchedule]:
    """One schedule per landlord that has at least one insertion lot, in the order of Bailleurs."""
    lots = master.frame("Lots")
    dwellings = master.frame("Logements")
    landlord_of = {fold(i): l for i, l in zip(dwellings["id"], dwellings["landlord"]) if i is not None}
    address_of = {fold(i): a for i, a in zip(dwellings["id"], dwellings["address"]) if i is not None}
    parcours = master.frame("Parcours")
    done = {}
    for lot, hours in zip(parcours["lot"], parcours["hours_done"]):
        if lot is not None and hours is not None:
            done[fold(lot)] = done.get(fold(lot), 0.0) + float(hours)
    terms = lot_terms(lots, master.params)
    by_landlord: dict[str, LandlordSchedule] = {}
    for row in lots.index:
        if lots.at[row, "insertion"] is not True:
            continue
        dwelling = lots.at[row, "dwelling"]
        landlord = landlord_of.get(fold(dwelling))
        if landlord is None:
            continue
        lot_id = lots.at[row, "id"]
        lot = InsertionLot(
            id=lot_id,
            dwelling=dwelling,
            address=address_of.get(fold(dwelling)),
            trade=lots.at[row, "trade"],
            firm=lots.at[row, "firm"],
            amount=float(lots.at[row, "amount"]),
            labour_rate=float(terms.at[row, "labour_rate"]),
            insertion_rate=float(terms.at[row, "insertion_rate"]),
            hourly_cost=float(terms.at[row, "hourly_cost"]),
            hours_owed=int(terms.at[row, "hours"]),
            hours_done=done.get(fold(lot_id), 0.0),
            start=lots.at[row, "start"],
            end=lots.at[row, "end"],
        )
        by_landlord.setdefault(fold(landlord), LandlordSchedule(landlord, [])).lots.append(lot)
    lot_owner = {fold(lot.id): key for key, s in by_landlord.items() for lot in s.lots}
    for r in parcours.index:
        lot = parcours.at[r, "lot"]
        if lot is None or fold(lot) not in lot_owner:
            continue
        by_landlord[lot_owner[fold(lot)]].beneficiaries.append(
            Beneficiary(
                family=parcours.at[r, "family"],
                beneficiary=parcours.at[r, "beneficiary"],
                lot=lot,
                action=parcours.at[r, "action"],
                partner=parcours.at[r, "partner"],
                start=parcours.at[r, "start"],
                end=parcours.at[r, "end"],
                hours_planned=parcours.at[r, "hours_planned"],
                hours_done=parcours.at[r, "hours_done"],
            )
        )
    order = [fold(n) for n in master.frame("Bailleurs")["name"] if n is not None]
    return sorted(by_landlord.values(), key=lambda s: order.index(fold(s.landlord)) if fold(s.landlord) in order else len(order))
