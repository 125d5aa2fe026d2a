"""Reading a workbook file into raw grids (values as Excel stores them), or refusing it in French."""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from igloo_xl.errors import UnusableWorkbook
from igloo_xl.read.cell_scan import UNCOMPUTED, SheetCells, search_cells, sheet_parts, survey
from igloo_xl.read.values import NOT_COMPUTED

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
MAX_ROWS = 1_048_576  # Excel's own limit: every row is read
# What the zip's index may announce, checked before anything is inflated. A real sheet XML takes
# ~400 bytes a row, so a full 1,048,576-row sheet fits in MAX_PART_BYTES; real parts shrink 5–15×
# when zipped, a zip bomb thousands of times.
MAX_PART_BYTES = 1 << 30  # 1 Gio inflated, one part
MAX_TOTAL_BYTES = 2 << 30  # 2 Gio inflated, all parts together
MAX_RATIO = 200  # inflated / zipped, for parts above RATIO_FLOOR
RATIO_FLOOR = 32 << 20


@dataclass
class RawSheet:
    """A sheet's values as a grid from A1 (row 0 is Excel row 1)."""

    name: str
    rows: list[list]
    total_rows: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first_row, first_col, last_row, last_col), 0-based
    far_cells: list[tuple[int, int]] = field(default_factory=list)  # filled cells beyond MAX_COLUMNS, not read
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col) 0-based holding a formula


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
    if not stat.S_ISREG(path.stat().st_mode):
        raise UnusableWorkbook(
            f"« {shown} » n'est pas un fichier ordinaire (tube nommé, périphérique…) : igloo-xl ne lit que des fichiers."
        )
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
            check_sizes(zf, shown)
            refuse_doctype(zf, shown)
    except zlib.error:
        raise _damaged(shown) from None
    except (zipfile.BadZipFile, EOFError, OSError):
        raise UnusableWorkbook(f"« {shown} » est endommagé ou incomplet (archive tronquée) : reprenez une sauvegarde.") from None
    if suffix not in WORKBOOK_SUFFIXES:
        raise UnusableWorkbook(f"« {shown} » doit porter l'extension .xlsx ou .xlsm.")


def check_sizes(zf: zipfile.ZipFile, shown: str) -> None:
    """Refuse a package whose index announces more than the limits (a zip bomb), before inflating it."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES
        if too_big or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise UnusableWorkbook(
                f"« {shown} » est refusé : une fois décompressée, sa partie « {info.filename} » occuperait "
                f"{_mio(info.file_size)} Mio (limites : {_mio(MAX_PART_BYTES)} Mio par partie, {_mio(MAX_TOTAL_BYTES)} Mio "
                f"en tout, compression de {MAX_RATIO} pour 1 au plus). Ce n'est pas un classeur saisi à la main : "
                "vérifiez sa provenance."
            )


def refuse_doctype(zf: zipfile.ZipFile, shown: str) -> None:
    """OOXML parts never declare a DTD: one that does (entities in cascade, « billion laughs », external
    entities) is refused before any parser sees it."""
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels")) or info.file_size == 0:
            continue
        with zf.open(info) as part:
            head = part.read(2048)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise UnusableWorkbook(
                f"« {shown} » est refusé : sa partie « {info.filename} » déclare des entités XML (DTD), ce "
                "qu'Excel n'écrit jamais (fichier piégé ou corrompu). Vérifiez sa provenance."
            )


def _mio(size: int) -> str:
    return f"{size / (1 << 20):,.0f}".replace(",", "\u202f")


def _damaged(shown: str) -> UnusableWorkbook:
    """A part whose compressed bytes are altered (a copy cut off or corrupted on its way)."""
    return UnusableWorkbook(f"« {shown} » est endommagé : une partie du classeur ne se décompresse pas. Reprenez une sauvegarde.")


def _unreadable(path: Path) -> UnusableWorkbook:
    # the parser's own text is English and technical: never shown
    return UnusableWorkbook(
        f"« {path.name} » ne peut pas être lu comme classeur Excel : son contenu XML est invalide ou "
        "malveillant (entités en cascade, balises cassées). Ouvrez-le dans Excel et enregistrez-le de nouveau."
    )


def _overlay(sheet: RawSheet, hidden: dict[tuple[int, int], str]) -> None:
    """Put back what calamine reads as empty: Excel errors (as their text) and uncomputed formulas."""
    rows = sheet.rows
    for (r, c), value in hidden.items():
        if r >= len(rows):
            continue
        row = rows[r]
        if c >= len(row):
            width = c + 1
            for line in rows:  # keep the grid rectangular
                line.extend([""] * (width - len(line)))
        if row[c] in ("", None):
            row[c] = NOT_COMPUTED if value == UNCOMPUTED else value


def _patched_package(zf: zipfile.ZipFile, replaced: dict[str, bytes]) -> io.BytesIO:
    """An in-memory copy of the package with some sheet parts replaced (only for a hostile sheet)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in zf.infolist():
            copy.writestr(info.filename, replaced.get(info.filename) or zf.read(info))
    out.seek(0)
    return out


