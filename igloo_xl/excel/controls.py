"""What the « Valider le classeur » button writes into the open workbook, as plain data.

The Excel layer (excel/__init__.py) only copies these rows, marks and sentences into Excel, each
value through sheet_values.as_cell (text typed as a formula stays text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from igloo_xl.excel.sheet_values import Formula
from igloo_xl.validation.findings import ERROR, Finding, display
from igloo_xl.validation.report_text import counts_sentence

CONTROLS_SHEET = "Contrôles"
MARKS_SHEET = "igloo_marques"  # hidden: the cells igloo-xl marked and the fill each had before
NOTE_PREFIX = "igloo-xl : "
ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
HEADERS = ["Gravité", "Feuille", "Cellule", "Colonne", "Valeur saisie", "Code", "Message", "Aller à la cellule"]
SEVERITY_LABEL = {"error": "Erreur", "warning": "Avertissement"}


@dataclass(frozen=True)
class Mark:
    sheet: str
    cell: str
    fill: str
    note: str


def as_text(value) -> str:
    """A value as the person typed it (the writer keeps text that looks like a formula as text)."""
    return value if isinstance(value, str) else display(value)


def link(f: Finding) -> Formula:
    """A HYPERLINK formula that jumps to the finding's cell (or the sheet's first cell). The sheet's
    name is quoted as Excel quotes it ('' in a reference, "" in a string), so no name can end the
    string early and add its own formula."""
    sheet = f.sheet.replace("'", "''")
    target = f"#'{sheet}'!{f.cell or 'A1'}".replace('"', '""')
    label = (f"{f.sheet}!{f.cell}" if f.cell else f.sheet).replace('"', '""')
    return Formula(f'=HYPERLINK("{target}","{label}")')


def controls_rows(findings: list[Finding], when: dt.datetime) -> list[list]:
    """Title line, header and one row per finding, ready for one write into Contrôles (A1)."""
    title = f"Contrôle du {when.strftime('%d/%m/%Y à %H:%M')} : {counts_sentence(findings)}"
    rows: list[list] = [[title] + [""] * (len(HEADERS) - 1), HEADERS]
    for f in findings:
        rows.append([
            SEVERITY_LABEL[f.severity], f.sheet, f.cell, f.column, as_text(f.value), f.code, as_text(f.message), link(f),
        ])
    return rows


def marks(findings: list[Finding]) -> list[Mark]:
    """One mark per cell: red when any error is on it, else orange; the note gathers every message."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    out = []
    for (sheet, cell), group in by_cell.items():
        fill = ERROR_FILL if any(f.severity == ERROR for f in group) else WARNING_FILL
        out.append(Mark(sheet, cell, fill, NOTE_PREFIX + "\n".join(f.message for f in group)))
    return out


def alert_text(findings: list[Finding]) -> str:
    """« 3 erreurs, 2 avertissements — voir la feuille Contrôles » or « Aucune erreur »."""
    if not findings:
        return "Aucune erreur"
    return f"{counts_sentence(findings)} — voir la feuille {CONTROLS_SHEET}"


def result_line(findings: list[Finding]) -> str:
    return counts_sentence(findings)


def refusal_text(findings: list[Finding]) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    return (f"Documents non générés : le classeur contient {errors} erreur{'s' if errors > 1 else ''}. "
            f"Cliquez sur « Valider le classeur » et corrigez-les (voir la feuille {CONTROLS_SHEET}).")


SORTIES = "dans le dossier Sorties"
LITE_FILES = "dans Sorties (menu de xlwings Lite > Files > Import/Export, pour les télécharger)"


def written_text(paths, place: str = SORTIES) -> str:
    """The files written, then the notes about them (a file renamed so that two landlords do not share one)."""
    names = "\n".join(f"• {p.name}" for p in paths)
    text = f"{len(paths)} fichier{'s' if len(paths) > 1 else ''} écrit{'s' if len(paths) > 1 else ''} {place} :\n{names}"
    notes = getattr(paths, "notes", [])
    return text + "".join(f"\n\n{note}" for note in notes)
