"""The subsidy budget form (Cerfa 12156*06 « budget prévisionnel de l'action ») of one action and year:
its rows in the form's order, and the figures of each row from Budget and Financements. Pure data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from igloo_xl.domain.funding import (
    IN_KIND_RESOURCES,
    INDIRECT,
    SUBSIDY_LINES,
    form_line,
    funding_with_lines,
)
from igloo_xl.errors import UnknownFunder
from igloo_xl.model.master import Master
from igloo_xl.model.params import Identity
from igloo_xl.read.text import fold

GROUP, LINE, SUBTOTAL, RESULT, FINAL = "group", "line", "subtotal", "result", "final"


@dataclass(frozen=True)
class Row:
    key: str  # unique on the form: "60", "60.1", "CI", "74.État", "TC" …
    code: str  # what the form prints in the first cell ("" for the unnumbered lines and the totals)
    label: str
    kind: str  # group (a class with lines under it), line, subtotal, result, final
    parent: str | None = None


def _rows(spec) -> tuple[Row, ...]:
    """Rows from (key, code, label, kind): a line belongs to the group above it when its key says so
    ("60.1" under "60", "861" under "86"); 65..69, 70, 73, 76..79 stand alone."""
    out, group = [], None
    for key, code, label, kind in spec:
        if kind == GROUP:
            group = key
            out.append(Row(key, code, label, kind))
            continue
        belongs = group is not None and kind == LINE and (key.startswith(group + ".") or (len(key) == 3 and key[:2] == group))
        out.append(Row(key, code, label, kind, group if belongs else None))
    return tuple(out)


CHARGE_ROWS = _rows([
    ("60", "60", "Achats", GROUP),
    ("60.1", "", "Prestations de services", LINE),
    ("60.2", "", "Achats matières et fournitures", LINE),
    ("60.3", "", "Autres fournitures", LINE),
    ("61", "61", "Services extérieurs", GROUP),
    ("61.1", "", "Locations", LINE),
    ("61.2", "", "Entretien et réparation", LINE),
    ("61.3", "", "Assurance", LINE),
    ("61.4", "", "Documentation", LINE),
    ("62", "62", "Autres services extérieurs", GROUP),
    ("62.1", "", "Rémunérations intermédiaires et honoraires", LINE),
    ("62.2", "", "Publicité, publication", LINE),
    ("62.3", "", "Déplacements, missions", LINE),
    ("62.4", "", "Services bancaires, autres", LINE),
    ("63", "63", "Impôts et taxes", GROUP),
    ("63.1", "", "Impôts et taxes sur rémunération", LINE),
    ("63.2", "", "Autres impôts et taxes", LINE),
    ("64", "64", "Charges de personnel", GROUP),
    ("64.1", "", "Rémunération des personnels", LINE),
    ("64.2", "", "Charges sociales", LINE),
    ("64.3", "", "Autres charges de personnel", LINE),
    ("65", "65", "Autres charges de gestion courante", LINE),
    ("66", "66", "Charges financières", LINE),
    ("67", "67", "Charges exceptionnelles", LINE),
    ("68", "68", "Dotation aux amortissements", LINE),
    ("69", "69", "Impôt sur les bénéfices (IS) ; Participation des salariés", LINE),
    (INDIRECT, "", "Charges indirectes affectées à l'action", GROUP),
    ("CI.1", "", "Charges fixes de fonctionnement", LINE),
    ("CI.2", "", "Frais financiers", LINE),
    ("CI.3", "", "Autres", LINE),
    ("TC", "", "Total des charges", SUBTOTAL),
    ("EXC", "", "Excédent prévisionnel (bénéfice)", RESULT),
    ("86", "86", "Emplois des contributions volontaires en nature", GROUP),
    ("860", "860", "Secours en nature", LINE),
    ("861", "861", "Mise à disposition gratuite de biens et services", LINE),
    ("862", "862", "Prestations", LINE),
    ("864", "864", "Personnel bénévole", LINE),
    ("TFC", "", "Total", FINAL),
])

SUBSIDY_LABELS = {
    "État": "État : préciser le(s) ministère(s) sollicité(s), directions ou services déconcentrés sollicités",
    "Région": "Conseil-s Régional(aux)",
    "Département": "Conseil-s Départemental (aux)",
    "Intercommunalité": "Communautés de communes ou d'agglomérations",
    "Commune": "Commune(s)",
    "Organismes sociaux": "Organismes sociaux (CAF, etc. détailler)",
    "Fonds européens": "Fonds européens (FSE, FEDER, etc.)",
    "ASP (emplois aidés)": "L'agence de services et de paiement (emplois aidés)",
    "Autres établissements publics": "Autres établissements publics",
    "Fondations et aides privées": "Aides privées (fondation)",
}

PRODUCT_ROWS = _rows([
    ("70", "70", "Vente de produits finis, de marchandises, prestations de services", LINE),
    ("73", "73", "Dotations et produits de tarification", LINE),
    ("74", "74", "Subventions d'exploitation", GROUP),
    *[(f"74.{line}", "", SUBSIDY_LABELS[line], LINE) for line in SUBSIDY_LINES],
    ("75", "75", "Autres produits de gestion courante", GROUP),
    ("756", "756", "Cotisations", LINE),
    ("758", "758", "Dons manuels - Mécénat", LINE),
    ("76", "76", "Produits financiers", LINE),
    ("77", "77", "Produits exceptionnels", LINE),
    ("78", "78", "Reprises sur amortissements et provisions", LINE),
    ("79", "79", "Transfert de charges", LINE),
    ("RP", "", "Ressources propres affectées à l'action", LINE),
    ("TP", "", "Total des produits", SUBTOTAL),
    ("INS", "", "Insuffisance prévisionnelle (perte)", RESULT),
    ("87", "87", "Contributions volontaires en nature", GROUP),
    ("870", "870", "Bénévolat", LINE),
    ("871", "871", "Prestations en nature", LINE),
    ("875", "875", "Dons en nature", LINE),
    ("TFP", "", "Total", FINAL),
])

# Budget sub-accounts (first three digits) -> the form's line under their class. A bare class, or a
# sub-account the form has no line for (611, 617…), stays on the class row itself.
SUB_ACCOUNT_LINES = {
    "604": "60.1", "601": "60.2", "602": "60.2",
    "603": "60.3", "605": "60.3", "606": "60.3", "607": "60.3", "608": "60.3",
    "612": "61.1", "613": "61.1", "614": "61.1", "615": "61.2", "616": "61.3", "618": "61.4",
    "621": "62.1", "622": "62.1", "623": "62.2", "624": "62.3", "625": "62.3",
    "626": "62.4", "627": "62.4", "628": "62.4",
    "631": "63.1", "633": "63.1", "635": "63.2", "637": "63.2",
    "641": "64.1", "643": "64.1", "644": "64.1", "645": "64.2", "646": "64.2", "647": "64.3", "648": "64.3",
}
RESOURCE_ROWS = {"70": "70", "73": "73", "75": "75", "76": "76", "77": "77", "78": "78", "79": "79",
                 IN_KIND_RESOURCES: "87", **{line: f"74.{line}" for line in SUBSIDY_LINES}}
TOP_CHARGES = ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69", INDIRECT)
TOP_PRODUCTS = ("70", "73", "74", "75", "76", "77", "78", "79", "RP")


def charge_row(compte) -> str:
    """The key of the form row a Budget `Compte` fills."""
    line = form_line(compte)
    code = str(compte).strip()
    if line in ("60", "61", "62", "63", "64"):
        return SUB_ACCOUNT_LINES.get(code[:3], line)
    return line


@dataclass
class FundingRow:
    funder: str
    scheme: str | None
    status: str | None
    requested: float | None
    granted: float | None
    paid: float | None
    counted: float  # the Prévu
    realised: float  # the Réalisé: granted for the year


@dataclass
class ChargeDetail:
    account: str
    label: str | None
    planned: float
    actual: float | None
    row: str  # the key of the form row it fills


@dataclass
class ActionBudget:
    year: int
    action: str
    funder: str
    planned: dict[str, float]  # every row key -> Prévu (groups and totals included)
    actual: dict[str, float]  # every row key -> Réalisé
    direct_planned: dict[str, float]  # a group's own amount (a bare class), beside its lines
    direct_actual: dict[str, float]
    funders_by_row: dict[str, list[str]]
    funding: list[FundingRow]
    charges: list[ChargeDetail]
    has_actual: bool
    funder_planned: float  # what this funder is asked for / has granted for this action (Prévu)
    funder_actual: float

    rows_charges = CHARGE_ROWS
    rows_products = PRODUCT_ROWS

    @property
    def rows(self) -> tuple[Row, ...]:
        return CHARGE_ROWS + PRODUCT_ROWS

    @property
    def total_charges(self) -> float:
        return self.planned["TC"]

    @property
    def total_produits(self) -> float:
        return self.planned["TP"]

    @property
    def gap(self) -> float:
        return self.total_produits - self.total_charges

    @property
    def funder_share(self) -> float | None:
        """The funder's part of the action's total produits (0.25 = 25 %); None when there is no produit."""
        return self.funder_planned / self.total_produits if self.total_produits else None


def _num(v) -> float:
    return float(v) if v is not None and v == v else 0.0


def _complete(rows: tuple[Row, ...], own: dict[str, float], direct: dict[str, float]) -> dict[str, float]:
    """Row values from the amounts of the lines and the groups' own amounts: groups, totals, results."""
    out = {r.key: own.get(r.key, 0.0) for r in rows if r.kind == LINE}
    for r in rows:
        if r.kind == GROUP:
            out[r.key] = direct.get(r.key, 0.0) + sum(out[c.key] for c in rows if c.parent == r.key)
    return out


