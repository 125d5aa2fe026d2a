"""What each landlord's insertion-clause schedule says, computed once from the master: the lots and
their clause, the plan of hours per month, the firms' monthly statements against it (cumulated, with
the gap), the beneficiaries by family ID and first name, the totals by way of fulfilment and by
public, and the insertion rates against the ANRU charter. outputs/clauses.py only writes this."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from igloo_xl.collector import collector_paused
from igloo_xl.domain.hours import hours_done_by_lot, lot_terms, monthly_statements
from igloo_xl.model.master import Master
from igloo_xl.model.params import Facilitator
from igloo_xl.read.text import fold
from igloo_xl.schemas.lists import DEFAULT_PUBLICS, FULFILMENT_MODES

CHARTER_RATE = 0.05  # ANRU national insertion charter: at least 5 % of the hours worked
NOT_GIVEN = "Non renseigné"

# State of a lot's month in the follow-up
RECEIVED = "Relevé reçu"
MISSING = "Relevé manquant"
UPCOMING = "À venir"
OUTSIDE = "Hors période des travaux"


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
    has_clause: bool = True  # False when it owes fewer hours than Paramètres' minimum

    @property
    def labour_hours(self) -> float:
        """The lot's estimated hours of labour: Montant HT × Taux de main-d'œuvre ÷ Coût horaire."""
        return self.amount * self.labour_rate / self.hourly_cost


@dataclass
class MonthLine:
    """One lot in one month: the plan, the firm's statement (None when none came), cumulated, and the gap."""

    lot: str
    month: dt.date  # first day
    owed: int
    done: float | None
    state: str
    cum_owed: int
    cum_done: float

    @property
    def gap(self) -> float:
        """Cumulated done − cumulated owed: negative while the firm is behind."""
        return self.cum_done - self.cum_owed


@dataclass
class Beneficiary:
    family: str
    first_name: str
    lot: str
    action: str
    partner: str
    mode: str | None
    public: str | None
    start: dt.date | None
    end: dt.date | None
    hours_planned: float | None
    hours_done: float | None


@dataclass
class Tally:
    label: str
    hours: float
    beneficiaries: int


@dataclass
class CharterRate:
    """Insertion hours against all the labour hours of a set of lots (insertion lots or not)."""

    labour_hours: float
    owed: float
    done: float

    @property
    def owed_rate(self) -> float:
        return self.owed / self.labour_hours if self.labour_hours else 0.0

    @property
    def done_rate(self) -> float:
        return self.done / self.labour_hours if self.labour_hours else 0.0


@dataclass
class ClauseTerms:
    """What every clause of the programme states beside the lot's own figures (from Paramètres)."""

    programme: str
    coordinator: str
    facilitator: Facilitator
    publics: list[str]
    penalty_per_hour: float | None
    min_hours: float | None


@dataclass
class LandlordSchedule:
    landlord: str
    lots: list[InsertionLot]
    beneficiaries: list[Beneficiary] = field(default_factory=list)
    plan: dict[str, dict[dt.date, int]] = field(default_factory=dict)  # lot -> month -> hours owed
    months: list[MonthLine] = field(default_factory=list)  # the follow-up, lot by lot, month by month
    by_mode: list[Tally] = field(default_factory=list)
    by_public: list[Tally] = field(default_factory=list)
    distinct_beneficiaries: int = 0
    rate: CharterRate | None = None
    programme_rate: CharterRate | None = None
    terms: ClauseTerms | None = None

    def dwellings(self) -> list[str]:
        return list(dict.fromkeys(lot.dwelling for lot in self.lots))

    @property
    def clause_lots(self) -> list[InsertionLot]:
        return [lot for lot in self.lots if lot.has_clause]

    @property
    def lots_without_clause(self) -> list[InsertionLot]:
        return [lot for lot in self.lots if not lot.has_clause]

    def calendar(self) -> list[dt.date]:
        """Every month from the first to the last month of the plan, none skipped."""
        planned = [m for spread in self.plan.values() for m in spread]
        return month_range(min(planned), max(planned)) if planned else []


# --- months ---------------------------------------------------------------------------------------

