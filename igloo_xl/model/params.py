"""Paramètres: the settings and lists staff may edit, laid out as side-by-side tables.

Layout (header row within the first 10 rows, each block an Excel table):
- t_Reglages:   Paramètre | Valeur | Commentaire (programme, rates, identity, facilitator, penalty…)
- t_CorpsEtat:  Corps d'état | Taux de main-d'œuvre par défaut (%) | Commentaire
- t_Partenaires: Partenaire | Rôle
- t_Financeurs: Financeur | Ligne du budget | Commentaire
- t_Publics:    Public éligible | Commentaire (version 2; absent from a version-1 master)
- t_Listes:     the contract's fixed lists, one column each, feeding the dropdowns

Reading never stops on a bad cell: an Excel error (#N/A…) or a formula saved
without its value becomes a finding on that cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from igloo_xl.validation import findings as F
from igloo_xl.read.grid import HEADER_SEARCH_ROWS, letter
from igloo_xl.read.reader import RawSheet
from igloo_xl.schemas.lists import FUNDER_LINE_ALIASES, FUNDER_LINES
from igloo_xl.read.text import fold
from igloo_xl.read.values import Unreadable, canonical, is_blank, parse_number, parse_percent, parse_text

SHEET = "Paramètres"
SETTING_INSERTION = "Taux d'insertion par défaut (%)"
SETTING_HOURLY = "Coût horaire par défaut (€)"
SETTING_PROGRAMME = "Programme"
SETTING_COORDINATOR = "Coordonnateur"
SETTING_PENALTY = "Pénalité par heure d'insertion manquante (€)"
SETTING_MIN_HOURS = "Heures minimales pour une clause"

BLOCKS = {
    "settings": ("Paramètre", "Valeur", "Commentaire"),
    "trades": ("Corps d'état", "Taux de main-d'œuvre par défaut (%)", "Commentaire"),
    "partners": ("Partenaire", "Rôle"),
    "funders": ("Financeur", "Ligne du budget", "Commentaire"),
    "publics": ("Public éligible", "Commentaire"),
}
OPTIONAL_BLOCKS = {"publics"}  # version 2: absent from a version-1 master without a finding
TABLES = {"settings": "t_Reglages", "trades": "t_CorpsEtat", "partners": "t_Partenaires", "funders": "t_Financeurs", "publics": "t_Publics"}


@dataclass
class Identity:
    """The association as the funders' forms print it."""

    name: str = ""
    siret: str = ""
    register: str = ""  # RNA number, or in Alsace-Moselle the tribunal's register, volume and folio
    address: str = ""
    representative: str = ""
    representative_role: str = ""


@dataclass
class Facilitator:
    """The facilitator of the insertion clauses."""

    name: str = ""
    structure: str = ""
    email: str = ""
    phone: str = ""


# Setting name in Paramètres -> (dataclass field of Params, attribute)
IDENTITY_SETTINGS = {
    "Nom de l'association": "name",
    "SIRET": "siret",
    "N° RNA ou registre des associations": "register",
    "Adresse du siège": "address",
    "Représentant légal": "representative",
    "Qualité du représentant légal": "representative_role",
}
FACILITATOR_SETTINGS = {
    "Facilitateur de la clause d'insertion": "name",
    "Structure du facilitateur": "structure",
    "Courriel du facilitateur": "email",
    "Téléphone du facilitateur": "phone",
}
# Settings a version-2 master holds and a version-1 master lacks (what `upgrade` adds).
V2_SETTINGS = (*IDENTITY_SETTINGS, *FACILITATOR_SETTINGS, SETTING_PENALTY, SETTING_MIN_HOURS)


@dataclass
class Params:
    insertion_rate: float | None = None
    hourly_cost: float | None = None
    programme: str = "IGLOO – Projet d'Insertion Globale par le Logement et l'Emploi (Mulhouse)"
    coordinator: str = "Association Espoir"
    trades: dict[str, float | None] = field(default_factory=dict)
    partners: list[str] = field(default_factory=list)
    funders: dict[str, str] = field(default_factory=dict)  # name -> line of the budget form
    identity: Identity = field(default_factory=Identity)
    facilitator: Facilitator = field(default_factory=Facilitator)
    publics: list[str] = field(default_factory=list)
    penalty_per_hour: float | None = None
    min_hours: float | None = None
    missing_v2: list[str] = field(default_factory=list)  # version-2 entries absent from this master

    @property
    def lists(self) -> dict[str, list[str]]:
        return {"trades": list(self.trades), "partners": self.partners, "funders": list(self.funders), "publics": self.publics}

    def trade_labour_rate(self, trade):
        return self.trades.get(trade) if trade is not None else None


def _block(rows: list[list], headers: tuple[str, ...]):
    """(header row, {header: col}) of the block whose first header appears in the first 10 rows."""
    first = fold(headers[0])
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for c, value in enumerate(row):
            if isinstance(value, str) and fold(value) == first:
                cols = {headers[0]: c}
                for c2 in range(c + 1, min(len(row), c + 1 + 2 * len(headers))):
                    for h in headers[1:]:
                        if isinstance(row[c2], str) and fold(row[c2]) == fold(h):
                            cols.setdefault(h, c2)  # the nearest: the next block may have the same header
                return r, cols
    return None, {}


def _records(rows, header_row, cols):
    first = next(iter(cols.values()))
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if first >= len(row) or is_blank(row[first]):
            continue
        yield r, {h: (row[c] if c < len(row) else None) for h, c in cols.items()}


