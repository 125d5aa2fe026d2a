"""igloo-journal.csv beside the master: one line per validation or generation, append-only.

It says who produced what from which state of the data (the master's SHA-256). French Excel opens
it directly: UTF-8 with BOM, `;` separator, CRLF. Each line is appended with a single write on a
file opened in append mode, so two people appending at once do not interleave within a line.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import io
import os
from pathlib import Path

JOURNAL = "igloo-journal.csv"
HEADER = ["Date", "Utilisateur", "Action", "Classeur", "SHA-256 du classeur", "Erreurs", "Avertissements", "Fichiers écrits"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name (service account, container)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "inconnu"


def _line(fields: list) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerow(fields)
    return buf.getvalue().encode("utf-8")


def _create(journal: Path) -> None:
    """BOM and header, appearing at once: written aside, then linked in unless someone was first."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".igloo-journal-", dir=journal.parent)
    try:
        os.write(fd, "\ufeff".encode("utf-8") + _line(HEADER))
        os.close(fd)
        try:
            os.link(tmp, journal)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


def record(master_path: Path | None, action: str, report=None, written=(), now: dt.datetime | None = None) -> Path | None:
    """Append one line; returns the journal's path, or None when it cannot be written (never an error)."""
    if master_path is None:
        return None
    master_path = Path(master_path)
    journal = master_path.parent / JOURNAL
    try:
        digest = sha256(master_path) if master_path.exists() else ""
        fields = [
            (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S"),
            _user(),
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
    except OSError:
        return None
