"""Writing a new master workbook (`igloo-xl init`): every sheet of the contract as an Excel
table with French formats, frozen headers and Excel's own data validation fed from Paramètres."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from igloo_xl.package.atomic import atomic_target
from igloo_xl.package.cached_values import fill_cached_values
from igloo_xl.package.lot_hours_formula import cached_value, hours_formula
from igloo_xl.read.grid import letter
from igloo_xl.model.params import BLOCKS, SHEET as PARAMS_SHEET, TABLES
from igloo_xl.schemas import SHEETS
from igloo_xl.schemas.base import DATE, INTEGER, LIST, NUMBER, PERCENT, TEXT, YESNO, Col, Context, rule_info
from igloo_xl.schemas.lists import FIXED
from igloo_xl.read.text import ascii_name

FORMATS = {
    DATE: "dd/mm/yyyy",
    PERCENT: "0.0 %",
    INTEGER: "#,##0",
}
MONEY = '#,##0.00 "€"'
WHOLE = "#,##0"
DECIMAL = "#,##0.0"  # hours and surfaces: one decimal always shown (« 7,5 », « 68,0 »), never a dangling comma
YEAR = "0"  # « 2009 », not « 2 009 »
MONTH = "mm/yyyy"  # a monthly statement: « 10/2009 »
WHOLE_NUMBERS = {("Lots", "hours")}  # ROUND(…, 0) of the contract's formula
PROMPTS = {
    LIST: "Choisissez dans la liste.",
    YESNO: "Oui ou Non.",
    DATE: "Date au format JJ/MM/AAAA.",
    INTEGER: "Nombre entier.",
    NUMBER: "Nombre (ex. 1 234,50).",
    PERCENT: "Pourcentage (ex. 12,5 %).",
}
VALIDATION_ROWS = 2000  # rows below the header that carry the dropdowns and type checks
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
PARAM_COLUMNS = {"settings": 0, "trades": 4, "partners": 8, "funders": 11}
LISTS_COLUMN = 15
PARAM_WIDTHS = {"settings": (32, 40, 50), "trades": (28, 16, 30), "partners": (22, 50), "funders": (30, 26, 40), "publics": (40, 40)}


def publics_column() -> int:
    """0-based column of the eligible publics, one blank column after the fixed lists (as `upgrade` places it)."""
    return LISTS_COLUMN + len(FIXED) + 1
PARAM_HEADER_ROW = 3  # 0-based row of the blocks' headers (Excel row 4)


def list_name(label: str) -> str:
    return "liste_" + "".join(ch if ch.isalnum() else "_" for ch in ascii_name(label)).strip("_")


EDITABLE_LISTS = {"trades": "liste_Corps_d_etat", "partners": "liste_Partenaires", "funders": "liste_Financeurs", "publics": "liste_Publics"}
FIXED_FOR_KIND = {YESNO: "Oui/Non"}


def _number_format(sheet: str, col: Col) -> str | None:
    if col.kind == NUMBER:
        if "€" in col.header:
            return MONEY
        return WHOLE if (sheet, col.key) in WHOLE_NUMBERS else DECIMAL
    if col.kind == INTEGER and col.key == "year":
        return YEAR
    if (sheet, col.key) == ("Heures", "month"):
        return MONTH
    return FORMATS.get(col.kind)


def _bounds(sheet, ctx) -> dict[str, dict]:
    """lo/hi of each column's range check, read from the sheet's own pandera schema."""
    out = {}
    schema = sheet.schema(ctx)
    for key, column in schema.columns.items():
        for check in column.checks:
            info = rule_info(check)
            limits = info["params"]
            if info["code"] == "out-of-range" and (limits.get("lo") is not None or limits.get("hi") is not None):
                out[key] = info["params"]
    return out


def _validation(col: Col, bounds: dict | None, sheet_name: str) -> DataValidation | None:
    title = col.header[:32]
    if col.kind == TEXT and col.choices:  # suggestions: the dropdown offers them, other values are let through
        dv = DataValidation(type="list", formula1=list_name(_fixed_label(col)), allow_blank=True)
        dv.errorStyle = "information"
        dv.error = "Cette valeur n'est pas dans la liste : vérifiez-la."
    elif col.kind == LIST or col.kind == YESNO:
        name = EDITABLE_LISTS.get(col.choices_from) or list_name(FIXED_FOR_KIND.get(col.kind) or _fixed_label(col))
        dv = DataValidation(type="list", formula1=name, allow_blank=True)
        dv.error = f"Choisissez une valeur de la liste (modifiable dans la feuille {PARAMS_SHEET})." if col.choices_from else "Choisissez une valeur de la liste."
    elif col.kind == DATE:
        dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73415", allow_blank=True)
        dv.error = "Saisissez une date au format JJ/MM/AAAA (entre 2000 et 2100)."
    elif col.kind in (INTEGER, NUMBER, PERCENT):
        lo, hi = (bounds or {}).get("lo"), (bounds or {}).get("hi")
        kind = "whole" if col.kind == INTEGER else "decimal"
        if lo is not None and hi is not None:
            dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi), allow_blank=True)
        elif lo is not None:
            op = "greaterThan" if (bounds or {}).get("lo_strict") else "greaterThanOrEqual"
            dv = DataValidation(type=kind, operator=op, formula1=str(lo), allow_blank=True)
        else:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="-1E+300", allow_blank=True)
        what = "un nombre entier" if col.kind == INTEGER else ("un pourcentage" if col.kind == PERCENT else "un nombre")
        dv.error = f"Saisissez {what}" + (f" ({(bounds or {}).get('bounds')})." if bounds else ".")
    else:
        if not col.note:
            return None
        dv = DataValidation(type=None, allow_blank=True)
    dv.errorTitle = "Valeur refusée"
    dv.showErrorMessage = dv.type is not None
    note = col.note if not col.note or col.note.endswith(".") else col.note + "."
    prompt = " ".join(p for p in (PROMPTS.get(col.kind, ""), note) if p)
    if (bounds or {}).get("bounds"):
        prompt += f" Valeur {bounds['bounds']}."
    if col.required:
        prompt += " Obligatoire."
    if prompt.strip():
        dv.promptTitle = title
        dv.prompt = prompt.strip()[:255]
        dv.showInputMessage = True
    return dv


def _fixed_label(col: Col) -> str:
    for label, values in FIXED.items():
        if tuple(values) == tuple(col.choices):
            return label
    raise KeyError(col.header)


def _write_table(ws, name: str, headers: list[str], rows: list[list], first_row: int = 1, first_col: int = 1) -> str:
    for j, h in enumerate(headers):
        cell = ws.cell(first_row, first_col + j, h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, values in enumerate(rows, start=1):
        for j, v in enumerate(values):
            ws.cell(first_row + i, first_col + j, v)
    last = first_row + max(len(rows), 1)
    ref = f"{letter(first_col - 1)}{first_row}:{letter(first_col + len(headers) - 2)}{last}"
    table = Table(displayName=name, ref=ref, tableStyleInfo=STYLE)
    ws.add_table(table)
    return ref


def _accueil(wb: Workbook, params: dict) -> None:
    ws = wb.create_sheet("Accueil")
    ws["A1"] = "IGLOO – classeur maître"
    ws["A1"].font = Font(bold=True, size=18, color="1F4E78")
    ws["A2"] = dict((k, v) for k, v, _ in params["settings"]).get("Programme", "")
    ws["A2"].font = Font(italic=True)
    lines = [
        "Mode d'emploi",
        "1. Saisissez dans les feuilles Familles, Logements, Bailleurs, Lots, Parcours, Heures, Financements, Budget, Calendrier, Accompagnement et Mesures.",
        "   Les listes déroulantes viennent de la feuille Paramètres (corps d'état, partenaires, financeurs, publics éligibles) : complétez-les là.",
        "2. Cliquez sur « Valider le classeur » : chaque problème est listé dans la feuille Contrôles avec un lien vers la cellule.",
        "3. Corrigez les erreurs (en rouge) ; les avertissements (en orange) n'empêchent pas de générer les documents.",
        "4. « Clauses d'insertion (bailleurs) » et « Budget CAMSA / FSL » écrivent leurs fichiers dans le dossier Sorties, à côté du classeur.",
        "Les documents pour les financeurs ne citent les familles que par leur identifiant (F01, F02…).",
    ]
    for i, text in enumerate(lines, start=4):
        ws.cell(i, 1, text).font = Font(bold=(i == 4))
    ws["A13"] = "Dernière validation :"
    ws["A14"] = "Résultat :"
    for c in ("A13", "A14"):
        ws[c].font = Font(bold=True)
    ws["B13"].number_format = "dd/mm/yyyy hh:mm"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 60
    _print_setup(ws)
    wb.defined_names["derniere_validation"] = DefinedName("derniere_validation", attr_text="Accueil!$B$13")
    wb.defined_names["resultat_validation"] = DefinedName("resultat_validation", attr_text="Accueil!$B$14")


def _parametres(wb: Workbook, params: dict) -> None:
    ws = wb.create_sheet(PARAMS_SHEET)
    ws["A1"] = "Paramètres du programme"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = "Les listes et valeurs par défaut ci-dessous alimentent les listes déroulantes et les calculs."
    ws["A3"] = "Ajoutez des lignes dans les tableaux."
    r0 = PARAM_HEADER_ROW + 1
    for key, col0 in {**PARAM_COLUMNS, "publics": publics_column()}.items():
        headers = list(BLOCKS[key])
        rows = [list(row) + [""] * (len(headers) - len(row)) for row in params[key]]
        rows = [r[: len(headers)] for r in rows]
        _write_table(ws, TABLES[key], headers, rows, r0, col0 + 1)
        for i, row in enumerate(rows, start=r0 + 1):
            for j in range(len(headers)):  # long comments wrap inside their column, which prints on the block's page
                ws.cell(i, col0 + 1 + j).alignment = Alignment(wrap_text=True, vertical="top")
            value = ws.cell(i, col0 + 2)
            if key == "trades" or (key == "settings" and "%" in str(row[0])):
                value.number_format = "0.0 %"
            elif key == "settings" and "€" in str(row[0]):
                value.number_format = MONEY
            if isinstance(value.value, (int, float)):
                value.alignment = Alignment(horizontal="right", indent=1, vertical="top")
        for j, w in enumerate(PARAM_WIDTHS[key]):
            ws.column_dimensions[letter(col0 + j)].width = w
        first = letter(col0)
        if key in EDITABLE_LISTS:
            formula = f"OFFSET('{PARAMS_SHEET}'!${first}${r0 + 1},0,0,MAX(1,COUNTA('{PARAMS_SHEET}'!${first}${r0 + 1}:${first}${r0 + 500})),1)"
            wb.defined_names[EDITABLE_LISTS[key]] = DefinedName(EDITABLE_LISTS[key], attr_text=formula)
    labels = list(FIXED)
    longest = max(len(v) for v in FIXED.values())
    rows = [[FIXED[label][i] if i < len(FIXED[label]) else None for label in labels] for i in range(longest)]
    _write_table(ws, "t_Listes", labels, rows, r0, LISTS_COLUMN + 1)
    ws.cell(r0 - 1, LISTS_COLUMN + 1, "Listes fixes du contrat (ne pas modifier)").font = Font(italic=True)
    for j, label in enumerate(labels):
        col = letter(LISTS_COLUMN + j)
        ws.column_dimensions[col].width = min(40, max(14, len(label) + 2, *(len(str(v)) + 2 for v in FIXED[label])))
        end = r0 + len(FIXED[label])
        wb.defined_names[list_name(label)] = DefinedName(list_name(label), attr_text=f"'{PARAMS_SHEET}'!${col}${r0 + 1}:${col}${end}")
    ws.freeze_panes = ws.cell(r0 + 1, 1)
    blocks = [(c, c + len(PARAM_WIDTHS[k]) - 1) for k, c in PARAM_COLUMNS.items()]
    blocks.append((LISTS_COLUMN, LISTS_COLUMN + len(labels) - 1))
    blocks.append((publics_column(), publics_column() + len(PARAM_WIDTHS["publics"]) - 1))
    _print_blocks(ws, blocks)


PAGE_CHARACTERS = 140  # column-width characters a landscape A4 page holds at PRINT_SCALE (LibreOffice's wider fonts)
PRINT_SCALE = 70


def _print_blocks(ws, blocks: list[tuple[int, int]]) -> None:
    """Print side-by-side tables one block per page, at full size: a page break after each block
    (and inside a block wider than a page). Excel ignores page breaks when fitting to a page width."""
    _print_setup(ws)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = PRINT_SCALE
    ws.print_title_rows = f"{PARAM_HEADER_ROW + 1}:{PARAM_HEADER_ROW + 1}"
    ws.row_dimensions[PARAM_HEADER_ROW + 1].height = 3 * LINE_HEIGHT  # « Taux de main-d'œuvre par défaut (%) » wraps
    # a break's id is the 1-based column it follows, i.e. the 0-based index of the column it precedes
    starts = sorted(first for first, _ in blocks)
    for first, last in blocks:
        used = 0
        for col in range(first, last + 1):
            width = ws.column_dimensions[letter(col)].width or 13
            if used and used + width > PAGE_CHARACTERS:
                ws.col_breaks.append(Break(id=col))
                used = 0
            used += width
        following = [s for s in starts if s > last]
        if following:  # the blank column between two blocks stays on the first one's page
            ws.col_breaks.append(Break(id=following[0]))
    _fit_row_heights(ws, PARAM_HEADER_ROW + 2)


LINE_HEIGHT = 15  # points, one line of Calibri 11


def _fit_row_heights(ws, first_row: int) -> None:
    """Rows tall enough for their wrapped text (neither Excel nor LibreOffice sizes them on opening
    a file that does not say)."""
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or 13
                lines = max(lines, -(-int(len(cell.value) * 1.15) // max(int(width) - 1, 1)))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _cell_value(col: Col, value):
    if value is None:
        return None
    if col.key == "account":
        return str(value)
    return value


def _lot_hours(ws, spec, rows: list[dict], ctx: Context) -> dict[str, object]:
    """Hours that match the contract's computation become its live formula; hours typed otherwise stay
    typed. Returns the formulas' values by cell, to be stored with them."""
    letters = {c.key: letter(j) for j, c in enumerate(spec.columns)}
    p = ctx.params
    settings, trades = PARAM_COLUMNS["settings"], PARAM_COLUMNS["trades"]
    cached = {}
    for r, lot in enumerate(rows, start=2):
        value = cached_value(lot, p.trades, p.hourly_cost, p.insertion_rate)
        if lot.get("hours") is None or lot.get("hours") == value:
            ref = f"{letters['hours']}{r}"
            ws[ref] = hours_formula(r, letters, (settings, settings + 1), (trades, trades + 1))
            cached[ref] = value
    return cached


