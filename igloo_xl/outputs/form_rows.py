"""The rows of the Cerfa budget form on a sheet, shared by the budget (12156*06) and the financial
report (15059): identity block, the charges and produits rows with their formulas, the funder's share,
the funding detail, the charges detail and the signed attestation."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from igloo_xl.domain.budget_form import FINAL, GROUP, RESULT, SUBTOTAL, ActionBudget, Identity, Row
from igloo_xl.outputs.xlsx import MONEY, PERCENT, Book

# A zero line prints blank on paper, as on the form, while the cell keeps its 0.
MONEY_LINE = '#,##0.00 "€";-#,##0.00 "€";""'
CODE_WIDTH, LABEL_WIDTH, MONEY_WIDTH, NOTE_WIDTH = 8, 56, 14, 24
LABEL_CHARS = 70  # longer labels wrap on two lines


@dataclass
class FormFormats:
    code: object
    label: object
    group_label: object
    line: object
    group: object
    total_label: object
    total: object
    percent: object
    total_percent: object
    box: object
    note: object
    heading: object
    small: object
    section: object


def formats(book: Book) -> FormFormats:
    add = book.wb.add_format
    return FormFormats(
        code=add({"border": 1, "bold": True, "valign": "top"}),
        label=add({"border": 1, "indent": 1, "text_wrap": True, "valign": "top"}),
        group_label=add({"border": 1, "bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F7F7F7"}),
        line=add({"border": 1, "num_format": MONEY_LINE, "valign": "top"}),
        group=add({"border": 1, "bold": True, "num_format": MONEY, "valign": "top", "bg_color": "#F7F7F7"}),
        total_label=add({"border": 1, "bold": True, "bg_color": "#DDEBF7", "valign": "top"}),
        total=add({"border": 1, "bold": True, "bg_color": "#DDEBF7", "num_format": MONEY, "valign": "top"}),
        percent=add({"border": 1, "num_format": PERCENT, "valign": "top"}),
        total_percent=add({"border": 1, "bold": True, "bg_color": "#DDEBF7", "num_format": PERCENT, "valign": "top"}),
        box=add({"border": 1, "text_wrap": True, "valign": "top"}),
        note=add({"text_wrap": True, "valign": "top"}),
        heading=add({"bold": True, "font_color": "#1F4E78", "font_size": 11}),
        small=add({"italic": True, "font_color": "#404040", "text_wrap": True, "valign": "top"}),
        section=add({"bold": True, "border": 1, "font_color": "#1F4E78", "bg_color": "#FFF2CC"}),
    )


def identity_block(book: Book, ws, r: int, who: Identity, f: FormFormats) -> int:
    """The association's identity as the form asks it; returns the next free row."""
    ws.write_string(r, 0, "Association", f.heading)
    r += 1
    for label, value in (("Nom", who.name), ("N° SIRET", who.siret), ("N° RNA ou registre", who.register),
                         ("Adresse", who.address),
                         ("Représentant légal", ", ".join(v for v in (who.representative, who.representative_role) if v))):
        ws.write_string(r, 1, f"{label} : {value or '(à compléter dans Paramètres)'}")
        r += 1
    return r


@dataclass
class Columns:
    """Where the figures go: one column per measure (Prévu, Réalisé, Écart, %), then an optional note column."""
    measures: list[str]  # "planned", "actual", "gap", "ratio"
    headers: list[str]
    note: str | None = None

    def index(self, measure: str) -> int:
        return 2 + self.measures.index(measure)

    @property
    def last(self) -> int:
        return 1 + len(self.measures) + (1 if self.note else 0)


def _value_of(b: ActionBudget, measure: str, key: str):
    if measure == "planned":
        return b.planned[key]
    if measure == "actual":
        return b.actual[key]
    if measure == "gap":
        return b.actual[key] - b.planned[key]
    return b.actual[key] / b.planned[key] if b.planned[key] else ""


