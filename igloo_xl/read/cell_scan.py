"""What python-calamine does not tell, or cannot read safely, found in a sheet's raw XML.

- cells holding an Excel error (#N/A...) and formulas saved without a computed value (files written
  by tools that do not calculate): calamine reads them as empty;
- cells far to the right of any table (a note typed in XFD60000): calamine would allocate the whole
  rectangle up to them, so they are cut out before calamine reads the sheet;
- numbers that make calamine panic when the cell has a date format (-1e12): they are handed to
  calamine as text, so the typing reports them on their cell.

Each sheet is first surveyed as raw bytes, streamed (never decoded, never held whole), its formula
cells noted on the way; only a sheet whose bytes hold an error, a far cell or a negative number is
read whole and searched cell by cell.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import join, normpath

_SHEET = re.compile(r"<(?:[\w.-]+:)?sheet\b([^>]*)>")  # <sheet> or <x:sheet> (a prefixed workbook.xml)
_SHEET_NAME = re.compile(r'(?:^|\s)name="([^"]*)"')
_SHEET_RID = re.compile(r'(?:^|\s)[\w.-]+:id="([^"]*)"')  # r:id, whatever the relationships prefix
_XML_REFERENCE = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_REL = re.compile(r"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ID = re.compile(r'\bId="([^"]*)"')
_TARGET = re.compile(r'\bTarget="([^"]*)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]*)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]+)\d+"')
_FAR_REF = re.compile(rb'\br="[A-Z]{3}')

UNCOMPUTED = "formula-not-computed"
MAX_COLUMNS = 256  # A..IV: a cell further right is far outside any table; it is reported, never read
# chrono (inside calamine) overflows on date serials below about -1.07e11 days; well inside that:
PANIC_SERIAL = -1e9
_CHUNK = 1 << 20
_LONGEST_STRETCH = 8 << 20  # bytes carried at most while waiting for a cell or a row to close
_ERROR_MARK = b't="e"'
_NEGATIVE_MARK = b"<v>-"


def col_index(letters: str | bytes) -> int:
    """0-based column index of Excel letters (A -> 0)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for attrs in _REL.findall(rels):
        rid, target = _ID.search(attrs), _TARGET.search(attrs)
        if rid and target:
            targets[rid.group(1)] = target.group(1)
    out = {}
    for attrs in _SHEET.findall(workbook):
        name, rid = _SHEET_NAME.search(attrs), _SHEET_RID.search(attrs)
        target = targets.get(rid.group(1)) if name and rid else None
        if target:
            path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
            out[xml_text(name.group(1))] = path
    return out


def xml_text(escaped: str) -> str:
    """An attribute's text as an XML parser (and python-calamine) reads it: every character reference
    kept as its character, where html.unescape would drop or replace some (U+001C, U+0085...)."""
    def character(m: re.Match) -> str:
        if m.group(3):
            return _XML_ENTITIES[m.group(3)]
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _XML_REFERENCE.sub(character, escaped) if "&" in escaped else escaped


@dataclass
class Survey:
    """What a sheet's bytes hold, found without decoding them."""

    formulas: bool = False
    errors: bool = False
    negatives: bool = False
    far_columns: bool = False
    formula_cells: SheetCells | None = None  # the formula cells, found on the way

    @property
    def needs_cells(self) -> bool:
        return self.formulas or self.errors or self.negatives or self.far_columns

    @property
    def only_formulas(self) -> bool:
        return not (self.errors or self.negatives or self.far_columns)


def _has_formula(data: bytes, end: int | None = None) -> bool:
    """`<f>`, `<f ...>` or `<f/>`; one pass (`<formula1>` of data validations does not count)."""
    end = len(data) if end is None else end
    # an "f" is rare in cell XML (not in the text of shared strings): one memchr per "f", then `<f`
    # searched as a pair from where too many "f" were met
    i, seen = data.find(b"f", 0, end), 0
    while i != -1 and seen < 64:
        if i and data[i - 1] == 60 and i + 1 < end and data[i + 1] in (62, 32, 47):  # "<", then ">", " " or "/"
            return True
        i, seen = data.find(b"f", i + 1, end), seen + 1
    if i == -1:
        return False
    i = data.find(b"<f", i - 1, end)
    while i != -1:
        if i + 2 < end and data[i + 2] in (62, 32, 47):
            return True
        i = data.find(b"<f", i + 2, end)
    return False


_LOCAL_HEADER = b"PK\x03\x04"


