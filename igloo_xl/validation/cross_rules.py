"""Rules that look across sheets. Each returns findings; they skip what is absent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from igloo_xl.validation import findings as F
from igloo_xl.domain.funding import balances
from igloo_xl.read.text import fold

if TYPE_CHECKING:  # model.master imports validation.findings, which loads this package
    from igloo_xl.model.master import Master


def _at(master: Master, sheet: str, key: str, row: int, code: str, severity=F.ERROR, variant="", value=None, **params) -> F.Finding:
    data = master.sheets[sheet]
    raw = data.raw.at[row, key] if value is None else value
    return F.make(
        code,
        sheet=data.name,
        column=data.headers[key],
        row=row,
        letter=data.letters.get(key, ""),
        value=raw,
        severity=severity,
        variant=variant,
        **params,
    )


def _rows(frame: pd.DataFrame, *keys: str):
    """(Excel row, values...) without pandas' row-wise type guessing."""
    return zip(frame.index, *(frame[k] for k in keys))


def _present(master: Master, *pairs: tuple[str, str]) -> bool:
    return all(s in master.sheets and k not in master.sheets[s].missing for s, k in pairs)


def _index(frame: pd.DataFrame, key: str) -> dict[str, int]:
    """folded id -> Excel row of its first occurrence."""
    out: dict[str, int] = {}
    for row, value in frame[key].items():
        if value is not None:
            out.setdefault(fold(value), row)
    return out


def references(master: Master) -> list[F.Finding]:
    found = []
    links = [
        ("Familles", "dwelling", "Logements", "id"),
        ("Logements", "landlord", "Bailleurs", "name"),
        ("Lots", "dwelling", "Logements", "id"),
        ("Parcours", "family", "Familles", "id"),
        ("Parcours", "lot", "Lots", "id"),
        ("Accompagnement", "family", "Familles", "id"),
    ]
    for sheet, key, target, target_key in links:
        if not _present(master, (sheet, key), (target, target_key)):
            continue
        known = _index(master.sheets[target].frame, target_key)
        data = master.sheets[sheet]
        for row, value in data.frame[key].items():
            if value is not None and fold(value) not in known and (key, row) not in data.bad_cells:
                found.append(_at(master, sheet, key, row, "unknown-reference", target=master.sheets[target].name))
    return found


def families(master: Master) -> list[F.Finding]:
    found = []
    if not _present(master, ("Familles", "dwelling")):
        return found
    fam = master.sheets["Familles"].frame
    seen: dict[str, int] = {}
    for row, value in fam["dwelling"].items():
        if value is None:
            continue
        if fold(value) in seen:
            found.append(_at(master, "Familles", "dwelling", row, "duplicate", variant="dwelling", first_row=seen[fold(value)]))
        else:
            seen[fold(value)] = row
    if _present(master, ("Familles", "entry_on"), ("Logements", "id"), ("Logements", "works_end")):
        dw = master.sheets["Logements"].frame
        works_end = {fold(i): e for i, e in zip(dw["id"], dw["works_end"]) if i is not None}
        for row, dwelling, entry in _rows(fam, "dwelling", "entry_on"):
            end = works_end.get(fold(dwelling)) if dwelling is not None else None
            if entry is not None and end is not None and entry < end:
                found.append(_at(master, "Familles", "entry_on", row, "date-order", variant="entry", dwelling=dwelling, works_end=end))
    return found


def landlords(master: Master) -> list[F.Finding]:
    if not _present(master, ("Bailleurs", "committed_dwellings"), ("Bailleurs", "name"), ("Logements", "landlord")):
        return []
    counts = master.sheets["Logements"].frame["landlord"].dropna().map(fold).value_counts()
    found = []
    for row, name, engaged in _rows(master.sheets["Bailleurs"].frame, "name", "committed_dwellings"):
        if name is None or engaged is None:
            continue
        count = int(counts.get(fold(name), 0))
        if count > engaged:
            found.append(
                _at(master, "Bailleurs", "committed_dwellings", row, "inconsistent", F.WARNING, "over-engagement",
                    value=name, count=count, engaged=int(engaged))
            )
    return found