RIGHT_WITH_MARGIN = Alignment(horizontal="right", indent=1)  # a number never touches the text of the next column
MAX_TEXT_WIDTH = 40


def _width(col: Col, values: list) -> float:
    """The contract's width, widened so that the longest text written fits (up to MAX_TEXT_WIDTH) and
    no word of the header is cut (« Participant/s »)."""
    longest = max((len(v) for v in values if isinstance(v, str)), default=0)
    word = max(len(w) for w in col.header.split())
    return max(col.width, min(MAX_TEXT_WIDTH, longest + 2), word + 2)


def _data_sheet(wb: Workbook, spec, rows: list[dict], ctx: Context) -> dict[str, object]:
    ws = wb.create_sheet(spec.name)
    headers = [c.header for c in spec.columns]
    values = [[_cell_value(c, row.get(c.key)) for c in spec.columns] for row in rows]
    _write_table(ws, spec.table, headers, values)
    cached = _lot_hours(ws, spec, rows, ctx) if spec.name == "Lots" else {}
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 45  # three lines: « Taux d'insertion (%) » wraps so
    bounds = _bounds(spec, ctx)
    last = max(len(rows) + 1, VALIDATION_ROWS)
    for j, col in enumerate(spec.columns):
        L = letter(j)
        ws.column_dimensions[L].width = _width(col, [line[j] for line in values])
        fmt = _number_format(spec.name, col)
        if fmt:
            for r in range(2, len(rows) + 2):
                ws[f"{L}{r}"].number_format = fmt
                ws[f"{L}{r}"].alignment = RIGHT_WITH_MARGIN
        dv = _validation(col, bounds.get(col.key), spec.name)
        if dv is not None:
            dv.add(f"{L}2:{L}{last}")
            ws.add_data_validation(dv)
    ws.print_title_rows = "1:1"
    _print_setup(ws)
    return cached