def form_table(book: Book, ws, r: int, b: ActionBudget, cols: Columns, f: FormFormats) -> tuple[int, dict[str, int], int]:
    """The charges then the produits rows. Returns (next free row, row index of each form key, header row)."""
    at: dict[str, int] = {}
    header_row = r
    for c, h in enumerate(["Compte", "Intitulé", *cols.headers, *([cols.note] if cols.note else [])]):
        ws.write_string(r, c, h, book.header)
    ws.set_row(r, 30)
    r += 1
    for side, rows in (("Charges", b.rows_charges), ("Produits", b.rows_products)):
        ws.merge_range(r, 0, r, cols.last, side, f.section)
        r += 1
        for row in rows:
            at[row.key] = r
            if len(row.label) > LABEL_CHARS:
                ws.set_row(r, 30)
            r += 1
    for row in b.rows:
        _write_row(book, ws, at, row, b, cols, f)
    return r, at, header_row


def _write_row(book: Book, ws, at: dict[str, int], row: Row, b: ActionBudget, cols: Columns, f: FormFormats) -> None:
    r = at[row.key]
    total = row.kind in (SUBTOTAL, RESULT, FINAL)
    strong = total or row.kind == GROUP
    ws.write_string(r, 0, row.code, f.total_label if total else f.code)
    ws.write_string(r, 1, row.label, f.total_label if total else f.group_label if strong else f.label)
    for measure in cols.measures:
        c = cols.index(measure)
        value = _value_of(b, measure, row.key)
        fmt = f.total if total else f.group if strong else f.line
        if measure in ("gap", "ratio"):
            planned, actual = cell(r, cols.index("planned")), cell(r, cols.index("actual"))
            if measure == "gap":
                ws.write_formula(r, c, f"={actual}-{planned}", fmt, value)
            else:
                ws.write_formula(r, c, f'=IF({planned}=0,"",{actual}/{planned})',
                                 f.total_percent if total else f.percent, value)
            continue
        formula = _formula(row, at, c, b, measure)
        if formula is None:
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_formula(r, c, formula, fmt, value)
    if cols.note:
        names = b.funders_by_row.get(row.key, [])
        book.text_cell(ws, r, cols.last, ", ".join(names) if names else None, f.box)


def _formula(row: Row, at: dict[str, int], c: int, b: ActionBudget, measure: str) -> str | None:
    def ref(key: str) -> str:
        return cell(at[key], c)

    if row.kind == GROUP:
        children = [x.key for x in b.rows if x.parent == row.key]
        direct = (b.direct_planned if measure == "planned" else b.direct_actual).get(row.key, 0.0)
        extra = f"+{direct:.15g}" if direct else ""
        return f"=SUM({ref(children[0])}:{ref(children[-1])}){extra}"
    if row.key == "TC":
        return "=" + "+".join(ref(k) for k in ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "CI"))
    if row.key == "TP":
        return "=" + "+".join(ref(k) for k in ("70", "73", "74", "75", "76", "77", "78", "79", "RP"))
    if row.key == "EXC":
        return f"=MAX(0,{ref('TP')}-{ref('TC')})"
    if row.key == "INS":
        return f"=MAX(0,{ref('TC')}-{ref('TP')})"
    if row.key == "TFC":
        return f"={ref('TC')}+{ref('EXC')}+{ref('86')}"
    if row.key == "TFP":
        return f"={ref('TP')}+{ref('INS')}+{ref('87')}"
    return None


def funder_share(book: Book, ws, r: int, b: ActionBudget, at: dict[str, int], f: FormFormats, *, measure: str = "planned") -> int:
    """The funder's amount and its part of the action's total produits (a formula)."""
    amount = b.funder_planned if measure == "planned" else b.funder_actual
    total = b.planned["TP"] if measure == "planned" else b.actual["TP"]
    word = "demandé à" if measure == "planned" else "accordé par"
    ws.write_string(r, 1, f"Montant {word} {b.funder} pour l'action", f.total_label)
    ws.write_number(r, 2, amount, f.total)
    amount_cell, total_cell = cell(r, 2), cell(at["TP"], 2 if measure == "planned" else 3)
    ws.write_string(r + 1, 1, "Part dans le total des produits de l'action", f.total_label)
    ws.write_formula(r + 1, 2, f'=IF({total_cell}=0,"",{amount_cell}/{total_cell})', f.total_percent,
                     amount / total if total else "")
    return r + 2


