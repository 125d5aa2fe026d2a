"""Giving formula cells written by openpyxl their computed value.

openpyxl writes a formula with an empty `<v/>`: Excel recalculates on opening, but every other reader
(igloo-xl itself, calamine, a preview) sees no value. The sheet's XML is patched after saving so
each such cell carries the value igloo-xl computed, as Excel would have stored it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from igloo_xl.read.cell_scan import sheet_parts

_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f>.*?</f>)<v\s*/>\s*</c>', re.S)


def _cell(ref: bytes, attrs: bytes, formula: bytes, value) -> bytes:
    attrs = re.sub(rb'\s*t="[^"]*"', b"", attrs)
    if isinstance(value, str) or value is None:
        text = escape(value or "").encode("utf-8")
        return b'<c r="' + ref + b'"' + attrs + b' t="str">' + formula + b"<v>" + text + b"</v></c>"
    return b'<c r="' + ref + b'"' + attrs + b">" + formula + b"<v>" + repr(value).encode("ascii") + b"</v></c>"


def fill_cached_values(path: Path, sheet: str, values: dict[str, object]) -> None:
    """Put `values` (A1 reference -> number, text or None for an empty result) into the formula cells
    of `sheet` in the saved workbook at `path` (rewritten in place: `path` is a scratch file)."""
    with zipfile.ZipFile(path) as zf:
        part = sheet_parts(zf)[sheet]
        parts = [(info, zf.read(info)) for info in zf.infolist()]

    def fill(m: re.Match) -> bytes:
        ref = m.group(1).decode("ascii")
        if ref not in values:
            return m.group(0)
        return _cell(m.group(1), m.group(2), m.group(3), values[ref])

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            out.writestr(info, _FORMULA_CELL.sub(fill, data) if info.filename == part else data)
