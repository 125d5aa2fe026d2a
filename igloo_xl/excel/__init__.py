"""The Excel buttons (xlwings RunPython): thin adapters over the library.

Each entry point works on `xlwings.Book.caller()`: it reads the open workbook's values (unsaved
edits included) into the same raw grids the file reader produces, calls the library, writes back,
and ends with a French message box. Nothing raises into Excel: any problem becomes that message.
Each action (run_validate, run_clauses, run_budget, run_financial_report, run_dashboard) takes any
xlwings book and makes the same api call as its command, so it writes the same journal line; the
macro buttons below and the xlwings Lite scripts (lite.py) only choose the book and the folder.

Marks on bad cells: igloo-xl remembers, in a hidden sheet `igloo_marques`, every cell it filled and
the fill that cell had before (read through Excel when the engine can read it). The next run puts
those fills back and touches no other cell, so every format staff set themselves stays as it was.
Engines that cannot read a fill (xlwings' remote/JSON engine) record « ? » and clear the fill.

Every value written into a cell goes through sheet_values.as_cells: text typed by staff that starts
like a formula (« =HYPERLINK(...) ») reaches the sheet as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from pathlib import Path

from igloo_xl.excel import controls as C
from igloo_xl.excel.sheet_values import as_cells

TITLE = "IGLOO"
OUTPUT_DIR = "Sorties"
SKIPPED_SHEETS = {C.CONTROLS_SHEET, C.MARKS_SHEET, "Tableau de bord", "xlwings.conf"}
UNKNOWN = "?"


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def _alert(book, text: str) -> None:
    print(text)  # xlwings Lite shows it in its Output pane
    try:
        book.app.alert(text, title=TITLE)
    except Exception:  # noqa: BLE001 — the message box is the last resort; never raise into Excel
        pass


def problem_text(exc: Exception) -> str:
    """The French message a person sees for anything that stopped an action."""
    from igloo_xl.errors import IglooError, MasterHasErrors

    if isinstance(exc, MasterHasErrors):
        return C.refusal_text(exc.findings)
    if isinstance(exc, IglooError):
        return exc.message
    return f"Problème inattendu ({type(exc).__name__} : {exc}). Rien n'a été écrit dans les fichiers de sortie."


def button(fn):
    """Runs an entry point; any problem becomes a French message box, never a traceback."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        book = None
        try:
            book = _caller()
            return fn(book, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            if book is not None:
                _alert(book, problem_text(exc))
            return None

    return run


# --- reading ------------------------------------------------------------------------------------

def _json_grid(sheet) -> list[list] | None:
    """The values a JSON book (xlwings' remote clients, xlwings Lite) already holds, as `_grid` would
    read them (ISO date text becomes a datetime; errors, "" and numbers stay as they are), without
    xlwings' per-cell conversion. None for any other engine or an unusual grid (then `_grid` asks xlwings)."""
    remote = sys.modules.get("xlwings.pro._xlremote")
    impl = getattr(sheet, "impl", None)
    if remote is None or not isinstance(impl, remote.Sheet):
        return None
    values = impl.api.get("values") if isinstance(impl.api, dict) else None
    if not isinstance(values, list) or not values or not isinstance(values[0], list) or not values[0]:
        return None
    if set(map(type, values)) != {list} or len(set(map(len, values))) != 1:
        return None
    is_date = remote.datetime_regex.match
    seen: dict[str, object] = {}  # each distinct text matched once: a date column repeats its days

    def cell(text: str):
        # as xlwings does: the zone letter is cut off
        value = seen[text] = dt.datetime.fromisoformat(text[:-1]) if is_date(text) else text
        return value

    known = seen.get  # a text with a "T" is never empty, a datetime never false: `or` means not seen yet
    return [[(known(v) or cell(v)) if v.__class__ is str and "T" in v else v for v in row] for row in values]


def _grid(sheet) -> list[list]:
    rows = _json_grid(sheet)
    if rows is not None:
        return rows
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True, empty="").value
    return values or [[]]


def raw_book(book, origin: Path | None = None):
    """The open workbook's values as the reader's RawBook (grids from A1). Its path (where the
    journal goes) is the workbook's file, or `origin` for a book that has none on this disk."""
    from igloo_xl.read.reader import RawBook, RawSheet

    sheets = {}
    for sheet in book.sheets:
        if sheet.name in SKIPPED_SHEETS:
            continue
        rows = _grid(sheet)
        sheets[sheet.name] = RawSheet(sheet.name, rows, len(rows))
    path = Path(book.fullname) if os.path.isabs(book.fullname) else origin
    return RawBook(path, sheets)


