"""The subsidy budget form ("budget prévisionnel de l'action") of one action and year: pure data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from igloo_xl.errors import UnknownFunder
from igloo_xl.domain.funding import CHARGE_ACCOUNTS, IN_KIND_CHARGES, IN_KIND_RESOURCES, SUBSIDY_LINES, funding_with_lines
from igloo_xl.model.master import Master
from igloo_xl.read.text import fold

ACCOUNT_LABELS = {
    "60": "Achats",
    "61": "Services extérieurs",
    "62": "Autres services extérieurs",
    "63": "Impôts et taxes",
    "64": "Charges de personnel",
    "65": "Autres charges de gestion courante",
    "66": "Charges financières",
    "67": "Charges exceptionnelles",
    "68": "Dotations aux amortissements, provisions et engagements",
    "86": "Emplois des contributions volontaires en nature",
    "70": "Ventes de produits finis, prestations de services",
    "74": "Subventions d'exploitation",
    "75": "Autres produits de gestion courante",
    "87": "Contributions volontaires en nature",
}


@dataclass
class FormLine:
    code: str  # account ("60"), funder line ("État") or "" for totals
    label: str
    planned: float
    actual: float | None
    details: list[str] = field(default_factory=list)


@dataclass
class FundingRow:
    funder: str
    scheme: str
    status: str
    requested: float | None
    granted: float | None
    paid: float | None
    counted: float


@dataclass
class ActionBudget:
    year: int
    action: str
    charges: list[FormLine]  # 60..68
    in_kind_charges: FormLine  # 86
    sales: FormLine  # 70
    subsidies: list[FormLine]  # 74 split by funder line
    other_income: FormLine  # 75
    in_kind_resources: FormLine  # 87
    funding: list[FundingRow]
    has_actual: bool

    @property
    def total_charges(self) -> float:
        return sum(l.planned for l in self.charges)

    @property
    def total_produits(self) -> float:
        return self.sales.planned + sum(l.planned for l in self.subsidies) + self.other_income.planned

    @property
    def gap(self) -> float:
        return self.total_produits - self.total_charges


def resolve_funder(master: Master, name: str) -> str:
    """A funder's name as in Paramètres, from its name or a word of it (case and accents ignored)."""
    funders = list(master.params.funders)
    wanted = fold(name)
    exact = [f for f in funders if fold(f) == wanted]
    if exact:
        return exact[0]
    words = [f for f in funders if wanted and wanted in re.split(r"[^a-z0-9]+", fold(f))]
    matches = words or [f for f in funders if wanted and wanted in fold(f)]
    listing = ", ".join(funders) or "aucun (feuille Paramètres)"
    if not matches:
        raise UnknownFunder(f"Financeur « {name} » inconnu. Financeurs de la feuille Paramètres : {listing}.")
    if len(matches) > 1:
        raise UnknownFunder(f"« {name} » désigne plusieurs financeurs ({', '.join(matches)}) : précisez.")
    return matches[0]


def funded_actions(master: Master, funder: str, year: int) -> list[str]:
    """Actions with a Financements row of that funder and year that is not Refusé, in the contract's order."""
    from igloo_xl.schemas.lists import ACTIONS

    fin = master.frame("Financements")
    found = {a for f, y, a, s in zip(fin["funder"], fin["year"], fin["action"], fin["status"])
             if f == funder and y == year and s != "Refusé" and a is not None}
    return [a for a in ACTIONS if a in found]


def _num(v) -> float:
    return float(v) if v is not None and v == v else 0.0


def action_budget(master: Master, year: int, action: str) -> ActionBudget:
    budget = master.frame("Budget")
    rows = budget[(budget["year"] == year) & (budget["action"] == action)]
    has_actual = bool(rows["actual"].notna().any())

    def account_line(code: str) -> FormLine:
        mine = rows[rows["account"] == code]
        actual = float(mine["actual"].map(_num).sum()) if has_actual else None
        return FormLine(code, ACCOUNT_LABELS[code], float(mine["planned"].map(_num).sum()), actual,
                        [str(l) for l in mine["label"] if l is not None])

    funding = funding_with_lines(master.frame("Financements"), master.params)
    funding = funding[(funding["year"] == year) & (funding["action"] == action)]

    def income_line(code: str, label: str, lines: tuple[str, ...]) -> FormLine:
        mine = funding[funding["line"].isin(lines)]
        paid = float(sum(_num(p) for p, s in zip(mine["paid"], mine["status"]) if s != "Refusé")) if has_actual else None
        names = list(dict.fromkeys(f for f, c in zip(mine["funder"], mine["counted"]) if c))
        return FormLine(code, label, float(mine["counted"].sum()), paid, names)

    return ActionBudget(
        year=year,
        action=action,
        charges=[account_line(code) for code in CHARGE_ACCOUNTS],
        in_kind_charges=account_line(IN_KIND_CHARGES),
        sales=income_line("70", ACCOUNT_LABELS["70"], ("70",)),
        subsidies=[income_line(line, line, (line,)) for line in SUBSIDY_LINES],
        other_income=income_line("75", ACCOUNT_LABELS["75"], ("75",)),
        in_kind_resources=income_line(IN_KIND_RESOURCES, ACCOUNT_LABELS["87"], (IN_KIND_RESOURCES,)),
        funding=[
            FundingRow(f, sch, st, r, g, p, c)
            for f, sch, st, r, g, p, c in zip(funding["funder"], funding["scheme"], funding["status"], funding["requested"],
                                               funding["granted"], funding["paid"], funding["counted"])
        ],
        has_actual=has_actual,
    )


@dataclass
class SupportedFamily:
    family: str
    meetings: int
    hours: float
    months: int


def supported_families(master: Master, year: int) -> list[SupportedFamily]:
    """Families met individually in the year (group sessions have no family): meetings, hours, months with a meeting."""
    acc = master.frame("Accompagnement")
    stats: dict[str, list] = {}
    for date, family, duration in zip(acc["date"], acc["family"], acc["duration"]):
        if family is None or date is None or date.year != year:
            continue
        entry = stats.setdefault(family, [0, 0.0, set()])
        entry[0] += 1
        entry[1] += _num(duration)
        entry[2].add(date.month)
    return [SupportedFamily(f, n, h, len(m)) for f, (n, h, m) in sorted(stats.items())]


def is_fsl(funder: str, master: Master) -> bool:
    """The FSL is the Conseil Général's fund: named so in Paramètres."""
    return "fsl" in re.split(r"[^a-z0-9]+", fold(funder))
