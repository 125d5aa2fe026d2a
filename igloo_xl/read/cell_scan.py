"""What python-calamine does not tell: cells holding an Excel error (#N/A...) and formulas saved
without a computed value (files written by tools that do not calculate). Read from the sheet XML,
and only for sheets whose XML holds an error cell or a formula at all."""

from __future__ import annotations

import html
import re
import zipfile
from posixpath import join, normpath

_SHEET = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(r"<Relationship\b([^>]*)>")
_ID = re.compile(r'\bId="([^"]*)"')
_TARGET = re.compile(r'\bTarget="([^"]*)"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
_TYPE_ERROR = re.compile(r'\bt="e"')
_VALUE = re.compile(r"<v>(.*?)</v>", re.S)

UNCOMPUTED = "formula-not-computed"


def _col_index(letters: str) -> int:
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
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid)
        if target:
            path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
            out[html.unescape(name)] = path
    return out


def scan(path) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet: {(row, col) 0-based: '#N/A' or UNCOMPUTED}} for the cells calamine reads as empty."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as zf:
        for sheet, part in sheet_parts(zf).items():
            try:
                xml = zf.read(part).decode("utf-8", "replace")
            except KeyError:
                continue
            if 't="e"' not in xml and "<f>" not in xml and "<f " not in xml:
                continue
            cells = {}
            for attrs, body in _CELL.findall(xml):
                body = body or ""
                is_error = bool(_TYPE_ERROR.search(attrs))
                has_formula = "<f>" in body or "<f " in body
                if not is_error and not has_formula:
                    continue
                ref = _REF.search(attrs)
                if not ref:
                    continue
                value = _VALUE.search(body)
                key = (int(ref.group(2)) - 1, _col_index(ref.group(1)))
                if is_error:
                    cells[key] = html.unescape(value.group(1)) if value else "#N/A"
                elif value is None:
                    cells[key] = UNCOMPUTED
            if cells:
                found[sheet] = cells
    return found
