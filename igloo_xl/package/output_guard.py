"""Where an output may go: never over the file a command reads, never over a master, never two outputs
under one name. Checked before anything is written, so a refusal leaves every file as it was."""

from __future__ import annotations

import html
import os
import re
import zipfile
from pathlib import Path

from igloo_xl.errors import OutputRefused
from igloo_xl.package.atomic import real_path

MASTER_SHEETS = {"familles", "paramètres"}  # both present: the contract's master (version 1 or 2)
_MAX_WORKBOOK_XML = 8 << 20
_SHEET_NAME = re.compile(r'<(?:[\w.-]+:)?sheet\b[^>]*?\bname="([^"]*)"')



class Written(list):
    """The paths a command wrote, with the notes a person must read about them (renamed files)."""

    def __init__(self, paths=(), notes=()):
        super().__init__(paths)
        self.notes = list(notes)


def _same_file(a: Path, b: Path) -> bool:
    """Same file whatever the spelling: `sub/../m.xlsx`, a symbolic link, a hard link."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return real_path(a) == real_path(b)


def is_master(path: str | os.PathLike) -> bool:
    """An existing workbook holding the contract's sheets Familles and Paramètres."""
    path = Path(path)
    try:
        if not path.is_file() or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > _MAX_WORKBOOK_XML:
                return False
            xml = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False
    names = {html.unescape(n).strip().casefold() for n in _SHEET_NAME.findall(xml)}
    return MASTER_SHEETS <= names


def guard_file(out: str | os.PathLike, inputs=(), *, refuse_masters: bool = True) -> Path:
    """Refuse an output file that is a folder, one of the command's inputs, or (unless told otherwise:
    build-xlsm rebuilds the staff master) a master workbook."""
    out = Path(out)
    if out.is_dir():
        raise OutputRefused(f"« {out} » est un dossier : --out attend un nom de fichier (par exemple {out / 'sortie.xlsx'}).")
    for source in inputs:
        if source is not None and (out.exists() or out.is_symlink()) and _same_file(out, Path(source)):
            raise OutputRefused(
                f"« {out} » est le classeur lu par cette commande : igloo-xl n'écrit jamais une sortie par-dessus. "
                "Choisissez un autre nom de fichier."
            )
    if refuse_masters and is_master(out):
        raise OutputRefused(
            f"« {out} » est un classeur maître IGLOO : igloo-xl ne l'écrase jamais par une sortie. Choisissez un autre nom de fichier."
        )
    return out


def guard_folder(out_dir: str | os.PathLike) -> Path:
    """Refuse an output folder that is an existing file."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputRefused(f"« {out_dir} » est un fichier, pas un dossier : --out attend le dossier où écrire les classeurs.")
    return out_dir


def unique_names(names: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """File names made distinct (ignoring case, as Windows does) with _2, _3...; and a French note per rename."""
    taken: dict[str, str] = {}
    out, notes = [], []
    for name, label in zip(names, labels):
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}_{n}{dot}{ext}"
        if candidate != name:
            notes.append(
                f"Attention : « {label} » et « {taken[name.casefold()]} » donnent le même nom de fichier ; "
                f"le classeur de « {label} » est écrit sous « {candidate} »."
            )
        taken[candidate.casefold()] = label
        out.append(candidate)
    return out, notes
