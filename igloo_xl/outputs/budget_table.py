"""A funder's budget table: one sheet per action it finances that year, each the Cerfa 12156*06
« budget prévisionnel de l'action » row for row; for the FSL, the annex of ASLL measures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from igloo_xl.domain.asll_measures import MeasureLine
from igloo_xl.domain.budget_form import ActionBudget, Identity
from igloo_xl.outputs import form_rows as F
from igloo_xl.outputs.fsl_annex import write_fsl_annex
from igloo_xl.outputs.xlsx import Book, generated_on, new_workbook
from igloo_xl.package.atomic import atomic_target

FORBIDDEN = set('[]:*?/\\')
CLASS_NOTE = ("Un montant saisi sur une classe seule (« 60 », « 86 »…) ou sur un sous-compte sans ligne propre "
              "sur le formulaire figure sur la ligne de la classe, sans être réparti entre ses sous-lignes ; "
              "les charges « CI » figurent sur la ligne des charges indirectes.")


def sheet_name(action: str, prefix: str = "Budget") -> str:
    """The tab of an action: « Budget <action> », within Excel's 31 characters
    (`Insertion professionnelle` -> `Budget Insertion pro.`)."""
    clean = "".join(" " if ch in FORBIDDEN else ch for ch in action).strip()
    name = f"{prefix} {clean}"
    if len(name) <= 31:
        return name
    words = name.split(" ")
    while len(" ".join(words)) > 31 and len(words) > 2:
        words.pop()
    head = " ".join(words)
    rest = name[len(head):].strip()
    short = f"{head} {rest[:3]}." if rest else head
    return short if len(short) <= 31 else name[:30] + "."


def columns_for(book: Book, ws, cols: F.Columns) -> None:
    ws.set_column(0, 0, F.CODE_WIDTH)
    ws.set_column(1, 1, F.LABEL_WIDTH)
    ws.set_column(2, 1 + len(cols.measures), F.MONEY_WIDTH)
    ws.set_column(2 + len(cols.measures), 2 + len(cols.measures), F.NOTE_WIDTH if cols.note else F.MONEY_WIDTH)
    if cols.last < 4:  # the detail tables below the form use columns A to E
        ws.set_column(cols.last + 1, 4, F.NOTE_WIDTH)


def attestation_text(who: Identity, b: ActionBudget) -> str:
    person = who.representative or "…………………………"
    role = f", {who.representative_role}" if who.representative_role else ""
    name = who.name or "l'association"
    amount = f"{b.funder_planned:,.2f}".replace(",", " ").replace(".", ",")
    return (f"Je soussigné(e) {person}{role}, représentant(e) légal(e) de {name}, certifie que l'association est "
            f"régulièrement déclarée et à jour de ses obligations sociales et fiscales, que les informations de ce "
            f"budget sont exactes et sincères, et sollicite auprès de {b.funder} un financement de {amount} € pour "
            f"l'action « {b.action} » en {b.year}.")


def _action_sheet(book: Book, b: ActionBudget, who: Identity, lines: list[str]) -> None:
    f = F.formats(book)
    cols = F.Columns(["planned", "actual"] if b.has_actual else ["planned"],
                     ["Prévu (€)", "Réalisé (€)"] if b.has_actual else ["Prévu (€)"], note="Précisions (financeurs)")
    ws = book.sheet(sheet_name(b.action), f"Budget prévisionnel {b.year} de l'action « {b.action} »", lines,
                    landscape=False, header_row=None)
    columns_for(book, ws, cols)
    r = len(lines) + 1
    ws.write_string(r, 0, "Action :", book.subtitle)
    ws.write_string(r, 1, b.action, book.section)
    r = F.identity_block(book, ws, r + 2, who, f) + 1
    ws.write_string(r, 0, "Budget prévisionnel de l'action (formulaire Cerfa n° 12156*06)", f.heading)
    r += 1
    r, at, header = F.form_table(book, ws, r, b, cols, f)
    ws.repeat_rows(header)
    ws.merge_range(r, 0, r, cols.last, CLASS_NOTE, f.small)
    ws.set_row(r, 30)
    r = F.funder_share(book, ws, r + 2, b, at, f) + 1
    r = F.funding_detail(book, ws, r, b, f)
    r = F.charges_detail(book, ws, r, b, f)
    F.attestation(book, ws, r, attestation_text(who, b), f, cols.last)
    ws.fit_to_pages(1, 0)


def write_funder_workbook(action_sheet, budgets: list[ActionBudget], funder: str, year: int, programme: str,
                          coordinator: str, path: Path, today: dt.date, measures: list[MeasureLine] | None = None,
                          who: Identity | None = None) -> Path:
    """One sheet per action written by `action_sheet(book, budget, identity, title lines)`, then the
    FSL's annex of ASLL measures when `measures` is given: the layout both funder documents share."""
    lines = [programme, f"Financeur : {funder} — porteur : {coordinator} — {generated_on(today)}"]
    with atomic_target(path) as tmp:
        book = new_workbook(tmp)
        for b in budgets:
            action_sheet(book, b, who or Identity(), lines)
        if measures is not None:
            write_fsl_annex(book, measures, year, lines)
        book.close()
    return path


def write_budget_table(budgets: list[ActionBudget], funder: str, year: int, programme: str, coordinator: str,
                       path: Path, today: dt.date, measures: list[MeasureLine] | None = None,
                       who: Identity | None = None) -> Path:
    """The Cerfa 12156*06 budget of each action the funder finances that year."""
    return write_funder_workbook(_action_sheet, budgets, funder, year, programme, coordinator, path, today, measures, who)
