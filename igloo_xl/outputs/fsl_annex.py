"""The FSL's annex to its budget table: the families accompanied in the year, by ID only
(meetings, hours, months with at least one individual meeting; group sessions have no family)."""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.domain.budget_form import SupportedFamily
from igloo_xl.outputs.xlsx import Book

HEADER_ROW = 4


def write_fsl_annex(book: Book, families: list[SupportedFamily], year: int, lines: list[str]) -> None:
    ws = book.sheet("Familles accompagnées", f"Accompagnement social lié au logement {year} – familles accompagnées", lines,
                    landscape=False, header_row=HEADER_ROW)
    headers = ["ID famille", "Rencontres", "Heures", "Mois d'accompagnement"]
    for c, (h, w) in enumerate(zip(headers, [12, 12, 12, 16])):
        ws.write_string(HEADER_ROW, c, h, book.header)
        ws.set_column(c, c, w)
    first = HEADER_ROW + 1
    for i, f in enumerate(families):
        r = first + i
        book.text_cell(ws, r, 0, f.family)
        book.number(ws, r, 1, f.meetings, book.hours)
        book.number(ws, r, 2, f.hours, book.hours)
        book.number(ws, r, 3, f.months, book.hours)
    total = first + len(families)
    ws.write_string(total, 0, f"Total : {len(families)} familles", book.total_label)
    for c, attr in ((1, "meetings"), (2, "hours"), (3, "months")):
        value = sum(getattr(f, attr) for f in families)
        if families:
            ws.write_formula(total, c, f"=SUM({cell(first, c)}:{cell(total - 1, c)})", book.total_hours, value)
        else:
            book.number(ws, total, c, 0, book.total_hours)
    ws.write_string(total + 2, 0, "Les familles sont désignées par leur identifiant ; les séances de groupe ne sont pas comptées ici.", book.subtitle)
