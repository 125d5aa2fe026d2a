"""The compte rendu financier (Cerfa 15059) of the actions a funder financed in a year: the budget
form's rows with Prévu, Réalisé, Écart and Réalisé / prévu, then the form's three texts; for the FSL,
the annex of ASLL measures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.domain.asll_measures import MeasureLine
from igloo_xl.domain.budget_form import ActionBudget, Identity, significant_gaps
from igloo_xl.outputs import form_rows as F
from igloo_xl.outputs.budget_table import CLASS_NOTE, columns_for, sheet_name, write_funder_workbook
from igloo_xl.outputs.xlsx import Book

COLUMNS = F.Columns(["planned", "actual", "gap", "ratio"], ["Prévu (€)", "Réalisé (€)", "Écart (€)", "Réalisé / prévu (%)"])
LAST = COLUMNS.last


def _money(v: float) -> str:
    return f"{v:,.2f}".replace(",", " ").replace(".", ",") + " €"


def _text_box(ws, r: int, text: str, fmt, height: int = 45) -> int:
    ws.merge_range(r, 0, r, LAST, text, fmt)
    ws.set_row(r, height)
    return r + 1


def _indirect_charges(book: Book, ws, r: int, b: ActionBudget, f: F.FormFormats) -> int:
    ws.write_string(r, 0, "1. Règles de répartition des charges indirectes affectées à l'action", f.heading)
    r += 1
    mine = [x for x in b.charges if x.row == "CI"]
    if mine:
        listed = " ; ".join(f"{x.label or 'sans libellé'} : prévu {_money(x.planned)}, réalisé {_money(x.actual or 0)}" for x in mine)
        r = _text_box(ws, r, f"Charges indirectes affectées à l'action (lignes « CI » de la feuille Budget) : {listed}.", f.note, 30)
    else:
        r = _text_box(ws, r, "Aucune charge indirecte n'est affectée à l'action dans la feuille Budget.", f.note, 18)
    ws.write_string(r, 0, "Clé de répartition retenue :", book.subtitle)
    r += 1
    return _text_box(ws, r, "", f.box, 45) + 1


def _gaps(book: Book, ws, r: int, b: ActionBudget, f: F.FormFormats) -> int:
    ws.write_string(r, 0, "2. Écarts significatifs entre le prévu et le réalisé (plus de 15 % et plus de 500 €)", f.heading)
    r += 1
    gaps = significant_gaps(b)
    if not gaps:
        return _text_box(ws, r, "Aucune ligne ne s'écarte du prévu de plus de 15 % et de plus de 500 €.", f.note, 18) + 1
    r = _text_box(ws, r, "Pour chaque ligne ci-dessous, expliquez l'écart dans le cadre prévu à cet effet.", f.small, 18)
    for c, h in enumerate(["Compte", "Ligne", *COLUMNS.headers]):
        ws.write_string(r, c, h, book.header)
    ws.set_row(r, 30)
    r += 1
    for g in gaps:
        ws.write_string(r, 0, g.row.code or g.row.parent or "—", f.code)
        ws.write_string(r, 1, g.row.label, f.label)
        ws.write_number(r, 2, g.planned, f.group)
        ws.write_number(r, 3, g.actual, f.group)
        ws.write_formula(r, 4, f"={cell(r, 3)}-{cell(r, 2)}", f.group, g.amount)
        ws.write_formula(r, 5, f'=IF({cell(r, 2)}=0,"",{cell(r, 3)}/{cell(r, 2)})', f.percent,
                         g.ratio if g.ratio is not None else "")
        r += 1
        ws.write_string(r, 0, "Explication", book.subtitle)
        ws.merge_range(r, 1, r, LAST, "", f.box)
        ws.set_row(r, 36)
        r += 1
    return r + 1


def _in_kind(book: Book, ws, r: int, b: ActionBudget, f: F.FormFormats) -> int:
    ws.write_string(r, 0, "3. Contributions volontaires en nature affectées à l'action", f.heading)
    r += 1
    uses = [x for x in b.charges if x.row.startswith("86")]
    givers = [name for key, names in b.funders_by_row.items() if key.startswith("87") for name in names]
    if uses or givers:
        parts = [f"{x.label or x.account} (prévu {_money(x.planned)}, réalisé {_money(x.actual or 0)})" for x in uses]
        text = (f"Emplois (86) : {', '.join(parts) or 'aucun'}. Apports (87) : {', '.join(givers) or 'aucun'} ; "
                f"prévu {_money(b.planned['87'])}, réalisé {_money(b.actual['87'])}.")
    else:
        text = "Aucune contribution volontaire en nature n'est affectée à l'action."
    r = _text_box(ws, r, text, f.note, 30)
    ws.write_string(r, 0, "Nature et mode de valorisation :", book.subtitle)
    r += 1
    return _text_box(ws, r, "", f.box, 45) + 1


def attestation_text(who: Identity, b: ActionBudget) -> str:
    person = who.representative or "…………………………"
    role = f", {who.representative_role}" if who.representative_role else ""
    name = who.name or "l'association"
    return (f"Je soussigné(e) {person}{role}, représentant(e) légal(e) de {name}, certifie exactes les informations "
            f"du présent compte rendu financier de l'action « {b.action} » pour {b.year}.")


def _action_sheet(book: Book, b: ActionBudget, who: Identity, lines: list[str]) -> None:
    f = F.formats(book)
    ws = book.sheet(sheet_name(b.action, "CRF"), f"Compte rendu financier {b.year} de l'action « {b.action} »", lines,
                    landscape=False, header_row=None)
    columns_for(book, ws, COLUMNS)
    ws.set_column(5, 5, 11)
    r = len(lines) + 1
    ws.write_string(r, 0, "Action :", book.subtitle)
    ws.write_string(r, 1, b.action, book.section)
    r = F.identity_block(book, ws, r + 2, who, f) + 1
    ws.write_string(r, 0, f"Compte rendu financier de l'exercice {b.year} (formulaire Cerfa n° 15059)", f.heading)
    r += 1
    r, at, header = F.form_table(book, ws, r, b, COLUMNS, f)
    ws.repeat_rows(header)
    ws.merge_range(r, 0, r, LAST, CLASS_NOTE + " Le réalisé des produits est l'accordé de l'année, versé ou non.", f.small)
    ws.set_row(r, 45)
    r = F.funder_share(book, ws, r + 2, b, at, f, measure="actual") + 1
    r = _indirect_charges(book, ws, r, b, f)
    r = _gaps(book, ws, r, b, f)
    r = _in_kind(book, ws, r, b, f)
    r = F.funding_detail(book, ws, r, b, f)
    r = F.charges_detail(book, ws, r, b, f, LAST)
    F.attestation(book, ws, r, attestation_text(who, b), f, LAST)
    ws.fit_to_pages(1, 0)


def write_financial_report(budgets: list[ActionBudget], funder: str, year: int, programme: str, coordinator: str,
                           path: Path, today: dt.date, measures: list[MeasureLine] | None = None,
                           who: Identity | None = None) -> Path:
    """The Cerfa 15059 report of each action the funder financed that year."""
    return write_funder_workbook(_action_sheet, budgets, funder, year, programme, coordinator, path, today, measures, who)
