"""Paramètres: the settings and lists staff may edit, laid out as side-by-side tables.

Layout (header row within the first 10 rows, each block an Excel table):
- t_Reglages:   Paramètre | Valeur | Commentaire
- t_CorpsEtat:  Corps d'état | Taux de main-d'œuvre par défaut (%) | Commentaire
- t_Partenaires: Partenaire | Rôle
- t_Financeurs: Financeur | Ligne du budget | Commentaire
- t_Listes:     the contract's fixed lists, one column each, feeding the dropdowns
"""

from __future__ import annotations

from dataclasses import dataclass, field

from igloo_xl.validation import findings as F
from igloo_xl.read.grid import HEADER_SEARCH_ROWS, letter
from igloo_xl.read.reader import RawSheet
from igloo_xl.schemas.lists import FUNDER_LINES
from igloo_xl.read.text import fold
from igloo_xl.read.values import Unreadable, canonical, is_blank, parse_number, parse_percent, parse_text

SHEET = "Paramètres"
SETTING_INSERTION = "Taux d'insertion par défaut (%)"
SETTING_HOURLY = "Coût horaire par défaut (€)"
SETTING_PROGRAMME = "Programme"
SETTING_COORDINATOR = "Coordonnateur"

BLOCKS = {
    "settings": ("Paramètre", "Valeur", "Commentaire"),
    "trades": ("Corps d'état", "Taux de main-d'œuvre par défaut (%)", "Commentaire"),
    "partners": ("Partenaire", "Rôle"),
    "funders": ("Financeur", "Ligne du budget", "Commentaire"),
}
TABLES = {"settings": "t_Reglages", "trades": "t_CorpsEtat", "partners": "t_Partenaires", "funders": "t_Financeurs"}


@dataclass
class Params:
    insertion_rate: float | None = None
    hourly_cost: float | None = None
    programme: str = "IGLOO – Projet d'Insertion Globale par le Logement et l'Emploi (Mulhouse)"
    coordinator: str = "Association Espoir"
    trades: dict[str, float | None] = field(default_factory=dict)
    partners: list[str] = field(default_factory=list)
    funders: dict[str, str] = field(default_factory=dict)  # name -> line of the budget form

    @property
    def lists(self) -> dict[str, list[str]]:
        return {"trades": list(self.trades), "partners": self.partners, "funders": list(self.funders)}

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
                            cols[h] = c2
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

    blocks = {}
    for key, headers in BLOCKS.items():
        r, cols = _block(rows, headers)
        if r is None or headers[1] not in cols:
            missing = headers[1] if r is not None else headers[0]
            found.append(F.make("missing-column", sheet=sheet.name, column=missing))
            continue
        blocks[key] = (r, cols)

    if "settings" in blocks:
        r0, cols = blocks["settings"]
        values = {}
        for r, rec in _records(rows, r0, cols):
            values[fold(parse_text(rec["Paramètre"]) or "")] = (r, rec["Valeur"])
        for name, parser, attr, lo, hi, bounds in (
            (SETTING_INSERTION, parse_percent, "insertion_rate", 0, 1, "entre 0 % et 100 %"),
            (SETTING_HOURLY, parse_number, "hourly_cost", 0, None, "> 0"),
        ):
            if fold(name) not in values:
                found.append(F.make("missing-column", sheet=sheet.name, column=name))
                continue
            r, raw = values[fold(name)]
            c = cols["Valeur"]
            try:
                value = parser(raw)
            except Unreadable as exc:
                found.append(at(r, c, exc.code, raw, column=name))
                continue
            if value is None:
                found.append(at(r, c, "required", raw, column=name))
            elif value < lo or (hi is not None and value > hi) or (attr == "hourly_cost" and value <= 0):
                found.append(at(r, c, "out-of-range", raw, column=name, bounds=bounds))
            else:
                setattr(params, attr, value)
        for name, attr in ((SETTING_PROGRAMME, "programme"), (SETTING_COORDINATOR, "coordinator")):
            if fold(name) in values and not is_blank(values[fold(name)][1]):
                setattr(params, attr, parse_text(values[fold(name)][1]))

    def names(key, on_row):
        r0, cols = blocks[key]
        seen = {}
        for r, rec in _records(rows, r0, cols):
            name = parse_text(rec[BLOCKS[key][0]])
            if fold(name) in seen:
                found.append(at(r, cols[BLOCKS[key][0]], "duplicate", name, column=BLOCKS[key][0], first_row=seen[fold(name)]))
                continue
            seen[fold(name)] = r + 1
            on_row(r, name, rec, cols)

    if "trades" in blocks:
        header = BLOCKS["trades"][1]

        def trade(r, name, rec, cols):
            try:
                rate = parse_percent(rec[header])
            except Unreadable:
                found.append(at(r, cols[header], "not-a-number", rec[header], column=header))
                rate = None
            else:
                if rate is not None and not 0 < rate <= 1:
                    found.append(at(r, cols[header], "out-of-range", rec[header], column=header, bounds="> 0 % et ≤ 100 %"))
                    rate = None
            params.trades[name] = rate

        names("trades", trade)
    if "partners" in blocks:
        names("partners", lambda r, name, rec, cols: params.partners.append(name))
    if "funders" in blocks:
        header = BLOCKS["funders"][1]

        def funder(r, name, rec, cols):
            line = canonical(rec[header], list(FUNDER_LINES))
            if line is None:
                found.append(at(r, cols[header], "required", rec[header], column=header))
            elif line not in FUNDER_LINES:
                found.append(at(r, cols[header], "not-in-list", rec[header], column=header, choices=", ".join(FUNDER_LINES)))
            params.funders[name] = line

        names("funders", funder)
    return params, found
