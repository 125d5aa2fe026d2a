"""Rules that look across sheets. Each returns findings; they skip what is absent."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from igloo_xl.validation import findings as F
from igloo_xl.domain.funding import balances, counted_amount, form_line
from igloo_xl.domain.hours import lot_terms
from igloo_xl.validation.folded import FoldedColumns

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


def references(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    found = []
    links = [
        ("Familles", "dwelling", "Logements", "id"),
        ("Logements", "landlord", "Bailleurs", "name"),
        ("Lots", "dwelling", "Logements", "id"),
        ("Parcours", "family", "Familles", "id"),
        ("Parcours", "lot", "Lots", "id"),
        ("Accompagnement", "family", "Familles", "id"),
        ("Heures", "family", "Familles", "id"),
        ("Heures", "lot", "Lots", "id"),
        ("Mesures", "family", "Familles", "id"),
    ]
    for sheet, key, target, target_key in links:
        if not _present(master, (sheet, key), (target, target_key)):
            continue
        data = master.sheets[sheet]
        for row in data.frame.index[folded.positions_not_in(sheet, key, folded.known(target, target_key))]:
            if (key, row) not in data.bad_cells:
                found.append(_at(master, sheet, key, row, "unknown-reference", target=master.sheets[target].name))
    return found


def families(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    found = []
    if not _present(master, ("Familles", "dwelling")):
        return found
    fam = master.sheets["Familles"].frame
    dwellings = folded("Familles", "dwelling")
    seen: dict[str, int] = {}
    for row, value in zip(fam.index, dwellings):
        if value is None:
            continue
        if value in seen:
            found.append(_at(master, "Familles", "dwelling", row, "duplicate", variant="dwelling", first_row=seen[value]))
        else:
            seen[value] = row
    if _present(master, ("Familles", "entry_on"), ("Logements", "id"), ("Logements", "works_end")):
        works_end = folded.lookup("Logements", "id", "works_end")
        for (row, dwelling, entry), key in zip(_rows(fam, "dwelling", "entry_on"), dwellings):
            end = works_end.get(key) if dwelling is not None else None
            if entry is not None and end is not None and entry < end:
                found.append(_at(master, "Familles", "entry_on", row, "date-order", variant="entry", dwelling=dwelling, works_end=end))
    return found


def landlords(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    if not _present(master, ("Bailleurs", "committed_dwellings"), ("Bailleurs", "name"), ("Logements", "landlord")):
        return []
    counts = Counter(folded("Logements", "landlord"))
    found = []
    for (row, name, engaged), key in zip(_rows(master.sheets["Bailleurs"].frame, "name", "committed_dwellings"), folded("Bailleurs", "name")):
        if name is None or engaged is None:
            continue
        count = int(counts.get(key, 0))
        if count > engaged:
            found.append(
                _at(master, "Bailleurs", "committed_dwellings", row, "inconsistent", F.WARNING, "over-engagement",
                    value=name, count=count, engaged=int(engaged))
            )
    return found


def lots(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    if not _present(master, ("Lots", "dwelling"), ("Logements", "id")):
        return []
    period = folded.lookup("Logements", "id", "works_start", "works_end")
    found = []
    lots_frame = master.sheets["Lots"].frame
    for (row, dwelling, start, end), key in zip(_rows(lots_frame, "dwelling", "start", "end"), folded("Lots", "dwelling")):
        if dwelling is None or key not in period:
            continue
        w_start, w_end = period[key]
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


def pathways(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    if not _present(master, ("Parcours", "lot"), ("Lots", "id"), ("Lots", "insertion")):
        return []
    # each lot's dwelling and each family's dwelling, as typed (for the message) and folded (to compare)
    lot_info = folded.lookup("Lots", "id", "insertion", "dwelling")
    lot_dwelling_key = dict(zip(folded("Lots", "id"), folded("Lots", "dwelling")))
    family_dwelling, family_dwelling_key = {}, {}
    if _present(master, ("Familles", "id"), ("Familles", "dwelling")):
        family_dwelling = folded.lookup("Familles", "id", "dwelling")
        family_dwelling_key = dict(zip(folded("Familles", "id"), folded("Familles", "dwelling")))
    found = []
    parcours = master.sheets["Parcours"].frame
    for (row, family, action, lot), family_key, lot_key in zip(
        _rows(parcours, "family", "action", "lot"), folded("Parcours", "family"), folded("Parcours", "lot")
    ):
        if lot is None or lot_key not in lot_info:
            continue
        insertion, lot_dwelling = lot_info[lot_key]
        if action == "Contrat d'insertion" and insertion is False:
            found.append(_at(master, "Parcours", "lot", row, "inconsistent", variant="not-insertion-lot"))
        own = family_dwelling.get(family_key) if family is not None else None
        if own is not None and lot_dwelling is not None and family_dwelling_key[family_key] != lot_dwelling_key[lot_key]:
            found.append(_at(master, "Parcours", "lot", row, "inconsistent", F.WARNING, "other-dwelling", dwelling=own, lot_dwelling=lot_dwelling))
    return found


def budget_balance(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    if "Budget" not in master.sheets or "Financements" not in master.sheets:
        return []  # a missing sheet is already an error; a balance without it would only add noise
    found = []
    for b in balances(master.frame("Budget"), master.frame("Financements"), master.params):
        place = _group_cell(master, b)
        if place is None:
            continue
        sheet, key, row = place
        if abs(b["charges"] - b["produits"]) > TOLERANCE:
            found.append(
                _at(master, sheet, key, row, "unbalanced-budget", F.WARNING, year=b["year"], action=b["action"],
                    charges=b["charges"], produits=b["produits"], gap=b["produits"] - b["charges"])
            )
        if abs(b["in_kind_charges"] - b["in_kind_resources"]) > TOLERANCE:
            found.append(
                _at(master, sheet, key, row, "unbalanced-in-kind", F.WARNING, year=b["year"], action=b["action"],
                    in_kind=b["in_kind_charges"], in_kind_res=b["in_kind_resources"])
            )
    return found


TOLERANCE = 0.5  # euros


def _group_cell(master: Master, b: dict):
    """Where a (year, action) finding goes: its first Budget row's Prévu, else its first funding row's Montant demandé."""
    if b["budget_rows"] and "planned" in master.sheets["Budget"].letters:
        return "Budget", "planned", b["budget_rows"][0]
    if b["funding_rows"] and "requested" in master.sheets["Financements"].letters:
        return "Financements", "requested", b["funding_rows"][0]
    return None


MOUS_SHARE = 0.5


def mous_share(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """The State finances the MOUS up to half of the action's cost."""
    if not _present(master, ("Financements", "scheme"), ("Financements", "funder"), ("Budget", "planned")):
        return []
    fin, budget = master.frame("Financements"), master.frame("Budget")
    charges: dict = {}
    lines: dict[str, str | None] = {}  # each distinct Compte's line once (a Budget repeats a few accounts)
    for year, action, account, planned in zip(budget["year"], budget["action"], budget["account"], budget["planned"]):
        if account.__class__ is str:
            line = lines[account] if account in lines else lines.setdefault(account, form_line(account))
        else:
            line = form_line(account)
        if year is None or action is None or planned is None or line is None or line.startswith("86"):
            continue
        charges[(int(year), action)] = charges.get((int(year), action), 0.0) + float(planned)
    state: dict = {}
    for row, funder, scheme, year, action, status, requested, granted in _rows(
        fin, "funder", "scheme", "year", "action", "status", "requested", "granted"
    ):
        if scheme != "MOUS" or year is None or action is None or master.params.funders.get(funder) != "État":
            continue
        key = (int(year), action)
        amount, rows = state.get(key, (0.0, []))
        state[key] = (amount + counted_amount(status, requested, granted), rows + [(row, status)])
    found = []
    for (year, action), (amount, rows) in sorted(state.items()):
        planned = charges.get((year, action), 0.0)
        if amount <= 0 or amount <= MOUS_SHARE * planned + TOLERANCE:
            continue
        row, status = rows[0]
        key = "granted" if status in ("Accordé", "Versé") and "granted" in master.sheets["Financements"].letters else "requested"
        found.append(_at(master, "Financements", key, row, "mous-over-50", F.WARNING, year=year, action=action,
                         mous=amount, charges=planned))
    return found


