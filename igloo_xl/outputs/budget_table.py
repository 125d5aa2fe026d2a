"""A funder's budget table: one sheet per action it finances that year, laid out like the
association subsidy form's "budget prévisionnel de l'action"; for the FSL, an annex of families."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.package.atomic import atomic_target
from igloo_xl.domain.budget_form import ActionBudget, FormLine, SupportedFamily
from igloo_xl.outputs.fsl_annex import write_fsl_annex
from igloo_xl.outputs.xlsx import Book, generated_on, new_workbook

HEADER_ROW = 4
FORBIDDEN = set('[]:*?/\\')


def sheet_name(action: str) -> str:
    """The tab of an action: « Budget <action> », within Excel's 31 characters
    (`Insertion professionnelle` -> `Budget Insertion pro.`)."""
    clean = "".join(" " if ch in FORBIDDEN else ch for ch in action).strip()
    name = f"Budget {clean}"
    if len(name) <= 31:
        return name
    words = name.split(" ")
    while len(" ".join(words)) > 31 and len(words) > 2:
        words.pop()
    head = " ".join(words)
    rest = name[len(head):].strip()
    short = f"{head} {rest[:3]}." if rest else head
    return short if len(short) <= 31 else name[:30] + "."


def _line(book: Book, ws, r: int, line: FormLine, has_actual: bool, *, sub: bool = False) -> None:
    label = line.label
    if line.details and not sub:
        label += " (" + ", ".join(line.details) + ")"
    elif line.details:
        label += " : " + ", ".join(line.details)
    book.text_cell(ws, r, 0, "" if sub else line.code)
    book.text_cell(ws, r, 1, label, book.indent_text if sub else book.text)
    book.number(ws, r, 2, line.planned, book.money)
    if has_actual:
        book.number(ws, r, 3, line.actual, book.money)


def _total(book: Book, ws, r: int, label: str, rows: list[int], planned: float, actual: float | None, has_actual: bool) -> None:
    ws.write_string(r, 0, label, book.total_label)
    ws.write_blank(r, 1, None, book.total_label)
    for c, value in ((2, planned), (3, actual)):
        if c == 3 and not has_actual:
            continue
        ws.write_formula(r, c, "=" + "+".join(cell(x, c) for x in rows), book.total_money, value)


def _action_sheet(book: Book, b: ActionBudget, funder: str, lines: list[str]) -> None:
    ws = book.sheet(sheet_name(b.action), f"Budget prévisionnel {b.year} de l'action « {b.action} »", lines, landscape=True,
                    header_row=None)
    ws.write_string(HEADER_ROW - 1, 0, "Action :", book.subtitle)
    ws.write_string(HEADER_ROW - 1, 1, b.action, book.section)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 62)
    ws.set_column(2, 3, 15)
    cols = ["Prévu (€)"] + (["Réalisé (€)"] if b.has_actual else [])
    r = HEADER_ROW
    for c, h in enumerate(["Compte", "Charges", *cols]):
        ws.write_string(r, c, h, book.header)
    ws.repeat_rows(HEADER_ROW)
    r += 1
    charge_rows = []
    for line in b.charges:
        _line(book, ws, r, line, b.has_actual)
        charge_rows.append(r)
        r += 1
    total_charges_row = r
    _total(book, ws, r, "Total des charges", charge_rows, b.total_charges,
           sum(l.actual or 0 for l in b.charges) if b.has_actual else None, b.has_actual)
    r += 1
    _line(book, ws, r, b.in_kind_charges, b.has_actual)
    in_kind_charges_row = r
    r += 2
    for c, h in enumerate(["Compte", "Produits", *cols]):
        ws.write_string(r, c, h, book.header)
    r += 1
    _line(book, ws, r, b.sales, b.has_actual)
    sales_row = r
    r += 1
    subsidies_row = r
    sub_rows = list(range(r + 1, r + 1 + len(b.subsidies)))
    planned_74 = sum(l.planned for l in b.subsidies)
    actual_74 = sum(l.actual or 0 for l in b.subsidies) if b.has_actual else None
    book.text_cell(ws, r, 0, "74")
    book.text_cell(ws, r, 1, "Subventions d'exploitation")
    for c, value in ((2, planned_74), (3, actual_74)):
        if c == 2 or b.has_actual:
            ws.write_formula(r, c, f"=SUM({cell(sub_rows[0], c)}:{cell(sub_rows[-1], c)})", book.money, value)
    r += 1
    for line in b.subsidies:
        _line(book, ws, r, line, b.has_actual, sub=True)
        r += 1
    _line(book, ws, r, b.other_income, b.has_actual)
    other_row = r
    r += 1
    total_produits_row = r
    actual_produits = ((b.sales.actual or 0) + actual_74 + (b.other_income.actual or 0)) if b.has_actual else None
    _total(book, ws, r, "Total des produits", [sales_row, subsidies_row, other_row], b.total_produits, actual_produits, b.has_actual)
    r += 1
    _line(book, ws, r, b.in_kind_resources, b.has_actual)
    in_kind_resources_row = r
    r += 2
    ws.write_string(r, 0, "Écart", book.total_label)
    ws.write_string(r, 1, "Total des produits − total des charges (0 = budget équilibré)", book.total_label)
    ws.write_formula(r, 2, f"={cell(total_produits_row, 2)}-{cell(total_charges_row, 2)}", book.total_money, b.gap)
    if b.has_actual:
        ws.write_formula(r, 3, f"={cell(total_produits_row, 3)}-{cell(total_charges_row, 3)}", book.total_money,
                         actual_produits - sum(l.actual or 0 for l in b.charges))
    r += 1
    ws.write_string(r, 0, "Écart 87 − 86", book.total_label)
    ws.write_string(r, 1, "Contributions en nature : ressources − emplois", book.total_label)
    ws.write_formula(r, 2, f"={cell(in_kind_resources_row, 2)}-{cell(in_kind_charges_row, 2)}", book.total_money,
                     b.in_kind_resources.planned - b.in_kind_charges.planned)
    r += 2
    ws.write_string(r, 0, "Détail des financements de l'action (un montant compte l'accordé une fois décidé, le demandé tant qu'il est demandé, 0 s'il est refusé)", book.subtitle)
    r += 1
    headers = ["Financeur", "Dispositif", "Statut", "Demandé (€)", "Accordé (€)", "Versé (€)", "Retenu (€)"]
    # the detail table sits in columns A..G below the form
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, book.header)
    ws.set_column(4, 6, 13)
    for f in b.funding:
        r += 1
        book.text_cell(ws, r, 0, f.funder)
        book.text_cell(ws, r, 1, f.scheme)
        book.text_cell(ws, r, 2, f.status)
        for c, value in ((3, f.requested), (4, f.granted), (5, f.paid), (6, f.counted)):
            book.number(ws, r, c, value, book.money)
    ws.fit_to_pages(1, 0)


def write_budget_table(budgets: list[ActionBudget], funder: str, year: int, programme: str, coordinator: str,
                       path: Path, today: dt.date, families: list[SupportedFamily] | None = None) -> Path:
    lines = [programme, f"Financeur : {funder} — porteur : {coordinator} — {generated_on(today)}"]
    with atomic_target(path) as tmp:
        book = new_workbook(tmp)
        for b in budgets:
            _action_sheet(book, b, funder, lines)
        if families is not None:
            write_fsl_annex(book, families, year, lines)
        book.close()
    return path