def master_of(book, origin: Path | None = None):
    from igloo_xl.model.master import from_raw

    return from_raw(raw_book(book, origin))


def _output_dir(book) -> Path:
    if not os.path.isabs(book.fullname):
        from igloo_xl.errors import WorkbookNotSaved

        raise WorkbookNotSaved("Enregistrez d'abord le classeur sur le disque : les documents sont écrits dans un dossier Sorties à côté de lui.")
    return Path(book.fullname).parent / OUTPUT_DIR


# --- writing the marks -------------------------------------------------------------------------

def _sheet(book, name: str):
    return next((s for s in book.sheets if s.name == name), None)


def _fill_of(rng) -> str:
    try:
        color = rng.color
    except Exception:  # noqa: BLE001 — the remote engine cannot read fills
        return UNKNOWN
    if color is None:
        return ""
    return "#%02X%02X%02X" % tuple(color) if isinstance(color, tuple) else str(color)


def _set_note(rng, text: str | None) -> None:
    """Replace igloo-xl's own note on a cell (a staff note without our prefix is left alone)."""
    try:
        note = rng.note
        if note is not None:
            if not note.text.startswith(C.NOTE_PREFIX.strip()):
                return
            note.delete()
        if text:
            rng.add_note(text)
    except Exception:  # noqa: BLE001 — notes are unsupported on some engines; the message is in Contrôles
        pass


def _previous_marks(book) -> dict[tuple[str, str], str]:
    store = _sheet(book, C.MARKS_SHEET)
    if store is None:
        return {}
    rows = _grid(store)
    return {(r[0], r[1]): ("" if r[2] in (None, "") else str(r[2])) for r in rows[1:] if r and len(r) >= 3 and r[0]}


def _apply_marks(book, marks: list[C.Mark]) -> None:
    previous = _previous_marks(book)
    wanted = {(m.sheet, m.cell): m for m in marks}
    for (sheet_name, cell), fill in previous.items():
        if (sheet_name, cell) in wanted:
            continue
        sheet = _sheet(book, sheet_name)
        if sheet is None:
            continue
        rng = sheet[cell]
        rng.color = None if fill in ("", UNKNOWN) else fill
        _set_note(rng, None)
    store_rows = [["Feuille", "Cellule", "Remplissage d'origine"]]
    for key, m in wanted.items():
        sheet = _sheet(book, m.sheet)
        if sheet is None:
            continue
        rng = sheet[m.cell]
        before = previous[key] if key in previous else _fill_of(rng)
        rng.color = m.fill
        _set_note(rng, m.note)
        store_rows.append([m.sheet, m.cell, before])
    store = _sheet(book, C.MARKS_SHEET)
    if store is None:
        store = book.sheets.add(C.MARKS_SHEET, after=book.sheets[len(book.sheets) - 1])
        store.visible = False
    else:
        store.clear_contents()
    store["A1"].value = as_cells(store_rows)