def funding_detail(book: Book, ws, r: int, b: ActionBudget, f: FormFormats) -> int:
    """Every Financements row of the action: decision and cash apart (a grant not yet paid is no loss)."""
    ws.write_string(r, 0, "Détail des financements de l'action", f.heading)
    r += 1
    ws.merge_range(r, 0, r, 4, "Le prévu retient l'accordé une fois décidé (le demandé tant que la demande est en cours, "
                   "0 si elle est refusée) ; le réalisé retient l'accordé de l'année. Les versements reçus sont "
                   "indiqués à part.", f.small)
    ws.set_row(r, 30)
    r += 1
    for c, h in enumerate(["Statut", "Financeur — dispositif", "Demandé (€)", "Accordé (€)", "Versé (€)"]):
        ws.write_string(r, c, h, book.header)
    for x in b.funding:
        r += 1
        book.text_cell(ws, r, 0, x.status, f.box)
        book.text_cell(ws, r, 1, " — ".join(str(v) for v in (x.funder, x.scheme) if v), f.box)
        for c, value in ((2, x.requested), (3, x.granted), (4, x.paid)):
            book.number(ws, r, c, value, book.money)
    return r + 2


def charges_detail(book: Book, ws, r: int, b: ActionBudget, f: FormFormats, last_col: int = 4) -> int:
    """The Budget rows behind the charges, with the form line each one fills."""
    labels = {row.key: (row.code + " " if row.code else "") + row.label for row in b.rows}
    parents = {row.key: row.parent for row in b.rows}
    ws.write_string(r, 0, "Détail des charges (feuille Budget)", f.heading)
    r += 1
    for c, h in enumerate(["Compte", "Libellé", "Prévu (€)", "Réalisé (€)"]):
        ws.write_string(r, c, h, book.header)
    _wide(ws, r, 4, last_col, "Ligne du formulaire", book.header)
    for x in b.charges:
        r += 1
        book.text_cell(ws, r, 0, x.account, f.box)
        book.text_cell(ws, r, 1, x.label, f.box)
        book.number(ws, r, 2, x.planned, book.money)
        book.number(ws, r, 3, x.actual, book.money)
        parent = parents.get(x.row)
        where = f"{parent} — {labels[x.row]}" if parent else labels.get(x.row, x.row)
        _wide(ws, r, 4, last_col, where, f.box)
        if len(where) > 26 or len(str(x.label or "")) > LABEL_CHARS:
            ws.set_row(r, 30)
    return r + 2


def _wide(ws, r: int, first: int, last: int, text: str, fmt) -> None:
    if last > first:
        ws.merge_range(r, first, r, last, text, fmt)
    else:
        ws.write_string(r, first, text, fmt)


def attestation(book: Book, ws, r: int, text: str, f: FormFormats, last_col: int) -> int:
    """The representative's statement, place and date, and a box for the signature."""
    ws.write_string(r, 0, "Attestation", f.heading)
    r += 1
    ws.merge_range(r, 0, r, last_col, text, f.note)
    ws.set_row(r, 15 * max(2, len(text) // 85 + 1))
    r += 2
    ws.write_string(r, 0, "Fait à", book.subtitle)
    ws.write_string(r, 1, "…………………………………………, le …… / …… / …………", f.note)
    r += 2
    ws.write_string(r, 0, "Signature", book.subtitle)
    ws.merge_range(r, 1, r + 3, 2, "", f.box)
    return r + 5
