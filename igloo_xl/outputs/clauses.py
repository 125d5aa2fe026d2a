"""One workbook per landlord: insertion lots, summary per dwelling, monthly plan, the facilitator's
monthly follow-up, totals by way and public with the charter rates, beneficiaries (first name only)
and the clause text of each lot. Everything is computed in domain/insertion.py; this module writes."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell as cell

from igloo_xl.collector import collector_paused
from igloo_xl.domain.clause_text import clause_paragraphs, no_clause_reason, STATEMENT_DAY
from igloo_xl.domain.insertion import CHARTER_RATE, MISSING, NOT_GIVEN, LandlordSchedule, Tally
from igloo_xl.outputs.quick_cells import store_row
from igloo_xl.outputs.xlsx import Book, generated_on, new_workbook, safe_file_name
from igloo_xl.package.atomic import atomic_target

HEADER_ROW = 4  # 0-based: rows 1-3 hold the title block
LOT_HEADERS = [
    "ID lot", "ID logement", "Corps d'état", "Entreprise", "Montant HT (€)", "Taux de main-d'œuvre (%)",
    "Taux d'insertion (%)", "Coût horaire (€)", "Heures d'insertion", "Heures réalisées", "Taux de réalisation",
    "Début", "Fin", "Clause",
]
FOLLOW_UP_HEADERS = [
    "ID lot", "Corps d'état", "Entreprise", "Mois", "Heures dues", "Heures réalisées", "Cumul dû", "Cumul réalisé",
    "Écart (réalisé − dû)", "Relevé",
]
BENEFICIARY_HEADERS = [
    "ID famille", "Prénom", "ID lot", "Action", "Partenaire", "Mode de réalisation", "Public", "Début", "Fin",
    "Heures prévues", "Heures réalisées",
]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
MONTH_FORMAT = "[$-40C]mmm yyyy"  # French month names whatever the viewer's locale
CHARS_PER_LINE = 110  # of the clause column, to size its rows (LibreOffice does not grow them itself)


def file_name(landlord: str) -> str:
    return f"Clauses_insertion_{safe_file_name(landlord)}.xlsx"


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def works_years(s: LandlordSchedule, today: dt.date) -> str:
    """« travaux 2009-2010 »: the years the insertion lots run (the generation year when no lot is dated)."""
    years = sorted({d.year for lot in s.lots for d in (lot.start, lot.end) if d is not None}) or [today.year]
    span = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return f"travaux {span}"


def _headers(book: Book, ws, headers: list[str], widths: list[float], row: int = HEADER_ROW) -> None:
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.write_string(row, c, h, book.header)
        ws.set_column(c, c, w)
    ws.set_row(row, 45 if row == HEADER_ROW else 30)


def _ratio(done: float, owed: float) -> float:
    return done / owed if owed else 0.0


def _total_label(book: Book, ws, row: int, blanks: range, label: str = "Total") -> None:
    ws.write_string(row, 0, label, book.total_label)
    for c in blanks:
        ws.write_blank(row, c, None, book.total_label)


def _sum(book: Book, ws, row: int, col: int, first: int, last: int, value: float, fmt=None) -> None:
    """A total of the column above: SUM over the rows, or its value alone when there are none."""
    fmt = fmt or book.total_hours
    if last >= first:
        ws.write_formula(row, col, f"=SUM({cell(first, col)}:{cell(last, col)})", fmt, value)
    else:
        ws.write_number(row, col, value, fmt)


def _lots_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> int:
    ws = book.sheet("Lots", f"Clause d'insertion – {s.landlord} – lots d'insertion", lines, header_row=HEADER_ROW)
    _headers(book, ws, LOT_HEADERS, [10, 11, 24, 26, 14, 13, 11, 11, 11, 11, 11, 11, 11, 16])
    first = HEADER_ROW + 1
    text, money, percent, hours, date = book.text, book.money, book.percent, book.hours, book.date
    formats = (text, text, text, text, money, percent, percent, money, hours, hours, percent, date, date, text)
    for r, lot in enumerate(s.lots, start=first):
        n = r + 1  # the row as Excel numbers it, in the formulas
        store_row(ws, r, "ssssnnnnfnfdds", (
            lot.id, lot.dwelling, lot.trade, lot.firm, lot.amount, lot.labour_rate, lot.insertion_rate, lot.hourly_cost,
            (f"=ROUND(E{n}*F{n}/H{n}*G{n},0)", lot.hours_owed), lot.hours_done,
            (f"=IF(I{n}=0,0,J{n}/I{n})", _ratio(lot.hours_done, lot.hours_owed)), lot.start, lot.end,
            "Oui" if lot.has_clause else "Non (sous le minimum)"), formats)
    last = first + len(s.lots) - 1
    total = last + 1
    owed = sum(lot.hours_owed for lot in s.lots)
    done = sum(lot.hours_done for lot in s.lots)
    _total_label(book, ws, total, range(1, 14))
    _sum(book, ws, total, 4, first, last, sum(lot.amount for lot in s.lots), book.total_money)
    _sum(book, ws, total, 8, first, last, owed)
    _sum(book, ws, total, 9, first, last, done)
    ws.write_formula(total, 10, f"=IF({cell(total, 8)}=0,0,{cell(total, 9)}/{cell(total, 8)})", book.total_percent, _ratio(done, owed))
    ws.autofilter(HEADER_ROW, 0, last, len(LOT_HEADERS) - 1)
    return last


def _summary_sheet(book: Book, s: LandlordSchedule, lines: list[str], lots_last: int) -> None:
    ws = book.sheet("Synthèse", f"Clause d'insertion – {s.landlord} – synthèse par logement", lines, header_row=HEADER_ROW)
    _headers(book, ws, ["ID logement", "Adresse", "Lots d'insertion", "Heures dues", "Heures réalisées", "Taux de réalisation"],
             [12, 40, 12, 12, 12, 12])
    lo, hi = HEADER_ROW + 2, lots_last + 1  # 1-based rows of the Lots data
    first = HEADER_ROW + 1
    dwellings = s.dwellings()
    lots_of: dict = {}
    for lot in s.lots:
        lots_of.setdefault(lot.dwelling, []).append(lot)
    hours = book.hours
    formats = (book.text, book.text, hours, hours, hours, book.percent)
    dwelling_ids = f"Lots!$B${lo}:$B${hi}"
    for r, dwelling in enumerate(dwellings, start=first):
        n = r + 1
        mine = lots_of.get(dwelling, [])
        owed, done = sum(l.hours_owed for l in mine), sum(l.hours_done for l in mine)
        store_row(ws, r, "ssffff", (
            dwelling, mine[0].address, (f"=COUNTIF({dwelling_ids},A{n})", len(mine)),
            (f"=SUMIF({dwelling_ids},A{n},Lots!$I${lo}:$I${hi})", owed),
            (f"=SUMIF({dwelling_ids},A{n},Lots!$J${lo}:$J${hi})", done), (f"=IF(D{n}=0,0,E{n}/D{n})", _ratio(done, owed)),
        ), formats)
    last = first + len(dwellings) - 1
    total = last + 1
    owed = sum(l.hours_owed for l in s.lots)
    done = sum(l.hours_done for l in s.lots)
    _total_label(book, ws, total, range(1, 2))
    _sum(book, ws, total, 2, first, last, len(s.lots))
    _sum(book, ws, total, 3, first, last, owed)
    _sum(book, ws, total, 4, first, last, done)
    ws.write_formula(total, 5, f"=IF({cell(total, 3)}=0,0,{cell(total, 4)}/{cell(total, 3)})", book.total_percent, _ratio(done, owed))


def _planning_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> None:
    ws = book.sheet("Planning", f"Clause d'insertion – {s.landlord} – heures dues par mois", lines, header_row=HEADER_ROW)
    months = s.calendar()
    planned = [lot for lot in s.clause_lots if lot.id in s.plan]
    headers = ["ID lot", "Corps d'état", "Heures dues"] + [month_label(m) for m in months] + ["Total"]
    _headers(book, ws, headers, [10, 22, 10] + [8] * len(months) + [9])
    first = HEADER_ROW + 1
    tcol = 3 + len(months)
    last_month = xl_col_to_name(tcol - 1)
    kinds = "ssn" + "n" * len(months) + ("f" if months else "n")
    formats = (book.text, book.text) + (book.hours,) * (1 + len(months)) + (book.total_hours,)
    by_month = dict.fromkeys(months, 0)
    for r, lot in enumerate(planned, start=first):
        spread = s.plan[lot.id]
        owed = [spread.get(month) or None for month in months]
        for month, hours in zip(months, owed):
            if hours:
                by_month[month] += hours
        total = (f"=SUM(D{r + 1}:{last_month}{r + 1})", sum(spread.values())) if months else 0
        store_row(ws, r, kinds, (lot.id, lot.trade, lot.hours_owed, *owed, total), formats)
    last = first + len(planned) - 1
    total = last + 1
    _total_label(book, ws, total, range(1, 2))
    _sum(book, ws, total, 2, first, last, sum(l.hours_owed for l in planned))
    for c, month in enumerate(months, start=3):
        _sum(book, ws, total, c, first, last, by_month[month])
    _sum(book, ws, total, tcol, first, last, sum(sum(s.plan[l.id].values()) for l in planned))


def _follow_up_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> None:
    facilitator = s.terms.facilitator.structure or s.terms.facilitator.name or "le facilitateur"
    ws = book.sheet("Suivi mensuel", f"Clause d'insertion – {s.landlord} – suivi mensuel des heures (relevés des entreprises)",
                    lines + [f"Relevé de chaque mois attendu le {STATEMENT_DAY} du mois suivant par {facilitator} ; "
                             "« manquant » : aucun relevé reçu pour ce mois (ce n'est pas 0 heure)."],
                    header_row=HEADER_ROW)
    _headers(book, ws, FOLLOW_UP_HEADERS, [10, 22, 26, 11, 10, 11, 10, 11, 12, 22])
    missing_text = book.wb.add_format({"border": 1, "italic": True, "font_color": "#C00000", "align": "right"})
    missing_state = book.wb.add_format({"border": 1, "bold": True, "font_color": "#C00000", "bg_color": "#FCE4E4"})
    month_fmt = book.wb.add_format({"border": 1, "num_format": MONTH_FORMAT, "align": "left"})
    gap_fmt = book.wb.add_format({"border": 1, "num_format": "+#,##0;-#,##0;0"})
    lots = {lot.id: lot for lot in s.lots}
    first = HEADER_ROW + 1
    previous = None
    text, hours = book.text, book.hours
    # column F: the hours declared, or « manquant » when the month's statement is missing, or nothing
    kinds, formats = "sssdnnfffs", (text, text, text, month_fmt, hours, hours, hours, hours, gap_fmt, text)
    missing_formats = formats[:5] + (missing_text,) + formats[6:9] + (missing_state,)
    for r, line in enumerate(s.months, start=first):
        n = r + 1
        lot = lots[line.lot]
        row_kinds, row_formats, done = kinds, formats, line.done
        if line.state == MISSING:  # no statement, so no hours declared
            row_kinds, row_formats, done = "sssdnsfffs", missing_formats, "manquant"
        if previous == line.lot:  # running totals carry on from the row above
            cum_owed, cum_done = f"=SUM(G{n - 1},E{n})", f"=SUM(H{n - 1},F{n})"
        else:
            cum_owed, cum_done = f"=SUM(E{n})", f"=SUM(F{n})"
        store_row(ws, r, row_kinds, (lot.id, lot.trade, lot.firm, line.month, line.owed, done, (cum_owed, line.cum_owed),
                                 (cum_done, line.cum_done), (f"=H{n}-G{n}", line.gap), line.state), row_formats)
        previous = line.lot
    last = first + len(s.months) - 1
    total = last + 1
    _total_label(book, ws, total, range(1, 10))
    _sum(book, ws, total, 4, first, last, sum(l.owed for l in s.months))
    _sum(book, ws, total, 5, first, last, sum(l.done or 0 for l in s.months))
    ws.write_formula(total, 8, f"={cell(total, 5)}-{cell(total, 4)}", book.total_hours,
                     sum(l.done or 0 for l in s.months) - sum(l.owed for l in s.months))
    missing = sum(1 for l in s.months if l.state == MISSING)
    book.text_cell(ws, total, 9, f"{missing} relevé(s) manquant(s)", book.total_label)
    if s.months:
        ws.autofilter(HEADER_ROW, 0, last, len(FOLLOW_UP_HEADERS) - 1)
        # a rule above each lot's first month, so the lots stand apart on paper
        ws.conditional_format(first + 1, 0, last, len(FOLLOW_UP_HEADERS) - 1, {
            "type": "formula", "criteria": f"=$A{first + 2}<>$A{first + 1}",
            "format": book.wb.add_format({"top": 2}),
        })


def _tally_block(book: Book, ws, row: int, title: str, tallies: list[Tally], distinct: int, source: tuple[str, int, int]) -> int:
    """Label | Heures réalisées | Bénéficiaires, then a total row; returns the row after the block.
    Listed labels are summed from the Bénéficiaires sheet (SUMIF on `source` = column letter, first, last row)."""
    _headers(book, ws, [title, "Heures réalisées", "Bénéficiaires"], [52, 14, 14], row)
    col, lo, hi = source
    first = row + 1
    for i, t in enumerate(tallies):
        r = first + i
        book.text_cell(ws, r, 0, t.label)
        if t.label != NOT_GIVEN and hi >= lo:
            ws.write_formula(r, 1, f"=SUMIF('Bénéficiaires'!${col}${lo}:${col}${hi},{cell(r, 0)},'Bénéficiaires'!$K${lo}:$K${hi})",
                             book.hours, t.hours)
        else:
            book.number(ws, r, 1, t.hours, book.hours)
        book.number(ws, r, 2, t.beneficiaries, book.hours)
    last = first + len(tallies) - 1
    total = last + 1
    _total_label(book, ws, total, range(0, 0))
    _sum(book, ws, total, 1, first, last, sum(t.hours for t in tallies))
    book.number(ws, total, 2, distinct, book.total_hours)  # distinct people: one may appear under two labels
    return total + 2


def _results_sheet(book: Book, s: LandlordSchedule, lines: list[str], beneficiaries_last: int) -> None:
    ws = book.sheet("Réalisation", f"Clause d'insertion – {s.landlord} – réalisation par modalité et par public, charte d'insertion",
                    lines, landscape=False, header_row=HEADER_ROW)
    lo, hi = HEADER_ROW + 2, beneficiaries_last + 1
    row = _tally_block(book, ws, HEADER_ROW, "Mode de réalisation", s.by_mode, s.distinct_beneficiaries, ("F", lo, hi))
    row = _tally_block(book, ws, row, "Public", s.by_public, s.distinct_beneficiaries, ("G", lo, hi))
    _headers(book, ws, [f"Charte nationale d'insertion de l'ANRU (au moins {CHARTER_RATE:.0%} des heures travaillées)".replace("%", " %"),
                        s.landlord, "Programme"], [52, 14, 14], row)
    rates = (s.rate, s.programme_rate)
    r = row + 1
    for label, values in (
        ("Heures de main-d'œuvre de tous les lots (montant × main-d'œuvre ÷ coût horaire)", [x.labour_hours for x in rates]),
        ("Heures d'insertion dues", [x.owed for x in rates]),
        ("Heures d'insertion réalisées", [x.done for x in rates]),
    ):
        book.text_cell(ws, r, 0, label, book.wrap)
        ws.set_row(r, 30)
        for c, v in enumerate(values, start=1):
            book.number(ws, r, c, v, book.hours)
        r += 1
    labour, owed, done = r - 3, r - 2, r - 1
    book.text_cell(ws, r, 0, "Minimum de la charte")
    for c in (1, 2):
        book.number(ws, r, c, CHARTER_RATE, book.percent)
    charter = r
    for label, hours_row, attr in (("Taux d'insertion dû (heures dues ÷ main-d'œuvre)", owed, "owed_rate"),
                                   ("Taux d'insertion réalisé (heures réalisées ÷ main-d'œuvre)", done, "done_rate")):
        r += 1
        book.text_cell(ws, r, 0, label, book.wrap)
        ws.set_row(r, 30)
        for c, x in enumerate(rates, start=1):
            ws.write_formula(r, c, f"=IF({cell(labour, c)}=0,0,{cell(hours_row, c)}/{cell(labour, c)})", book.total_percent,
                             getattr(x, attr))
    r += 1
    book.text_cell(ws, r, 0, "Charte respectée (taux réalisé ≥ minimum)")
    for c, x in enumerate(rates, start=1):
        met = x.done_rate >= CHARTER_RATE
        ws.write_formula(r, c, f'=IF({cell(r - 1, c)}>={cell(charter, c)},"Oui","Non")', book.total_label, "Oui" if met else "Non")


def _beneficiaries_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> int:
    ws = book.sheet("Bénéficiaires", f"Clause d'insertion – {s.landlord} – bénéficiaires (ID famille et prénom)", lines, header_row=HEADER_ROW)
    _headers(book, ws, BENEFICIARY_HEADERS, [10, 14, 10, 18, 14, 32, 40, 11, 11, 10, 10])
    first = HEADER_ROW + 1
    text, date, hours = book.text, book.date, book.hours
    formats = (text,) * 7 + (date, date, hours, hours)
    for r, b in enumerate(s.beneficiaries, start=first):
        store_row(ws, r, "sssssssddnn", (b.family, b.first_name or None, b.lot, b.action, b.partner, b.mode, b.public,
                                         b.start, b.end, b.hours_planned, b.hours_done), formats)
    last = first + len(s.beneficiaries) - 1
    total = last + 1
    _total_label(book, ws, total, range(1, 9))
    _sum(book, ws, total, 9, first, last, sum(b.hours_planned or 0 for b in s.beneficiaries))
    _sum(book, ws, total, 10, first, last, sum(b.hours_done or 0 for b in s.beneficiaries))
    return last


def _text_height(text: str) -> float:
    if "\n" in text:
        lines = sum(max(1, math.ceil(len(part) / CHARS_PER_LINE)) for part in text.split("\n"))
    else:
        lines = max(1, math.ceil(len(text) / CHARS_PER_LINE))
    return min(409, 15 * lines + 4)


def _clauses_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> None:
    ws = book.sheet("Clauses", f"Clause d'insertion – {s.landlord} – texte par lot", lines, landscape=False, header_row=HEADER_ROW)
    _headers(book, ws, ["ID lot", "Texte de la clause (filtrer un lot, copier la colonne B, coller dans le marché)"], [10, 100])
    r = HEADER_ROW + 1
    title, article = (book.section, book.section), (book.text, book.wrap)
    heights: dict[str, float] = {}  # most articles read the same for every lot
    for lot in s.clause_lots:
        for k, paragraph in enumerate(clause_paragraphs(lot, s.landlord, s.terms)):
            height = heights.get(paragraph)
            if height is None:
                height = heights[paragraph] = _text_height(paragraph)
            store_row(ws, r, "ss", (lot.id, paragraph), article if k else title, height=height)
            r += 1
    if s.lots_without_clause:
        store_row(ws, r, "ss", (None, "Lots sans clause d'insertion"), title)
        r += 1
        for lot in s.lots_without_clause:
            reason = no_clause_reason(lot, s.terms.min_hours)
            store_row(ws, r, "ss", (lot.id, reason), article, height=_text_height(reason))
            r += 1
    ws.autofilter(HEADER_ROW, 0, max(r - 1, HEADER_ROW), 1)


def write_schedule(s: LandlordSchedule, path: Path, today: dt.date) -> Path:
    with atomic_target(path) as tmp, collector_paused():
        _write_book(s, tmp, today)  # its cells are freed on return, before the collector is back
    return path


def _write_book(s: LandlordSchedule, target, today: dt.date) -> None:
    lines = [s.terms.programme, f"Bailleur : {s.landlord} — {works_years(s, today)} — {generated_on(today)}"]
    book = new_workbook(target)
    last = _lots_sheet(book, s, lines)
    _summary_sheet(book, s, lines, last)
    _planning_sheet(book, s, lines)
    _follow_up_sheet(book, s, lines)
    beneficiaries_last = len(s.beneficiaries) + HEADER_ROW
    _results_sheet(book, s, lines, beneficiaries_last)
    _beneficiaries_sheet(book, s, lines)
    _clauses_sheet(book, s, lines)
    book.close()