def first_of_month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first`'s month to `last`'s month, both included."""
    return list(_months(first.year, first.month, last.year, last.month))


@lru_cache(maxsize=4096)
def _months(first_year: int, first_month: int, last_year: int, last_month: int) -> tuple[dt.date, ...]:
    """month_range by year and month: thousands of lots share a few hundred periods."""
    out, m, last = [], dt.date(first_year, first_month, 1), dt.date(last_year, last_month, 1)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return tuple(out)


def monthly_hours(hours: int, start: dt.date | None, end: dt.date | None) -> dict[dt.date, int]:
    """Whole hours per month (keyed by its first day), in proportion to the lot's days in each month,
    summing exactly to `hours` (largest remainder). A lot without dates has all its hours in its start
    (or end) month, or none. Every month of the period is a key, even one that gets 0 hours."""
    if not hours:
        return {}
    if start is None or end is None or end < start:
        anchor = start or end
        return {first_of_month(anchor): hours} if anchor else {}
    months = _months(start.year, start.month, end.year, end.month)
    if len(months) == 1:
        return {months[0]: hours}
    first, last = start.toordinal(), end.toordinal()
    total_days = last - first + 1
    ends = [m.toordinal() - 1 for m in months[1:]] + [last]  # the last day of each month in the period
    shares = {}
    for m, month_end in zip(months, ends):
        shares[m] = hours * (month_end - first + 1) / total_days
        first = month_end + 1
    floors = {k: math.floor(v) for k, v in shares.items()}
    left = hours - sum(floors.values())
    if left:
        for k in sorted(shares, key=lambda k: (-(shares[k] - floors[k]), k))[:left]:
            floors[k] += 1
    return floors


def follow_up(lot: InsertionLot, plan: dict[dt.date, int], statements: dict[dt.date, float], today: dt.date) -> list[MonthLine]:
    """The lot's months from its first (planned or declared) to its last, none skipped. A month of the
    works with no statement is missing (never 0); one after the current month is still to come."""
    known = list(plan) + list(statements)
    if not known:
        return []
    works = set(plan)
    if lot.start and lot.end and lot.start <= lot.end:
        works |= set(month_range(lot.start, lot.end))
    this_month = first_of_month(today)
    lines, cum_owed, cum_done = [], 0, 0.0
    for m in month_range(min(known), max(known)):
        owed, done = plan.get(m, 0), statements.get(m)
        if done is not None:
            state = RECEIVED
        elif m > this_month:
            state = UPCOMING
        elif m in works:
            state = MISSING
        else:
            state = OUTSIDE
        cum_owed += owed
        cum_done += done or 0.0
        lines.append(MonthLine(lot.id, m, owed, done, state, cum_owed, cum_done))
    return lines


# --- people ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\s]+")


def first_name(beneficiary: str | None, family_reference: str | None, fold=fold) -> str:
    """The beneficiary's first name only, for files that go to the firms. The Bénéficiaire column holds
    a full name whose surname is the family's (Référence « Famille Da Silva », beneficiary « Paulo Da
    Silva »): the words of the Référence are removed, and so are words written all in capitals (a
    surname by French habit, « DA SILVA Paulo »). Of what remains only the first word is kept, so an
    unexpected order never lets a surname through; nothing is kept when nothing safe remains. `fold` may
    be a cache of read.text.fold (the same words come back in every family's rows)."""
    if not beneficiary:
        return ""
    words = _WORD.findall(str(beneficiary))
    family_words = {fold(w) for w in _WORD.findall(str(family_reference or ""))}
    kept = [w for w in words if fold(w) not in family_words and not (len(w) > 1 and w.isupper())]
    return kept[0] if kept and len(kept) < len(words) else ""


# --- the schedules --------------------------------------------------------------------------------

def _tallies(labels: list[str], beneficiaries: list[Beneficiary], key, folded=None) -> list[Tally]:
    """Hours done and distinct beneficiaries per label: every listed label (0 when unused), then any other
    label met, then « Non renseigné » when some rows have none."""
    folded = _Folded() if folded is None else folded
    hours, people, seen = defaultdict(float), defaultdict(set), {}
    for b in beneficiaries:
        label = key(b) or NOT_GIVEN
        k = folded[label]
        seen.setdefault(k, label)
        hours[k] += b.hours_done or 0.0
        people[k].add((folded[b.family], folded[b.first_name]))
    listed = {fold(n) for n in labels}
    others = sorted(v for k, v in seen.items() if k not in listed and v != NOT_GIVEN)
    names = list(labels) + others + ([NOT_GIVEN] if fold(NOT_GIVEN) in seen else [])
    return [Tally(n, hours[fold(n)], len(people[fold(n)])) for n in names]


class _Folded(dict):
    """fold() of each text met, computed once: an ID comes back in many rows. Only texts are kept, so
    equal numbers of different types (1, 1.0, True) never share an entry."""

    def __missing__(self, value):
        key = fold(value)
        if value.__class__ is str:
            self[value] = key
        return key


def _columns(frame, keys: tuple[str, ...]) -> list:
    """The columns' values by position: the very objects frame.at returns (in lists, quicker to index)."""
    return [list(frame[k].to_numpy()) for k in keys]


def _rate(rows, labour_of, owed_of, done_of) -> CharterRate:
    labour = owed = done = 0.0
    for i in rows:
        if labour_of[i] is not None:
            labour += labour_of[i]
        if owed_of[i] is not None:
            owed += owed_of[i]
            done += done_of[i]
    return CharterRate(labour, owed, done)


def schedules(master: Master, today: dt.date | None = None) -> list[LandlordSchedule]:
    """One schedule per landlord that has at least one insertion lot, in the order of Bailleurs."""
    with collector_paused():
        return _schedules(master, today or dt.date.today())


def _schedules(master: Master, today: dt.date) -> list[LandlordSchedule]:
    params = master.params
    terms = ClauseTerms(params.programme, params.coordinator, params.facilitator,
                        list(params.publics or DEFAULT_PUBLICS), params.penalty_per_hour, params.min_hours)
    folded = _Folded()
    lots = master.frame("Lots")
    dwellings = master.frame("Logements")
    landlord_of = {folded[i]: l for i, l in zip(dwellings["id"], dwellings["landlord"]) if i is not None}
    address_of = {folded[i]: a for i, a in zip(dwellings["id"], dwellings["address"]) if i is not None}
    families = master.frame("Familles")
    reference_of = {folded[i]: r for i, r in zip(families["id"], families["reference"]) if i is not None}
    done_by_lot = {folded[k]: v for k, v in hours_done_by_lot(master).items()}
    in_force = lot_terms(lots, params)
    ids, dwelling_ids, trades, firms, amounts, insertion, starts, ends = _columns(
        lots, ("id", "dwelling", "trade", "firm", "amount", "insertion", "start", "end"))
    labour_rates, insertion_rates, hourly_costs, hours_owed = _columns(
        in_force, ("labour_rate", "insertion_rate", "hourly_cost", "hours"))

    statements = monthly_statements(master)
    by_lot_month: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    by_pathway: dict[tuple[str, str], float] = defaultdict(float)
    for month, family, lot, hours in zip(*(statements[k].tolist() for k in ("month", "family", "lot", "hours"))):
        by_lot_month[folded[lot]][month] += float(hours)
        by_pathway[(folded[family], folded[lot])] += float(hours)

    # each lot's share of the charter rates: labour hours, and for an insertion lot its hours owed and done
    labour_of, owed_of, done_of = [], [], []
    by_landlord: dict[str, LandlordSchedule] = {}
    rows_of: dict[str, list] = defaultdict(list)
    for i in range(len(ids)):
        amount, lab, cost = amounts[i], labour_rates[i], hourly_costs[i]
        labour_of.append(float(amount) * float(lab) / float(cost) if amount is not None and lab is not None and cost else None)
        is_insertion = insertion[i] is True
        owed_of.append((hours_owed[i] or 0) if is_insertion else None)
        done_of.append(done_by_lot.get(folded[ids[i]], 0.0) if is_insertion else None)
        dwelling = dwelling_ids[i]
        landlord = landlord_of.get(folded[dwelling]) if dwelling is not None else None
        if landlord is None:
            continue
        rows_of[folded[landlord]].append(i)
        if not is_insertion:
            continue
        lot_id = ids[i]
        owed = int(hours_owed[i])
        lot = InsertionLot(
            id=lot_id, dwelling=dwelling, address=address_of.get(folded[dwelling]), trade=trades[i],
            firm=firms[i], amount=float(amount), labour_rate=float(lab), insertion_rate=float(insertion_rates[i]),
            hourly_cost=float(cost), hours_owed=owed, hours_done=done_by_lot.get(folded[lot_id], 0.0),
            start=starts[i], end=ends[i], has_clause=params.min_hours is None or owed >= params.min_hours,
        )
        schedule = by_landlord.get(folded[landlord])
        if schedule is None:
            schedule = by_landlord[folded[landlord]] = LandlordSchedule(landlord, [], terms=terms)
        schedule.lots.append(lot)

    _add_beneficiaries(master, by_landlord, reference_of, by_lot_month, by_pathway, folded)
    programme = _rate(range(len(ids)), labour_of, owed_of, done_of)  # as the insertion-below-charter rule counts
    for key, s in by_landlord.items():
        for lot in s.lots:
            declared = dict(by_lot_month.get(folded[lot.id], {}))
            if not lot.has_clause and not declared:
                continue
            s.plan[lot.id] = monthly_hours(lot.hours_owed, lot.start, lot.end) if lot.has_clause else {}
            s.months.extend(follow_up(lot, s.plan[lot.id], declared, today))
        s.by_mode = _tallies(list(FULFILMENT_MODES), s.beneficiaries, lambda b: b.mode, folded)
        s.by_public = _tallies(terms.publics, s.beneficiaries, lambda b: b.public, folded)
        s.distinct_beneficiaries = len({(folded[b.family], folded[b.first_name]) for b in s.beneficiaries})
        s.rate = _rate(rows_of[key], labour_of, owed_of, done_of)
        s.programme_rate = programme
    order = [fold(n) for n in master.frame("Bailleurs")["name"] if n is not None]
    return sorted(by_landlord.values(), key=lambda s: order.index(fold(s.landlord)) if fold(s.landlord) in order else len(order))


def _add_beneficiaries(master, by_landlord, reference_of, by_lot_month, by_pathway, folded) -> None:
    """Parcours rows on the landlord's insertion lots. Hours done: the monthly statements of that
    family on that lot when the lot has statements (held by the pathway's Contrat d'insertion row, so a
    second row on the same lot does not count them twice), else the hours typed in Parcours."""
    (families, lots, actions, beneficiaries, partners, modes, publics, starts, ends, planned, done_typed) = _columns(
        master.frame("Parcours"), ("family", "lot", "action", "beneficiary", "partner", "mode", "public", "start", "end",
                                   "hours_planned", "hours_done"))
    lot_owner = {folded[lot.id]: key for key, s in by_landlord.items() for lot in s.lots}
    holder: dict[tuple[str, str], int] = {}
    mine = []  # (position, family key, lot key) of the rows on an insertion lot
    for i, (family, lot) in enumerate(zip(families, lots)):
        if family is None or lot is None or folded[lot] not in lot_owner:
            continue
        key = (folded[family], folded[lot])
        mine.append((i, key))
        if key not in holder or (actions[i] == "Contrat d'insertion" and actions[holder[key]] != "Contrat d'insertion"):
            holder[key] = i
    for i, key in mine:
        family, lot = families[i], lots[i]
        if key[1] in by_lot_month:
            done = by_pathway.get(key, 0.0) if holder[key] == i else None
        else:
            done = done_typed[i]
        by_landlord[lot_owner[key[1]]].beneficiaries.append(
            Beneficiary(
                family=family,
                first_name=first_name(beneficiaries[i], reference_of.get(key[0]), folded.__getitem__),
                lot=lot, action=actions[i], partner=partners[i], mode=modes[i], public=publics[i],
                start=starts[i], end=ends[i], hours_planned=planned[i], hours_done=done,
            )
        )


def programme_months(all_schedules: list[LandlordSchedule]) -> list[tuple[dt.date, int, float]]:
    """(month, hours owed, hours declared) of the whole programme, every month from the first to the
    last of any lot (for the dashboard and the report)."""
    owed, done = defaultdict(int), defaultdict(float)
    for s in all_schedules:
        for line in s.months:
            owed[line.month] += line.owed
            done[line.month] += line.done or 0.0
    if not owed:
        return []
    return [(m, owed[m], done[m]) for m in month_range(min(owed), max(owed))]
