"""igloo-journal.csv beside the master: one line per validation or generation, append-only.

It says who produced what from which state of the data (the master's SHA-256). French Excel opens
it directly: UTF-8 with BOM, `;` separator, CRLF. Each line is appended with a single write on a
file opened in append mode, so two people appending at once do not interleave within a line.

A field that a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage
return: a master named `=HYPERLINK(...).xlsx`, a login name) is written behind a single quote, as
the CSV-injection guides advise. The journal is created with the permissions the umask gives, so a
shared folder stays shared. A line that cannot be written is a French warning on stderr, never an
error: the work it records is done.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import io
import os
import sys
import uuid
from pathlib import Path

JOURNAL = "igloo-journal.csv"
HEADER = ["Date", "Utilisateur", "Action", "Classeur", "SHA-256 du classeur", "Erreurs", "Avertissements", "Fichiers écrits"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name (service account, container)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "inconnu"


def neutralised(value) -> str | int:
    """A field as a spreadsheet must show it: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _line(fields: list) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerow([neutralised(f) for f in fields])
    return buf.getvalue().encode("utf-8", "replace")


def _create(journal: Path) -> None:
    """BOM and header, appearing at once: written aside, then linked in unless someone was first.
    Created by os.open with 0o666 so that the umask, not igloo-xl, decides who may append."""
    tmp = journal.with_name(f".igloo-journal-{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    try:
        try:
            os.write(fd, "\ufeff".encode("utf-8") + _line(HEADER))
        finally:
            os.close(fd)
        try:
            os.link(tmp, journal)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: first come, first served
            try:
                fd = os.open(journal, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
            except FileExistsError:
                return
            try:
                os.write(fd, "\ufeff".encode("utf-8") + _line(HEADER))
            finally:
                os.close(fd)
    finally:
        tmp.unlink(missing_ok=True)


def _warn(journal: Path, why: str) -> None:
    print(f"Avertissement : le journal « {journal} » n'a pas pu être complété ({why}) ; "
          "le travail demandé a bien été fait.", file=sys.stderr)


def record(master_path: Path | None, action: str, report=None, written=(), now: dt.datetime | None = None) -> Path | None:
    """Append one line; returns the journal's path, or None (and a warning on stderr) when it cannot be written."""
    if master_path is None:
        return None
    master_path = Path(master_path)
    journal = master_path.parent / JOURNAL
    try:
        digest = sha256(master_path) if master_path.is_file() else ""
        fields = [
            (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S"),
            user_name(),
            action,
            master_path.name,
            digest,
            len(report.errors) if report is not None else "",
            len(report.warnings) if report is not None else "",
            ", ".join(Path(p).name for p in written),
        ]
        if not journal.exists():
            _create(journal)
        fd = os.open(journal, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, _line(fields))
        finally:
            os.close(fd)
        return journal
    except OSError as exc:
        from igloo_xl.package.atomic import reason

        _warn(journal, reason(exc))
    except Exception as exc:  # noqa: BLE001 — the journal never turns a finished job into a failure
        _warn(journal, type(exc).__name__)
    return None
