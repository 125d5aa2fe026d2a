"""The ASLL measures a funder pays for in a year (sheet Mesures), with the support given during each:
the FSL's annex. Families by ID only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from igloo_xl.model.master import Master


@dataclass
class MeasureLine:
    family: str
    type: str | None
    start: dt.date
    end: dt.date
    months: int  # measure-months in the year
    meetings: int
    hours: float


def _day(v) -> dt.date | None:
    if v is None or v != v:
        return None
    return v.date() if isinstance(v, dt.datetime) else v


def measure_months(start: dt.date, end: dt.date, year: int) -> int:
    """Calendar months of the year that [start, end] overlaps by at least one day."""
    count = 0
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if start <= last and end >= first:
            count += 1
    return count


def measures_of_year(master: Master, funder: str, year: int) -> list[MeasureLine]:
    """The funder's measures that overlap the year, by family and start; meetings and hours are the
    family's individual meetings of that year that fall within the measure."""
    try:
        mes = master.frame("Mesures")
    except KeyError:  # a master read before the Mesures sheet joined the contract
        return []
    acc = master.frame("Accompagnement")
    meetings = [(f, _day(d), u) for f, d, u in zip(acc["family"], acc["date"], acc["duration"]) if f is not None and _day(d)]
    out = []
    for family, typ, who, start, end in zip(mes["family"], mes["type"], mes["funder"], mes["start"], mes["end"]):
        start, end = _day(start), _day(end)
        if who != funder or family is None or start is None or end is None:
            continue
        months = measure_months(start, end, year)
        if not months:
            continue
        mine = [u for f, d, u in meetings if f == family and d.year == year and start <= d <= end]
        hours = sum(float(u) for u in mine if u is not None and u == u)
        out.append(MeasureLine(str(family), typ, start, end, months, len(mine), hours))
    return sorted(out, key=lambda m: (m.family, m.start))