def read_params(sheet: RawSheet | None) -> tuple[Params, list[F.Finding]]:
    params, found = Params(), []
    if sheet is None:
        return params, [F.make("missing-sheet", sheet=SHEET)]
    rows = sheet.rows

    def at(r, c, code, value, **kw):
        return F.make(code, sheet=sheet.name, row=r + 1, letter=letter(c), value=value, **kw)

    def read(parser, r, c, raw, column):
        """The parsed cell, or None after reporting it (Excel error, formula without value, bad number)."""
        try:
            return parser(raw), True
        except Unreadable as exc:
            code = "not-a-number" if exc.code == "not-an-integer" else exc.code
            found.append(at(r, c, code, raw, column=column))
            return None, False

    blocks = {}
    for key, headers in BLOCKS.items():
        r, cols = _block(rows, headers)
        if r is None or headers[1] not in cols:
            if key in OPTIONAL_BLOCKS and r is None:
                params.missing_v2.append(headers[0])
                continue
            missing = headers[1] if r is not None else headers[0]
            found.append(F.make("missing-column", sheet=sheet.name, column=missing))
            continue
        blocks[key] = (r, cols)

    if "settings" in blocks:
        r0, cols = blocks["settings"]
        values = {}
        for r, rec in _records(rows, r0, cols):
            name, ok = read(parse_text, r, cols["Paramètre"], rec["Paramètre"], "Paramètre")
            if ok:
                values[fold(name or "")] = (r, rec["Valeur"])
        c = cols["Valeur"]
        for name, parser, attr, lo, hi, bounds in (
            (SETTING_INSERTION, parse_percent, "insertion_rate", 0, 1, "entre 0 % et 100 %"),
            (SETTING_HOURLY, parse_number, "hourly_cost", 0, None, "> 0"),
        ):
            if fold(name) not in values:
                found.append(F.make("missing-column", sheet=sheet.name, column=name))
                continue
            r, raw = values[fold(name)]
            value, ok = read(parser, r, c, raw, name)
            if not ok:
                continue
            if value is None:
                found.append(at(r, c, "required", raw, column=name))
            elif value < lo or (hi is not None and value > hi) or (attr == "hourly_cost" and value <= 0):
                found.append(at(r, c, "out-of-range", raw, column=name, bounds=bounds))
            else:
                setattr(params, attr, value)
        for name, attr in ((SETTING_PENALTY, "penalty_per_hour"), (SETTING_MIN_HOURS, "min_hours")):
            if fold(name) not in values:
                continue
            r, raw = values[fold(name)]
            value, ok = read(parse_number, r, c, raw, name)
            if ok and value is not None and value < 0:
                found.append(at(r, c, "out-of-range", raw, column=name, bounds="≥ 0"))
            elif ok:
                setattr(params, attr, value)

        def text(name):
            if fold(name) not in values:
                return None
            r, raw = values[fold(name)]
            value, _ = read(parse_text, r, c, raw, name)
            return value

        for name, attr in ((SETTING_PROGRAMME, "programme"), (SETTING_COORDINATOR, "coordinator")):
            value = text(name)
            if value:
                setattr(params, attr, value)
        for settings, target in ((IDENTITY_SETTINGS, params.identity), (FACILITATOR_SETTINGS, params.facilitator)):
            for name, attr in settings.items():
                setattr(target, attr, text(name) or "")
        params.missing_v2.extend(name for name in V2_SETTINGS if fold(name) not in values)

    def names(key, on_row):
        r0, cols = blocks[key]
        first = BLOCKS[key][0]
        seen = {}
        for r, rec in _records(rows, r0, cols):
            name, ok = read(parse_text, r, cols[first], rec[first], first)
            if not ok or name is None:
                continue
            if fold(name) in seen:
                found.append(at(r, cols[first], "duplicate", name, column=first, first_row=seen[fold(name)]))
                continue
            seen[fold(name)] = r + 1
            on_row(r, name, rec, cols)

    if "trades" in blocks:
        header = BLOCKS["trades"][1]

        def trade(r, name, rec, cols):
            rate, ok = read(parse_percent, r, cols[header], rec[header], header)
            if ok and rate is not None and not 0 < rate <= 1:
                found.append(at(r, cols[header], "out-of-range", rec[header], column=header, bounds="> 0 % et ≤ 100 %"))
                rate = None
            params.trades[name] = rate

        names("trades", trade)
    if "partners" in blocks:
        names("partners", lambda r, name, rec, cols: params.partners.append(name))
    if "publics" in blocks:
        names("publics", lambda r, name, rec, cols: params.publics.append(name))
    if "funders" in blocks:
        header = BLOCKS["funders"][1]
        choices = list(FUNDER_LINES) + list(FUNDER_LINE_ALIASES)

        def funder(r, name, rec, cols):
            typed, ok = read(parse_text, r, cols[header], rec[header], header)
            if not ok:
                params.funders[name] = None
                return
            line = canonical(typed, choices)
            line = FUNDER_LINE_ALIASES.get(line, line)
            if line is None:
                found.append(at(r, cols[header], "required", rec[header], column=header))
            elif line not in FUNDER_LINES:
                found.append(at(r, cols[header], "not-in-list", rec[header], column=header, choices=", ".join(FUNDER_LINES)))
            params.funders[name] = line

        names("funders", funder)
    return params, found