CHARTER_SHARE = 0.05


def insertion_charter(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """The ANRU charter: insertion hours at least 5 % of the labour hours of the programme's lots."""
    if not _present(master, ("Lots", "amount"), ("Lots", "insertion")):
        return []
    lots_frame = master.frame("Lots")
    terms = lot_terms(lots_frame, master.params)
    labour = owed = 0.0
    for amount, rate, cost, hours in zip(lots_frame["amount"], terms["labour_rate"], terms["hourly_cost"], terms["hours"]):
        if amount is None or rate is None or not cost or rate != rate:
            continue
        labour += float(amount) * float(rate) / float(cost)
        owed += float(hours or 0)
    if labour <= 0 or owed >= CHARTER_SHARE * labour:
        return []
    share = f"{100 * owed / labour:.1f} %".replace(".", ",")
    return [F.make("insertion-below-charter", sheet=master.sheets["Lots"].name, severity=F.WARNING,
                   hours=round(owed), labour=round(labour), share=share)]


def statements(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """Heures: each statement on an insertion lot that the family works on (a Parcours row on that lot)."""
    if not _present(master, ("Heures", "lot"), ("Heures", "family"), ("Lots", "id")):
        return []
    insertion = folded.lookup("Lots", "id", "insertion")
    lot_codes, lots = folded.codes("Heures", "lot")
    # per lot: 0 not a known lot (nothing to say here), 1 not an insertion lot, 2 its statements need a pathway
    state = np.array([0 if lot not in insertion else 1 if insertion[lot] is False else 2 for lot in lots] + [0])[lot_codes]
    pairs = folded.pair_codes("Heures")
    no_pathway = (state == 2) & (pairs >= 0)
    if "Parcours" in master.sheets:
        no_pathway &= ~np.isin(pairs, folded.pair_codes("Parcours"))
    else:
        no_pathway[:] = False
    data = master.sheets["Heures"]
    found = []
    positions = np.flatnonzero((state == 1) | no_pathway)
    for row, not_insertion in zip(data.frame.index[positions], (state[positions] == 1).tolist()):
        if not_insertion:
            found.append(_at(master, "Heures", "lot", row, "inconsistent", variant="not-insertion-lot"))
        else:
            found.append(_at(master, "Heures", "family", row, "inconsistent", variant="no-pathway", lot=data.frame.at[row, "lot"]))
    return found


def hours_done(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """A typed Parcours Heures réalisées that differs by more than 1 h from the Heures sheet's total."""
    if not _present(master, ("Parcours", "hours_done"), ("Parcours", "lot"), ("Parcours", "family")) or "Heures" not in master.sheets:
        return []
    totals = folded.pathway_hours()
    frame = master.frame("Parcours")
    typed_per_pair: dict = {}  # (family, lot) -> [(row, typed hours)] of the rows where hours are typed
    for row, pair, typed in zip(frame.index, folded.pairs("Parcours"), frame["hours_done"]):
        if pair is not None and pair in totals:
            rows = typed_per_pair.setdefault(pair, [])
            if typed is not None:
                rows.append((row, typed))
    found = []
    for pair, typed in typed_per_pair.items():
        if typed and abs(sum(float(t) for _, t in typed) - totals[pair]) > 1:
            row = typed[0][0]
            found.append(_at(master, "Parcours", "hours_done", row, "inconsistent", F.WARNING, "hours-done", computed=totals[pair]))
    return found


def follow_up(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """Mode de réalisation and Public of a Contrat d'insertion: an error once the Heures sheet has statements
    for that family and lot (its hours could not be classified), a warning before (a master just upgraded
    from version 1 has none: staff complete them without being blocked)."""
    if not _present(master, ("Parcours", "action")):
        return []
    data = master.sheets["Parcours"]
    followed = folded.pathway_hours()
    found = []
    frame = data.frame
    contract = None
    for key in ("mode", "public"):
        if key in data.missing:
            continue
        if contract is None:  # the rows that can need a value: only they are visited
            contract = np.fromiter((a == "Contrat d'insertion" for a in frame["action"]), bool, len(frame))
            pairs, rows = folded.pairs("Parcours"), frame.index.tolist()
        empty = np.fromiter((v is None for v in frame[key]), bool, len(frame))
        for pos in np.flatnonzero(contract & empty).tolist():
            row, pair = rows[pos], pairs[pos]
            if (key, row) in data.bad_cells:
                continue
            if pair is not None and pair in followed:
                found.append(_at(master, "Parcours", key, row, "required", variant="when", condition="l'action est un Contrat d'insertion"))
            else:
                found.append(_at(master, "Parcours", key, row, "required", F.WARNING, "follow-up"))
    return found


def upgrade_available(master: Master, folded: FoldedColumns) -> list[F.Finding]:
    """A master written for version 1 of the contract: one warning that names `igloo-xl upgrade`."""
    from igloo_xl.schemas import SHEETS

    missing = []
    for name, spec in SHEETS.items():
        if spec.since > 1 and name not in master.sheets:
            missing.append((name, f"feuille {name}"))
        elif name in master.sheets:
            data = master.sheets[name]
            missing.extend((data.name, f"colonne « {c.header} » ({data.name})") for c in spec.columns if c.since > 1 and c.key in data.missing)
    if master.params.missing_v2:
        from igloo_xl.model.params import SHEET

        missing.append((SHEET, "paramètres " + ", ".join(f"« {m} »" for m in master.params.missing_v2[:3])
                        + (" …" if len(master.params.missing_v2) > 3 else "")))
    if not missing:
        return []
    path = f"\"{master.path}\"" if master.path is not None else "CHEMIN_DU_CLASSEUR"
    return [F.make("upgrade-available", sheet=missing[0][0], severity=F.WARNING,
                   missing="; ".join(m for _, m in missing), path=path)]


RULES = (references, families, landlords, lots, pathways, follow_up, statements, hours_done, budget_balance, mous_share,
         insertion_charter, upgrade_available)


def cross_sheet_findings(master: Master) -> list[F.Finding]:
    folded = FoldedColumns(master)
    return [f for rule in RULES for f in rule(master, folded)]