def _inflated(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes, inflated piece by piece. A deflated part of a file on disk is inflated
    straight from its bytes: calamine checks its CRC when it reads the part, so it is not computed twice."""
    info = zf.getinfo(part)
    name = zf.filename
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or not name:
        with zf.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
        return
    with open(name, "rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(30)
        if len(head) < 30 or head[:4] != _LOCAL_HEADER:
            raise zipfile.BadZipFile(part)
        fh.seek(info.header_offset + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little"))
        inflate = zlib.decompressobj(-15)
        remaining = info.compress_size
        while remaining > 0:
            packed = fh.read(min(_CHUNK >> 4, remaining))  # ~1 Mio once inflated: rarely a tail to copy
            if not packed:
                raise EOFError(part)
            remaining -= len(packed)
            while packed:
                if out := inflate.decompress(packed, _CHUNK):
                    yield out
                packed = inflate.unconsumed_tail
        if out := inflate.flush():
            yield out


def _whole_cells(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, int]]:
    """(piece, end): the same bytes, each piece searched up to `end`, just after a cell or a row
    closes, so that no mark or formula cell spans two pieces; the rest starts the next piece."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        end = max(data.rfind(b"</c>") + 4, data.rfind(b"</row>") + 6)
        if end < 6 and len(data) > _LONGEST_STRETCH:
            # megabytes without a closed cell or row (empty rows only, or a hostile part): cut after a
            # tag far enough back that no real cell (at most ~200 kio) can straddle it
            end = data.rfind(b">", 0, len(data) - _CHUNK) + 1
        if end < 6:
            carry = data
            continue
        carry = data[end:]
        yield data, end
    if carry:
        yield carry, len(carry)


def survey(zf: zipfile.ZipFile, part: str) -> Survey:
    """Inflate the sheet's XML once, piece by piece (never decoded, never held whole), noting the
    formula cells on the way. The <dimension> Excel writes gives the width; a sheet without one is
    searched for three-letter column references (AAA and beyond) instead."""
    found = Survey()
    first = True
    width_known = False
    hidden: dict[tuple[int, int], str] = {}
    formulas: set[tuple[int, int]] = set()
    for data, end in _whole_cells(_inflated(zf, part)):
        if first:
            first = False
            dim = _DIMENSION.search(data, 0, min(end, 4096))
            if dim:
                width_known = True
                found.far_columns = col_index(dim.group(1)) >= MAX_COLUMNS
        if (found.only_formulas or not found.formulas) and _has_formula(data, end):
            found.formulas = True
            if found.only_formulas:  # else the whole sheet is searched cell by cell anyway
                _formula_cells(data, hidden, formulas, end)
        if not found.errors:
            found.errors = data.find(_ERROR_MARK, 0, end) != -1
        if not found.negatives and data.find(b"-", 0, end) != -1:  # one memchr first: most sheets hold no minus sign
            found.negatives = data.find(_NEGATIVE_MARK, 0, end) != -1
        if not width_known and not found.far_columns:
            found.far_columns = _FAR_REF.search(data, 0, end) is not None
    if found.formulas and found.only_formulas:
        found.formula_cells = SheetCells(hidden, formulas, [], None)
    return found


@dataclass
class SheetCells:
    """The outcome of searching one sheet cell by cell."""

    hidden: dict[tuple[int, int], str]  # (row, col) 0-based -> '#N/A'... or UNCOMPUTED
    formulas: set[tuple[int, int]]  # (row, col) 0-based of the formula cells (their value is computed, not typed)
    far: list[tuple[int, int]]  # cells beyond MAX_COLUMNS, cut out
    xml: bytes | None  # the XML to give calamine instead of the part, when something was cut or retyped


_FORMULA = re.compile(rb"<f[ >/]")


def formula_cells(xml: bytes) -> SheetCells:
    """The formula cells of a sheet that holds nothing else to search for (no error, no far cell, no
    negative number): found from each `<f` and its enclosing cell, without visiting the other cells."""
    hidden: dict[tuple[int, int], str] = {}
    formulas: set[tuple[int, int]] = set()
    _formula_cells(xml, hidden, formulas)
    return SheetCells(hidden, formulas, [], None)


def _formula_cells(xml: bytes, hidden: dict[tuple[int, int], str], formulas: set[tuple[int, int]],
                   stop: int | None = None) -> None:
    columns: dict[bytes, int] = {}
    for m in _FORMULA.finditer(xml, 0, len(xml) if stop is None else stop):
        start = xml.rfind(b"<c ", 0, m.start())
        end = xml.find(b"</c>", m.end())
        if start == -1 or end == -1:
            continue
        ref = _REF.search(xml, start, xml.find(b">", start))
        if not ref:
            continue
        letters = ref.group(1)
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = col_index(letters)
        key = (int(ref.group(2)) - 1, col)
        formulas.add(key)
        if _VALUE.search(xml, m.start(), end) is None:
            hidden[key] = UNCOMPUTED


def search_cells(xml: bytes) -> SheetCells:
    hidden: dict[tuple[int, int], str] = {}
    formulas: set[tuple[int, int]] = set()
    far: list[tuple[int, int]] = []
    edits: list[tuple[int, int, bytes]] = []
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        ref = _REF.search(attrs)
        if not ref:
            continue
        key = (int(ref.group(2)) - 1, col_index(ref.group(1)))
        if key[1] >= MAX_COLUMNS:
            if body.strip() and (_VALUE.search(body) or b"<is>" in body or b"<f" in body):
                far.append(key)
            edits.append((m.start(), m.end(), b""))
            continue
        kind = _TYPE.search(attrs)
        kind = kind.group(1) if kind else b"n"
        value = _VALUE.search(body)
        if kind == b"e":
            hidden[key] = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#N/A"
        elif b"<f>" in body or b"<f " in body or b"<f/>" in body:
            formulas.add(key)
            if value is None:
                hidden[key] = UNCOMPUTED
        if kind == b"n" and value is not None and value.group(1).startswith(b"-"):
            try:
                number = float(value.group(1))
            except ValueError:
                continue
            if number <= PANIC_SERIAL:
                text = value.group(1)
                edits.append((m.start(), m.end(), b'<c r="' + ref.group(1) + ref.group(2) + b'" t="inlineStr"><is><t>'
                              + text + b"</t></is></c>"))
    if not edits:
        return SheetCells(hidden, formulas, far, None)
    pieces, last = [], 0
    for start, end, replacement in edits:
        pieces += [xml[last:start], replacement]
        last = end
    pieces.append(xml[last:])
    patched = b"".join(pieces)
    patched = re.sub(rb"<dimension\b[^>]*/>", b"", patched, count=1)
    return SheetCells(hidden, formulas, far, patched)
