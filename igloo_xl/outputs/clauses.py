"""One workbook per landlord: insertion lots, summary per dwelling, monthly planning,
beneficiaries and the clause text of each lot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.package.atomic import atomic_target
from igloo_xl.domain.clause_text import clause
from igloo_xl.domain.insertion import LandlordSchedule, monthly_hours
from igloo_xl.model.master import Master
from igloo_xl.outputs.xlsx import Book, generated_on, new_workbook, safe_file_name

HEADER_ROW = 4  # 0-based: rows 1-3 hold the title block
LOT_HEADERS = [
    "ID lot", "ID logement", "Corps d'état", "Entreprise", "Montant HT (€)", "Taux de main-d'œuvre (%)",
    "Taux d'insertion (%)", "Coût horaire (€)", "Heures d'insertion", "Heures réalisées", "Taux de réalisation",
    "Début", "Fin",
]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def file_name(landlord: str) -> str:
    return f"Clauses_insertion_{safe_file_name(landlord)}.xlsx"


def works_years(s: LandlordSchedule, today: dt.date) -> str:
    """« travaux 2009-2010 »: the years the insertion lots run (the generation year when no lot is dated)."""
    years = sorted({d.year for lot in s.lots for d in (lot.start, lot.end) if d is not None}) or [today.year]
    span = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return f"travaux {span}"


def _headers(book: Book, ws, headers: list[str], widths: list[float]) -> None:
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.write_string(HEADER_ROW, c, h, book.header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER_ROW, 45)


def _ratio(done: float, owed: float) -> float:
    return done / owed if owed else 0.0


def _lots_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> int:
    ws = book.sheet("Lots", f"Clause d'insertion – {s.landlord} – lots d'insertion", lines, header_row=HEADER_ROW)
    _headers(book, ws, LOT_HEADERS, [10, 11, 24, 26, 14, 13, 11, 11, 11, 11, 11, 11, 11])
    first = HEADER_ROW + 1
    for i, lot in enumerate(s.lots):
        r = first + i
        book.text_cell(ws, r, 0, lot.id)
        book.text_cell(ws, r, 1, lot.dwelling)
        book.text_cell(ws, r, 2, lot.trade)
        book.text_cell(ws, r, 3, lot.firm)
        book.number(ws, r, 4, lot.amount, book.money)
        book.number(ws, r, 5, lot.labour_rate, book.percent)
        book.number(ws, r, 6, lot.insertion_rate, book.percent)
        book.number(ws, r, 7, lot.hourly_cost, book.money)
        ws.write_formula(r, 8, f"=ROUND({cell(r, 4)}*{cell(r, 5)}/{cell(r, 7)}*{cell(r, 6)},0)", book.hours, lot.hours_owed)
        book.number(ws, r, 9, lot.hours_done, book.hours)
        ws.write_formula(r, 10, f"=IF({cell(r, 8)}=0,0,{cell(r, 9)}/{cell(r, 8)})", book.percent, _ratio(lot.hours_done, lot.hours_owed))
        book.day(ws, r, 11, lot.start)
        book.day(ws, r, 12, lot.end)
    last = first + len(s.lots) - 1
    total = last + 1
    owed = sum(lot.hours_owed for lot in s.lots)
    done = sum(lot.hours_done for lot in s.lots)
    ws.write_string(total, 0, "Total", book.total_label)
    for c in (1, 2, 3, 5, 6, 7, 11, 12):
        ws.write_blank(total, c, None, book.total_label)
    ws.write_formula(total, 4, f"=SUM({cell(first, 4)}:{cell(last, 4)})", book.total_money, sum(lot.amount for lot in s.lots))
    ws.write_formula(total, 8, f"=SUM({cell(first, 8)}:{cell(last, 8)})", book.total_hours, owed)
    ws.write_formula(total, 9, f"=SUM({cell(first, 9)}:{cell(last, 9)})", book.total_hours, done)
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
    for i, dwelling in enumerate(dwellings):
        r = first + i
        mine = [lot for lot in s.lots if lot.dwelling == dwelling]
        owed, done = sum(l.hours_owed for l in mine), sum(l.hours_done for l in mine)
        key = cell(r, 0)
        book.text_cell(ws, r, 0, dwelling)
        book.text_cell(ws, r, 1, mine[0].address)
        ws.write_formula(r, 2, f"=COUNTIF(Lots!$B${lo}:$B${hi},{key})", book.hours, len(mine))
        ws.write_formula(r, 3, f"=SUMIF(Lots!$B${lo}:$B${hi},{key},Lots!$I${lo}:$I${hi})", book.hours, owed)
        ws.write_formula(r, 4, f"=SUMIF(Lots!$B${lo}:$B${hi},{key},Lots!$J${lo}:$J${hi})", book.hours, done)
        ws.write_formula(r, 5, f"=IF({cell(r, 3)}=0,0,{cell(r, 4)}/{cell(r, 3)})", book.percent, _ratio(done, owed))
    last = first + len(dwellings) - 1
    total = last + 1
    owed = sum(l.hours_owed for l in s.lots)
    done = sum(l.hours_done for l in s.lots)
    ws.write_string(total, 0, "Total", book.total_label)
    ws.write_blank(total, 1, None, book.total_label)
    ws.write_formula(total, 2, f"=SUM({cell(first, 2)}:{cell(last, 2)})", book.total_hours, len(s.lots))
    ws.write_formula(total, 3, f"=SUM({cell(first, 3)}:{cell(last, 3)})", book.total_hours, owed)
    ws.write_formula(total, 4, f"=SUM({cell(first, 4)}:{cell(last, 4)})", book.total_hours, done)
    ws.write_formula(total, 5, f"=IF({cell(total, 3)}=0,0,{cell(total, 4)}/{cell(total, 3)})", book.total_percent, _ratio(done, owed))


def _planning_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> None:
    ws = book.sheet("Planning", f"Clause d'insertion – {s.landlord} – heures dues par mois", lines, header_row=HEADER_ROW)
    per_lot = {lot.id: monthly_hours(lot.hours_owed, lot.start, lot.end) for lot in s.lots}
    months = sorted({m for spread in per_lot.values() for m in spread})
    headers = ["ID lot", "Corps d'état", "Heures dues"] + [f"{MONTHS[m - 1]} {y}" for y, m in months] + ["Total"]
    _headers(book, ws, headers, [10, 22, 10] + [8] * len(months) + [9])
    first = HEADER_ROW + 1
    tcol = 3 + len(months)
    for i, lot in enumerate(s.lots):
        r = first + i
        book.text_cell(ws, r, 0, lot.id)
        book.text_cell(ws, r, 1, lot.trade)
        book.number(ws, r, 2, lot.hours_owed, book.hours)
        for j, month in enumerate(months):
            value = per_lot[lot.id].get(month)
            book.number(ws, r, 3 + j, value or None, book.hours)
        if months:
            ws.write_formula(r, tcol, f"=SUM({cell(r, 3)}:{cell(r, tcol - 1)})", book.total_hours, sum(per_lot[lot.id].values()))
        else:
            book.number(ws, r, tcol, 0, book.total_hours)
    last = first + len(s.lots) - 1
    total = last + 1
    ws.write_string(total, 0, "Total", book.total_label)
    ws.write_blank(total, 1, None, book.total_label)
    ws.write_formula(total, 2, f"=SUM({cell(first, 2)}:{cell(last, 2)})", book.total_hours, sum(l.hours_owed for l in s.lots))
    for j, month in enumerate(months + [None]):
        c = 3 + j
        value = sum(spread.get(month, 0) for spread in per_lot.values()) if month else sum(sum(v.values()) for v in per_lot.values())
        ws.write_formula(total, c, f"=SUM({cell(first, c)}:{cell(last, c)})", book.total_hours, value)


def _beneficiaries_sheet(book: Book, s: LandlordSchedule, lines: list[str]) -> None:
    ws = book.sheet("Bénéficiaires", f"Clause d'insertion – {s.landlord} – bénéficiaires", lines, header_row=HEADER_ROW)
    _headers(book, ws, ["ID famille", "Bénéficiaire", "ID lot", "Action", "Partenaire", "Début", "Fin", "Heures prévues", "Heures réalisées"],
             [10, 22, 10, 18, 16, 11, 11, 11, 11])
    first = HEADER_ROW + 1
    for i, b in enumerate(s.beneficiaries):
        r = first + i
        for c, value in enumerate((b.family, b.beneficiary, b.lot, b.action, b.partner)):
            book.text_cell(ws, r, c, value)
        book.day(ws, r, 5, b.start)
        book.day(ws, r, 6, b.end)
        book.number(ws, r, 7, b.hours_planned, book.hours)
        book.number(ws, r, 8, b.hours_done, book.hours)
    total = first + len(s.beneficiaries)
    ws.write_string(total, 0, "Total", book.total_label)
    for c in range(1, 7):
        ws.write_blank(total, c, None, book.total_label)
    if s.beneficiaries:
        last = total - 1
        ws.write_formula(total, 7, f"=SUM({cell(first, 7)}:{cell(last, 7)})", book.total_hours, sum(b.hours_planned or 0 for b in s.beneficiaries))
        ws.write_formula(total, 8, f"=SUM({cell(first, 8)}:{cell(last, 8)})", book.total_hours, sum(b.hours_done or 0 for b in s.beneficiaries))
    else:
        book.number(ws, total, 7, 0, book.total_hours)
        book.number(ws, total, 8, 0, book.total_hours)


def _clauses_sheet(book: Book, s: LandlordSchedule, lines: list[str], coordinator: str) -> None:
    ws = book.sheet("Clauses", f"Clause d'insertion – {s.landlord} – texte par lot", lines, landscape=False, header_row=HEADER_ROW)
    _headers(book, ws, ["ID lot", "Texte de la clause (à coller dans le cahier des charges)"], [10, 100])
    for i, lot in enumerate(s.lots):
        r = HEADER_ROW + 1 + i
        text = clause(lot, s.landlord, coordinator)
        book.text_cell(ws, r, 0, lot.id)
        book.text_cell(ws, r, 1, text, book.wrap)
        ws.set_row(r, 15 * (text.count("\n") + 1 + len(text) // 110))


def write_schedule(s: LandlordSchedule, master: Master, path: Path, today: dt.date) -> Path:
    lines = [master.params.programme, f"Bailleur : {s.landlord} — {works_years(s, today)} — {generated_on(today)}"]
    with atomic_target(path) as tmp:
        book = new_workbook(tmp)
        last = _lots_sheet(book, s, lines)
        _summary_sheet(book, s, lines, last)
        _planning_sheet(book, s, lines)
        _beneficiaries_sheet(book, s, lines)
        _clauses_sheet(book, s, lines, master.params.coordinator)
        book.close()
    return path
