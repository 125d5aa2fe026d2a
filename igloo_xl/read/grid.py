"""Locating a header row and its columns in a raw grid."""

from __future__ import annotations

from igloo_xl.read.text import fold
from igloo_xl.read.values import is_blank

HEADER_SEARCH_ROWS = 10


def letter(col_index: int) -> str:
    """0-based column index -> Excel letter (A, Z, AA...)."""
    n, out = col_index + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def find_header_row(rows: list[list], wanted: list[str], required: list[str]) -> tuple[int | None, dict[str, int]]:
    """The first row within the first 10 that holds every required header, else the one holding most.

    Returns (0-based row or None, {folded header: 0-based column}) for the headers found.
    """
    wanted_keys = {fold(h) for h in wanted}
    required_keys = {fold(h) for h in required}
    best: tuple[int, int | None, dict[str, int]] = (0, None, {})
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            if isinstance(value, str) and not is_blank(value):
                key = fold(value)
                if key in wanted_keys and key not in found:
                    found[key] = c
        hits = len(required_keys & found.keys())
        if required_keys and hits == len(required_keys):
            return r, found
        if hits > best[0]:
            best = (hits, r, found)
    return best[1], best[2]


def last_data_row(rows: list[list]) -> int:
    for r in range(len(rows) - 1, -1, -1):
        if any(not is_blank(v) for v in rows[r]):
            return r
    return -1
