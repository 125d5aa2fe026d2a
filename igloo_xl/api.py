"""The library calls behind each command and each Excel button: one call per command."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .validation import Report


def init_master(path: str | os.PathLike) -> Path:
    """Write a new master holding the sample programme; never overwrites an existing file."""
    from .master_writer import write_master
    from .sample import parameters, programme

    return write_master(path, programme(), parameters(), overwrite=False)


def validate_file(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """All findings of the master file (UnusableWorkbook when it cannot be read)."""
    from .validation import validate_file as run

    return run(path, today)