def lots(master: Master) -> list[F.Finding]:
    if not _present(master, ("Lots", "dwelling"), ("Logements", "id")):
        return []
    dw = master.sheets["Logements"].frame
    period = {fold(i): (s, e) for i, s, e in zip(dw["id"], dw["works_start"], dw["works_end"]) if i is not None}
    found = []
    lots_frame = master.sheets["Lots"].frame
    for row, dwelling, start, end in _rows(lots_frame, "dwelling", "start", "end"):
        if dwelling is None or fold(dwelling) not in period:
            continue
        w_start, w_end = period[fold(dwelling)]
        if w_start is None or w_end is None:
            continue
        if start is not None and start < w_start:
            key = "start"
        elif end is not None and end > w_end:
            key = "end"
        elif start is not None and start > w_end:
            key = "start"
        else:
            continue
        found.append(_at(master, "Lots", key, row, "date-order", F.WARNING, "works-period", dwelling=dwelling, start=w_start, end=w_end))
    return found


def pathways(master: Master) -> list[F.Finding]:
    if not _present(master, ("Parcours", "lot"), ("Lots", "id"), ("Lots", "insertion")):
        return []
    lots_frame = master.sheets["Lots"].frame
    lot_info = {fold(i): (ins, d) for i, ins, d in zip(lots_frame["id"], lots_frame["insertion"], lots_frame["dwelling"]) if i is not None}
    family_dwelling = {}
    if _present(master, ("Familles", "id"), ("Familles", "dwelling")):
        fam = master.sheets["Familles"].frame
        family_dwelling = {fold(i): d for i, d in zip(fam["id"], fam["dwelling"]) if i is not None}
    found = []
    for row, family, action, lot in _rows(master.sheets["Parcours"].frame, "family", "action", "lot"):
        if lot is None or fold(lot) not in lot_info:
            continue
        insertion, lot_dwelling = lot_info[fold(lot)]
        if action == "Contrat d'insertion" and insertion is False:
            found.append(_at(master, "Parcours", "lot", row, "inconsistent", variant="not-insertion-lot"))
        own = family_dwelling.get(fold(family)) if family is not None else None
        if own is not None and lot_dwelling is not None and fold(own) != fold(lot_dwelling):
            found.append(_at(master, "Parcours", "lot", row, "inconsistent", F.WARNING, "other-dwelling", dwelling=own, lot_dwelling=lot_dwelling))
    return found


def budget_balance(master: Master) -> list[F.Finding]:
    if "Budget" not in master.sheets or "Financements" not in master.sheets:
        return []  # a missing sheet is already an error; a balance without it would only add noise
    found = []
    for b in balances(master.frame("Budget"), master.frame("Financements"), master.params):
        if b["balanced"]:
            continue
        gap = (b["produits"] + b["in_kind_resources"]) - (b["charges"] + b["in_kind_charges"])
        if b["budget_rows"] and "Budget" in master.sheets and "planned" in master.sheets["Budget"].letters:
            sheet, key, row = "Budget", "planned", b["budget_rows"][0]
        elif "Financements" in master.sheets and "requested" in master.sheets["Financements"].letters:
            sheet, key, row = "Financements", "requested", b["funding_rows"][0]
        else:
            continue
        found.append(
            _at(
                master, sheet, key, row, "unbalanced-budget", F.WARNING,
                year=b["year"], action=b["action"],
                charges=b["charges"] + b["in_kind_charges"], produits=b["produits"] + b["in_kind_resources"], gap=gap,
            )
        )
    return found


RULES = (references, families, landlords, lots, pathways, budget_balance)


def cross_sheet_findings(master: Master) -> list[F.Finding]:
    return [f for rule in RULES for f in rule(master)]