def _totals(values: dict[str, float]) -> None:
    values["TC"] = sum(values[k] for k in TOP_CHARGES)
    values["TP"] = sum(values[k] for k in TOP_PRODUCTS)
    values["EXC"] = max(0.0, values["TP"] - values["TC"])
    values["INS"] = max(0.0, values["TC"] - values["TP"])
    values["TFC"] = values["TC"] + values["EXC"] + values["86"]
    values["TFP"] = values["TP"] + values["INS"] + values["87"]


def action_budget(master: Master, year: int, action: str, funder: str = "") -> ActionBudget:
    budget = master.frame("Budget")
    rows = budget[(budget["year"] == year) & (budget["action"] == action)]
    has_actual = bool(rows["actual"].notna().any())
    groups = {r.key for r in CHARGE_ROWS + PRODUCT_ROWS if r.kind == GROUP}

    line_planned: dict[str, float] = {}
    line_actual: dict[str, float] = {}
    direct_planned: dict[str, float] = {}
    direct_actual: dict[str, float] = {}
    details = []
    for account, label, planned, actual in zip(rows["account"], rows["label"], rows["planned"], rows["actual"]):
        key = charge_row(account)
        if key is None:  # not an account of the form: validation reports it
            continue
        if key in groups:
            target_p, target_a = direct_planned, direct_actual
        else:
            target_p, target_a = line_planned, line_actual
        target_p[key] = target_p.get(key, 0.0) + _num(planned)
        target_a[key] = target_a.get(key, 0.0) + _num(actual)
        details.append(ChargeDetail(str(account), label, _num(planned), None if actual is None or actual != actual else float(actual), key))

    funding = funding_with_lines(master.frame("Financements"), master.params)
    funding = funding[(funding["year"] == year) & (funding["action"] == action)]
    names: dict[str, list[str]] = {}
    for name, line, counted, realised, status in zip(funding["funder"], funding["line"], funding["counted"],
                                                     funding["realised"], funding["status"]):
        key = RESOURCE_ROWS.get(line)
        if key is None:
            continue
        target_p, target_a = (direct_planned, direct_actual) if key in groups else (line_planned, line_actual)
        target_p[key] = target_p.get(key, 0.0) + counted
        target_a[key] = target_a.get(key, 0.0) + realised
        if status != "Refusé" and name not in names.setdefault(key, []):
            names[key].append(name)

    planned = _complete(CHARGE_ROWS + PRODUCT_ROWS, line_planned, direct_planned)
    actual = _complete(CHARGE_ROWS + PRODUCT_ROWS, line_actual, direct_actual)
    _totals(planned)
    _totals(actual)
    mine = funding[funding["funder"] == funder]
    return ActionBudget(
        year=year,
        action=action,
        funder=funder,
        planned=planned,
        actual=actual,
        direct_planned=direct_planned,
        direct_actual=direct_actual,
        funders_by_row=names,
        funding=[
            FundingRow(f, sch, st, r, g, p, c, x)
            for f, sch, st, r, g, p, c, x in zip(funding["funder"], funding["scheme"], funding["status"], funding["requested"],
                                                  funding["granted"], funding["paid"], funding["counted"], funding["realised"])
        ],
        charges=details,
        has_actual=has_actual,
        funder_planned=float(mine["counted"].sum()),
        funder_actual=float(mine["realised"].sum()),
    )


@dataclass
class Gap:
    row: Row
    planned: float
    actual: float

    @property
    def amount(self) -> float:
        return self.actual - self.planned

    @property
    def ratio(self) -> float | None:
        return self.actual / self.planned if self.planned else None


SIGNIFICANT_RATIO = 0.15
SIGNIFICANT_AMOUNT = 500.0


def significant_gaps(b: ActionBudget) -> list[Gap]:
    """The lines (not the totals) whose Réalisé differs from the Prévu by more than 15 % and more than 500 €."""
    found = []
    for row in b.rows:
        if row.kind not in (GROUP, LINE):
            continue
        planned, actual = b.planned[row.key], b.actual[row.key]
        gap = abs(actual - planned)
        if gap > SIGNIFICANT_AMOUNT and (planned == 0 or gap > SIGNIFICANT_RATIO * abs(planned)):
            found.append(Gap(row, planned, actual))
    return found


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


def is_fsl(funder: str, master: Master) -> bool:
    """The FSL is the Conseil Général's fund: named so in Paramètres."""
    return "fsl" in re.split(r"[^a-z0-9]+", fold(funder))


def identity(master: Master) -> Identity:
    """The association as Paramètres gives it (empty fields on a version-1 master)."""
    return master.params.identity
