"""The FSL's annex to its budget and financial report: the ASLL measures of the year, one row per
measure, families by ID only (type, start, end, measure-months in the year, meetings and hours)."""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.domain.asll_measures import MeasureLine
from igloo_xl.outputs.xlsx import Book

SHEET = "Mesures ASLL"
HEADER_ROW = 4
HOURS_1 = "#,##0.0"  # 14,5 h prints 14,5, never 15
HEADERS = [("ID famille", 11), ("Type de mesure", 26), ("Début", 12), ("Fin", 12), ("Mois-mesures dans l'année", 13),
           ("Rencontres", 11), ("Heures", 10)]


def write_fsl_annex(book: Book, measures: list[MeasureLine], year: int, lines: list[str]) -> None:
    ws = book.sheet(SHEET, f"Accompagnement social lié au logement {year} – mesures ASLL", lines,
                    landscape=False, header_row=HEADER_ROW)
    header = book.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                 "valign": "vcenter", "align": "center"})
    hours = book.wb.add_format({"border": 1, "num_format": HOURS_1})
    total_hours = book.wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": HOURS_1})
    count = book.wb.add_format({"border": 1, "num_format": "0"})
    total_count = book.wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2", "num_format": "0"})
    for c, (h, w) in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, c, h, header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER_ROW, 45)  # three lines of header text, never cut
    first = HEADER_ROW + 1
    for i, m in enumerate(measures):
        r = first + i
        book.text_cell(ws, r, 0, m.family)
        book.text_cell(ws, r, 1, m.type)
        book.day(ws, r, 2, m.start)
        book.day(ws, r, 3, m.end)
        book.number(ws, r, 4, m.months, count)
        book.number(ws, r, 5, m.meetings, count)
        book.number(ws, r, 6, m.hours, hours)
    total = first + len(measures)
    families = len({m.family for m in measures})
    label = f"Total : {len(measures)} mesure{'s' if len(measures) > 1 else ''}, {families} famille{'s' if families > 1 else ''}"
    ws.merge_range(total, 0, total, 3, label, book.total_label)
    for c, attr, fmt in ((4, "months", total_count), (5, "meetings", total_count), (6, "hours", total_hours)):
        value = sum(getattr(m, attr) for m in measures)
        if measures:
            ws.write_formula(total, c, f"=SUM({cell(first, c)}:{cell(total - 1, c)})", fmt, value)
        else:
            book.number(ws, total, c, 0, fmt)
    note = book.wb.add_format({"italic": True, "font_color": "#404040", "text_wrap": True, "valign": "top"})
    ws.merge_range(total + 2, 0, total + 2, 6,
                   f"Un mois-mesure est un mois civil de {year} couvert au moins un jour par la mesure. Rencontres et "
                   "heures : entretiens individuels de la famille pendant la mesure (les séances de groupe n'ont pas "
                   "de famille). Les familles sont désignées par leur identifiant.", note)
    ws.set_row(total + 2, 45)