def _write_controls(book, rows: list[list]) -> None:
    sheet = _sheet(book, C.CONTROLS_SHEET)
    if sheet is None:
        sheet = book.sheets.add(C.CONTROLS_SHEET, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet.clear()
    sheet["A1"].value = as_cells(rows)
    try:
        sheet["A2:H2"].font.bold = True
        sheet["A1"].font.bold = True
    except Exception:  # noqa: BLE001 — cosmetic only
        pass


def _write_summary(book, when: dt.datetime, result: str) -> None:
    home = _sheet(book, "Accueil")
    if home is None:
        return
    labels = home.range("A1:A40").value
    for i, label in enumerate(labels, start=1):
        if isinstance(label, str) and label.startswith("Dernière validation"):
            home.range((i, 2)).value = as_cells([[when.strftime("%d/%m/%Y %H:%M")], [result]])
            return


# --- the actions, on any xlwings book (the macro buttons below, the xlwings Lite scripts in lite.py) ---

def funded_years(master, funder: str) -> tuple[str, list[int]]:
    """The funder's name as in Paramètres and the years it has a Financements row for that the
    budget form counts (budget_form.funded_actions decides, as for the command)."""
    from igloo_xl.domain.budget_form import funded_actions, resolve_funder

    name = resolve_funder(master, funder)
    years = sorted({int(y) for y in master.frame("Financements")["year"] if y is not None})
    return name, [y for y in years if funded_actions(master, name, y)]


def run_validate(book, origin: Path | None = None):
    """Contrôles, marks on bad cells, summary on Accueil, message (api.validate_file: journal line)."""
    from igloo_xl import api

    report = api.validate_file(master_of(book, origin))
    when = dt.datetime.now()
    _write_controls(book, C.controls_rows(report.findings, when))
    _apply_marks(book, C.marks(report.findings))
    _write_summary(book, when, C.result_line(report.findings))
    _alert(book, C.alert_text(report.findings))
    return report


def run_clauses(book, out: Path, origin: Path | None = None, place: str = C.SORTIES):
    from igloo_xl import api

    written = api.generate_clauses(master_of(book, origin), out)
    _alert(book, C.written_text(written, place) if written else "Aucun lot d'insertion : aucun fichier écrit.")
    return written


def _per_year(book, funder: str, year: int | None, out: Path, origin: Path | None, place: str, kind: str, call, stem: str):
    """One api call per year financed by the funder (or for the year asked), each writing one file."""
    from igloo_xl.outputs.xlsx import safe_file_name

    master = master_of(book, origin)
    name, years = funded_years(master, funder)
    if year:
        years = [y for y in years if y == int(year)]
    if not years:
        when = f" en {int(year)}" if year else ""
        _alert(book, f"Aucun financement de « {name} »{when} (hors demandes refusées) : pas de {kind} à produire.")
        return []
    written = [call(master, name, y, out / f"{stem}_{safe_file_name(funder)}_{y}.xlsx") for y in years]
    _alert(book, C.written_text(written, place))
    return written


def run_budget(book, funder: str, out: Path, year: int | None = None, origin: Path | None = None, place: str = C.SORTIES):
    from igloo_xl import api

    return _per_year(book, funder, year, out, origin, place, "tableau", api.export_budget, "Budget")


def run_financial_report(book, funder: str, out: Path, year: int | None = None, origin: Path | None = None,
                         place: str = C.SORTIES):
    from igloo_xl import api

    export = getattr(api, "export_financial_report", None)
    if export is None:  # the library's compte rendu financier is not in this installed version
        _alert(book, "Le compte rendu financier n'est pas disponible dans cette version d'igloo-xl : mettez-la à jour.")
        return []
    return _per_year(book, funder, year, out, origin, place, "compte rendu financier", export, "Compte_rendu_financier")


def run_dashboard(book, origin: Path | None = None):
    """Rewrites the dashboard's figures (its charts follow); the sheet must exist."""
    from igloo_xl import api

    sheet = _sheet(book, "Tableau de bord")
    if sheet is None:
        _alert(book, "La feuille « Tableau de bord » n'existe pas encore : créez-la une fois avec « igloo-xl dashboard CLASSEUR ».")
        return None
    update = api.dashboard_values(master_of(book, origin), clear_to=sheet.used_range.last_cell.row)
    for address, block in update.values.items():
        sheet.range(address).value = as_cells(block)
    for chart, source in zip(sheet.charts, update.charts):  # charts follow the rows now filled
        chart.set_source_data(sheet.range(source.address), plot_by="columns")
        if source.axis_min is not None:
            chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = source.axis_min, source.axis_max
    _alert(book, "Tableau de bord actualisé.")
    return update


# --- the macro buttons (RunPython "import igloo_xl.excel as x; x.validate()" ...) -----------------

@button
def validate(book):
    """« Valider le classeur »."""
    return run_validate(book)


@button
def generate_clauses(book):
    """« Clauses d'insertion (bailleurs) »: one workbook per landlord into Sorties."""
    return run_clauses(book, _output_dir(book))


@button
def export_budget(book, funder: str):
    """« Budget CAMSA » / « Budget FSL »: one table per year the funder finances, into Sorties."""
    return run_budget(book, funder, _output_dir(book))


@button
def export_financial_report(book, funder: str):
    """« Compte rendu financier … »: one report per year the funder finances, into Sorties."""
    return run_financial_report(book, funder, _output_dir(book))


@button
def refresh_dashboard(book):
    """« Actualiser le tableau de bord »."""
    return run_dashboard(book)