def _reading_order(names: list[str], sizes: dict[str, int], first: Callable[[str], bool] | None,
                   largest_first: bool) -> list[str]:
    """Workbook order, the `first` sheets ahead (in workbook order), then the biggest first if asked."""
    if first is None and not largest_first:
        return names

    def rank(name: str):
        ahead = first is not None and first(name)
        return not ahead, 0 if ahead or not largest_first else -sizes.get(name, 0)

    return sorted(names, key=rank)


def _surveyed(zf: zipfile.ZipFile, part: str) -> SheetCells | None:
    """What the sheet's raw XML adds to calamine's reading (None: nothing); its `xml` is set when the
    sheet must be rewritten before calamine may read it (far cells, panicking numbers)."""
    found = survey(zf, part)
    if not found.needs_cells:
        return None
    return found.formula_cells if found.only_formulas else search_cells(zf.read(part))


def iter_sheets(
    path: str | os.PathLike,
    wanted: Callable[[str], bool] | None = None,
    first: Callable[[str], bool] | None = None,
    largest_first: bool = False,
) -> Iterator[RawSheet]:
    """The sheets (those `wanted` accepts; those `first` accepts first, then workbook order, or the
    biggest first) one at a time, as raw grids: a caller that types each sheet and drops its grid
    never holds more than one. Biggest first, the largest grid is read while little else is held.

    Three things overlap, since python-calamine parses a sheet without holding Python's lock: one
    thread surveys every sheet's raw XML, another has calamine parse the next sheet (once its survey
    says calamine can read it safely), while the caller types the sheet it was given. The next sheet
    is parsed only once the previous one is out of calamine's hands, so memory holds what it held
    when everything ran in turn."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    check_usable(path)
    try:
        with ExitStack() as held:  # unwound in reverse: workers stopped, then books and file closed
            zf = held.enter_context(zipfile.ZipFile(path))
            parts = sheet_parts(zf)
            sizes = {n: zf.NameToInfo[p].file_size for n, p in parts.items() if p in zf.NameToInfo}
            book = CalamineWorkbook.from_path(str(path))
            held.callback(book.close)
            rewritten: list = []  # the book of the rewritten package, made once, closed after the parser stops
            held.callback(lambda: [source.close() for source in rewritten])
            order = _reading_order([n for n in book.sheet_names if wanted is None or wanted(n)], sizes, first,
                                   largest_first)
            surveys = ThreadPoolExecutor(1, thread_name_prefix="igloo-survey")
            held.callback(surveys.shutdown, wait=True, cancel_futures=True)
            parser = ThreadPoolExecutor(1, thread_name_prefix="igloo-calamine")
            held.callback(parser.shutdown, wait=True, cancel_futures=True)
            found = {n: surveys.submit(_surveyed, zf, parts[n]) for n in order if n in sizes}
            by_part = {parts[n]: survey_done for n, survey_done in found.items()}

            def rewritten_book():
                """One copy of the package with every sheet that had to be rewritten, as read in turn."""
                if not rewritten:
                    done = {part: survey_done.result() for part, survey_done in by_part.items()}
                    by_part.clear()
                    patched = {part: cells.xml for part, cells in done.items() if cells is not None and cells.xml is not None}
                    rewritten.append(CalamineWorkbook.from_filelike(_patched_package(zf, patched)))
                return rewritten[0]

            def parse(name: str):
                survey_done = found.pop(name, None)
                if survey_done is None:  # calamine names a sheet the workbook's index does not lead to
                    raise zipfile.BadZipFile(name)
                cells = survey_done.result()
                source = rewritten_book() if cells is not None and cells.xml is not None else book
                return source.get_sheet_by_name(name), cells

            coming = parser.submit(parse, order[0]) if order else None
            for k, name in enumerate(order):
                sheet, cells = coming.result()
                total = sheet.end[0] + 1 if sheet.end else 0
                rows = sheet.to_python(skip_empty_area=False)
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
                del sheet
                coming = parser.submit(parse, order[k + 1]) if k + 1 < len(order) else None
                raw = RawSheet(name, rows, max(total, len(rows)), merged)
                del rows
                if cells is not None:
                    _overlay(raw, cells.hidden)
                    raw.far_cells = cells.far
                    raw.formula_cells = cells.formulas
                yield raw
                del raw  # the caller dropped its grid: this frame must not keep it while the next sheet is read
    except zlib.error:
        raise _damaged(path.name) from None
    except (CalamineError, ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError):
        raise _unreadable(path) from None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # python-calamine's Rust side gave up on this file
            raise _unreadable(path) from None
        raise


def read_workbook(path: str | os.PathLike, sheet_names: set[str] | None = None) -> RawBook:
    """Every sheet (or those named) as raw grids, read with python-calamine."""
    wanted = None if sheet_names is None else sheet_names.__contains__
    return RawBook(Path(path), {sheet.name: sheet for sheet in iter_sheets(path, wanted)})
