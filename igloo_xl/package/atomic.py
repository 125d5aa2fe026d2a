"""Every file igloo-xl writes goes through here: temp file in the same folder, then an atomic replace."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from igloo_xl.errors import OutputExists, WorkbookLocked

BACKUP_DIR = "Sauvegardes"
BACKUPS_KEPT = 20


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ~$ plus the name (Excel drops the first two characters of long names)."""
    return path.with_name("~$" + path.name)


def ensure_writable(path: Path) -> None:
    """Refuse to write a workbook that is open in Excel or read-only."""
    candidates = [lock_file(path), path.with_name("~$" + path.name[2:])] if len(path.name) > 2 else [lock_file(path)]
    if any(c.exists() for c in candidates):
        raise WorkbookLocked(f"« {path.name} » est ouvert dans Excel (fichier de verrou présent) : fermez-le puis réessayez.")
    if path.exists() and not os.access(path, os.W_OK):
        raise WorkbookLocked(f"« {path.name} » est en lecture seule : rien n'a été écrit.")
    if not os.access(path.parent if path.parent.exists() else Path("."), os.W_OK):
        raise WorkbookLocked(f"Le dossier « {path.parent} » n'est pas accessible en écriture : rien n'a été écrit.")


def _mode_for(path: Path) -> int:
    """Keep the target's permissions; a new file gets the usual ones (mkstemp's are private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_target(path: str | os.PathLike, overwrite: bool = True):
    """Yield a temporary path beside `path`; on success it replaces `path` in one step, on failure it is removed."""
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExists(f"« {path} » existe déjà : igloo-xl ne l'écrase pas. Choisissez un autre nom ou supprimez-le.")
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=".igloo-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _mode_for(path))
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        if not overwrite and path.exists():
            raise OutputExists(f"« {path} » existe déjà : igloo-xl ne l'écrase pas.")
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def backup(path: Path, keep: int = BACKUPS_KEPT, now: dt.datetime | None = None) -> Path:
    """A dated copy in Sauvegardes/ beside the master before it is rewritten; only the last `keep` are kept."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d_%H%M%S_%f")
    target = folder / f"{path.stem}_{stamp}{path.suffix}"
    shutil.copy2(path, target)
    copies = sorted(folder.glob(f"{path.stem}_*{path.suffix}"))
    for old in copies[:-keep]:
        old.unlink()
    return target
