"""Reading a workbook file into raw grids (values as Excel stores them), or refusing it in French."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from igloo_xl.errors import UnusableWorkbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
MAX_ROWS = 100_000  # far beyond a programme's size; a sheet longer than this is read up to here


@dataclass
class RawSheet:
    """A sheet's values as a grid from A1 (row 0 is Excel row 1)."""

    name: str
    rows: list[list]
    total_rows: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first_row, first_col, last_row, last_col), 0-based


@dataclass
class RawBook:
    path: Path | None
    sheets: dict[str, RawSheet]


def check_usable(path: Path) -> None:
    """Refuse, with a French message, anything that is not a readable .xlsx/.xlsm file."""
    shown = path.name or str(path)
    if not path.exists():
        raise UnusableWorkbook(f"Le fichier « {path} » est introuvable : vérifiez le chemin.")
    if path.is_dir():
        raise UnusableWorkbook(f"« {path} » est un dossier, pas un classeur Excel.")
    if not os.access(path, os.R_OK):
        raise UnusableWorkbook(f"Le fichier « {shown} » ne peut pas être lu (droits d'accès ou fichier verrouillé).")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UnusableWorkbook(f"Le fichier « {shown} » ne peut pas être lu : {exc.strerror or exc}.") from None
    suffix = path.suffix.lower()
    if not head:
        raise UnusableWorkbook(f"Le fichier « {shown} » est vide : ce n'est pas un classeur Excel.")
    if head.startswith(OLE_MAGIC):
        if suffix == ".xls":
            raise UnusableWorkbook(
                f"« {shown} » est au format Excel 97-2003 (.xls) : ouvrez-le dans Excel et enregistrez-le au format .xlsx ou .xlsm."
            )
        raise UnusableWorkbook(
            f"« {shown} » est protégé par un mot de passe (chiffré) : retirez la protection dans Excel "
            "(Fichier > Informations > Protéger le classeur) puis réessayez."
        )
    if suffix == ".ods":
        raise UnusableWorkbook(f"« {shown} » est un classeur LibreOffice (.ods) : enregistrez-le au format Excel .xlsx.")
    if not head.startswith(ZIP_MAGIC):
        raise UnusableWorkbook(
            f"« {shown} » n'est pas un classeur Excel (fichier texte ou CSV renommé ?) : ouvrez-le dans Excel et enregistrez-le au format .xlsx."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
                raise UnusableWorkbook(f"« {shown} » est un classeur LibreOffice (.ods) renommé : enregistrez-le au format Excel .xlsx.")
            if "xl/workbook.xml" not in names:
                raise UnusableWorkbook(f"« {shown} » est un fichier compressé mais pas un classeur Excel.")
    except (zipfile.BadZipFile, EOFError, OSError):
        raise UnusableWorkbook(f"« {shown} » est endommagé ou incomplet (archive tronquée) : reprenez une sauvegarde.") from None
    if suffix not in WORKBOOK_SUFFIXES:
        raise UnusableWorkbook(f"« {shown} » doit porter l'extension .xlsx ou .xlsm.")


def _overlay_hidden_cells(path: Path, sheets: dict[str, RawSheet]) -> None:
    """Put back what calamine reads as empty: Excel errors (as their text) and uncomputed formulas."""
    from igloo_xl.read.cell_scan import UNCOMPUTED, scan
    from igloo_xl.read.values import NOT_COMPUTED

    for name, cells in scan(path).items():
        sheet = sheets.get(name)
        if sheet is None:
            continue
        for (r, c), value in cells.items():
            if r >= len(sheet.rows):
                continue
            row = sheet.rows[r]
            while len(row) <= c:
                row.append("")
            if row[c] in ("", None):
                row[c] = NOT_COMPUTED if value == UNCOMPUTED else value


def read_workbook(path: str | os.PathLike, sheet_names: set[str] | None = None) -> RawBook:
    """Every sheet (or those named, matched loosely by the caller) as raw grids, read with python-calamine."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    check_usable(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {}
        for name in book.sheet_names:
            if sheet_names is not None and name not in sheet_names:
                continue
            sheet = book.get_sheet_by_name(name)
            total = sheet.end[0] + 1 if sheet.end else 0
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            sheets[name] = RawSheet(name, rows, max(total, len(rows)), merged)
        book.close()
        _overlay_hidden_cells(path, sheets)
    except CalamineError as exc:
        raise UnusableWorkbook(f"« {path.name} » ne peut pas être lu comme classeur Excel : {exc}.") from None
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise UnusableWorkbook(f"« {path.name} » ne peut pas être lu comme classeur Excel : {exc}.") from None
    return RawBook(path, sheets)