def _print_setup(ws) -> None:
    """A4 landscape, as wide as the page, as long as needed."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build_master_workbook(rows: dict[str, list[dict]], params: dict) -> Workbook:
    return _build(rows, params)[0]


def _build(rows: dict[str, list[dict]], params: dict) -> tuple[Workbook, dict[str, dict[str, object]]]:
    """The workbook, and the values of its formula cells by sheet and cell (openpyxl cannot store them)."""
    from igloo_xl.model.params import SETTING_HOURLY, SETTING_INSERTION, Params

    settings = {row[0]: row[1] for row in params["settings"]}
    p = Params(
        trades={t[0]: t[1] for t in params["trades"]},
        partners=[p_[0] for p_ in params["partners"]],
        funders={f[0]: f[1] for f in params["funders"]},
        publics=[p_[0] for p_ in params.get("publics", [])],
        insertion_rate=settings.get(SETTING_INSERTION),
        hourly_cost=settings.get(SETTING_HOURLY),
    )
    ctx = Context(today=dt.date.today(), params=p)
    wb = Workbook()
    wb.remove(wb.active)
    _accueil(wb, params)
    cached = {}
    for name, spec in SHEETS.items():
        values = _data_sheet(wb, spec, rows.get(name, []), ctx)
        if values:
            cached[name] = values
    _parametres(wb, params)
    wb.active = 0
    return wb, cached


def write_master(path: str | Path, rows: dict[str, list[dict]], params: dict, overwrite: bool = False) -> Path:
    """Write a new master; refuses to overwrite an existing file unless told to."""
    path = Path(path)
    wb, cached = _build(rows, params)
    with atomic_target(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
        for sheet, values in cached.items():
            fill_cached_values(Path(tmp), sheet, values)
    return path
