"""Every file igloo-xl writes goes through here: temp file in the same folder, then an atomic replace.

A path that is a symbolic link is written through to the file it points to (the link stays a link).
A write that fails for lack of space or rights becomes a French refusal (exit 2), the target untouched.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import re
import shutil
import stat
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path

from igloo_xl.errors import IglooError, OutputExists, WorkbookLocked, WriteFailed

BACKUP_DIR = "Sauvegardes"
BACKUPS_KEPT = 20
_STAMP = r"_\d{4}-\d{2}-\d{2}_\d{6}_\d{6}"

_REASONS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota de disque est atteint",
    errno.EACCES: "droits d'accès insuffisants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOENT: "le dossier n'existe pas",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "le nom est trop long",
    errno.EIO: "erreur d'entrée-sortie du disque",
}



def reason(exc: OSError) -> str:
    """A French phrase for an operating-system error."""
    return _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


def _os_error(exc: BaseException) -> OSError | None:
    """The OSError behind an exception (writers such as XlsxWriter wrap it in their own)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _release_quietly(exc: BaseException) -> None:
    """Free what the failed writer still holds (XlsxWriter's zip file on a full disk), so that its
    close does not print an "Exception ignored" traceback later: the refusal says it all."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        seen = 0
        while exc is not None and seen < 10:
            traceback.clear_frames(exc.__traceback__)
            exc = exc.__cause__ or exc.__context__
            seen += 1
        gc.collect()
    finally:
        sys.unraisablehook = hook


def real_path(path: str | os.PathLike) -> Path:
    """The file a path designates, symbolic links followed (writing there keeps the links)."""
    return Path(os.path.realpath(path))


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ~$ plus the name (Excel drops the first two characters of long names)."""
    return path.with_name("~$" + path.name)


def _excel_lock_files(path: Path) -> list[Path]:
    out = []
    for p in dict.fromkeys([path, real_path(path)]):
        out.append(lock_file(p))
        if len(p.name) > 2:
            out.append(p.with_name("~$" + p.name[2:]))
    return out


def is_read_only(path: Path) -> bool:
    """Read-only is the file's mode (no write bit), as Windows' read-only attribute; not the caller's rights,
    since root may write anything."""
    mode = path.stat().st_mode
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def ensure_writable(path: Path) -> None:
    """Refuse to write a workbook that is open in Excel or read-only."""
    path = Path(path)
    if any(c.exists() for c in _excel_lock_files(path)):
        raise WorkbookLocked(f"« {path.name} » est ouvert dans Excel (fichier de verrou présent) : fermez-le puis réessayez.")
    if path.exists() and is_read_only(path):
        raise WorkbookLocked(f"« {path.name} » est en lecture seule : rien n'a été écrit.")
    target = real_path(path)
    if not os.access(target.parent if target.parent.exists() else Path("."), os.W_OK):
        raise WorkbookLocked(f"Le dossier « {target.parent} » n'est pas accessible en écriture : rien n'a été écrit.")


def _mode_for(path: Path) -> int:
    """Keep the target's permissions; a new file gets the usual ones (mkstemp's are private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _refusal(path: Path, exc: OSError) -> WriteFailed:
    return WriteFailed(f"« {path} » n'a pas pu être écrit ({reason(exc)}) : ce fichier est resté tel qu'il était "
                       "et le classeur maître n'a pas été modifié.")


@contextmanager
def atomic_target(path: str | os.PathLike, overwrite: bool = True):
    """Yield a temporary path beside `path`; on success it replaces `path` in one step, on failure it is removed."""
    shown = Path(path)
    path = real_path(path)
    if not overwrite and (path.exists() or shown.is_symlink()):
        raise OutputExists(f"« {shown} » existe déjà : igloo-xl ne l'écrase pas. Choisissez un autre nom ou supprimez-le.")
    if path.is_dir():
        raise WriteFailed(f"« {shown} » est un dossier : indiquez un nom de fichier.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refusal(shown, exc) from None
    ensure_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".igloo-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _refusal(shown, exc) from None
    tmp_path = Path(tmp)
    failure = None
    try:
        os.chmod(tmp_path, _mode_for(path))
        try:
            yield tmp_path
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            if not overwrite and path.exists():
                raise OutputExists(f"« {shown} » existe déjà : igloo-xl ne l'écrase pas.")
            os.replace(tmp_path, path)
        except IglooError:
            raise
        except Exception as exc:
            cause = _os_error(exc)
            if cause is None:
                raise
            failure = _refusal(shown, cause)
            _release_quietly(exc)
        if failure is not None:
            raise failure from None
    finally:
        try:
            tmp_path.unlink(missing_ok=True)
        except OSError:
            pass


def backup_pattern(path: Path) -> re.Pattern:
    """The names of this master's dated copies, and only its own (IGLOO's, never IGLOO_2010's)."""
    return re.compile(re.escape(path.stem) + _STAMP + re.escape(path.suffix))


def backup(path: Path, keep: int = BACKUPS_KEPT, now: dt.datetime | None = None) -> Path:
    """A dated copy in Sauvegardes/ beside the master before it is rewritten; only the last `keep` are kept."""
    path = real_path(path)
    folder = path.parent / BACKUP_DIR
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d_%H%M%S_%f")
    target = folder / f"{path.stem}_{stamp}{path.suffix}"
    with atomic_target(target, overwrite=False) as tmp:
        shutil.copyfile(path, tmp)
        st = path.stat()
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    own = backup_pattern(path)
    copies = sorted(p for p in folder.iterdir() if own.fullmatch(p.name))
    for old in copies[:-keep]:
        try:
            old.unlink(missing_ok=True)
        except OSError:  # a copy someone else is reading or removing: kept for the next run
            pass
    return target
