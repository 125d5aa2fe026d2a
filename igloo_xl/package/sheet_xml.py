"""Small, exact edits of SpreadsheetML parts as text: set a cell, add a data validation, a column
width, a table part; grow a table; set a defined name. Everything else in the part stays byte for
byte as it was, which a parse-and-serialise round trip would not promise (prefixes, extensions).
"""

from __future__ import annotations

import re
from html import escape

from igloo_xl.read.grid import letter

_ROW = re.compile(r'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_CELL = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(r'\ss="(\d+)"')
# Children of <worksheet> that come after <dataValidations>, in schema order.
AFTER_VALIDATIONS = ("hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                     "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                     "legacyDrawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")
AFTER_TABLE_PARTS = ("extLst",)
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class OccupiedCell(Exception):
    """A cell igloo-xl meant to fill already holds something typed by a person."""

    def __init__(self, ref: str):
        super().__init__(ref)
        self.ref = ref


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """'P4:AE16' -> (first col, first row, last col, last row), columns 0-based, rows as in Excel."""
    a, _, b = ref.partition(":")
    b = b or a
    ma, mb = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", a), re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", b)
    return col_index(ma.group(1)), int(ma.group(2)), col_index(mb.group(1)), int(mb.group(2))


def make_ref(c1: int, r1: int, c2: int, r2: int) -> str:
    return f"{letter(c1)}{r1}:{letter(c2)}{r2}"


def _cell_xml(ref: str, value, style: str) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(str(value), quote=False)}</t></is></c>'


def _has_content(cell_xml: str) -> bool:
    return bool(re.search(r"<(v|is|f)\b", cell_xml))


class SheetXml:
    def __init__(self, text: str):
        if re.search(r"<\w+:worksheet\b", text[:2000]):
            raise ValueError("prefixed")
        self.text = text

    # --- cells ------------------------------------------------------------------
    def cell_style(self, col: int, row: int) -> str:
        cell = self._find_cell(col, row)
        m = _STYLE.search(cell.group(0).split(">", 1)[0]) if cell else None
        return m.group(1) if m else ""

    def _find_row(self, row: int):
        for m in _ROW.finditer(self.text):
            if int(m.group(1)) == row:
                return m
        return None

    def _find_cell(self, col: int, row: int):
        r = self._find_row(row)
        if r is None:
            return None
        ref = f"{letter(col)}{row}"
        for m in _CELL.finditer(r.group(0)):
            if f"{m.group(1)}{m.group(2)}" == ref:
                return m
        return None

    def set_cell(self, col: int, row: int, value, style: str = "", overwrite: bool = False) -> bool:
        """Write a value (None clears); True when the part changed. Refuses to replace content unless told."""
        ref = f"{letter(col)}{row}"
        r = self._find_row(row)
        if r is None:
            self._insert_row(row, f'<row r="{row}">{_cell_xml(ref, value, style)}</row>')
            return True
        row_xml = r.group(0)
        head_end = row_xml.index(">") + 1
        head = row_xml[:head_end]
        if head.endswith("/>"):
            head, body = head[:-2].rstrip() + ">", ""
        else:
            body = row_xml[head_end : -len("</row>")]
        head = re.sub(r'\sspans="[^"]*"', "", head)  # a hint Excel recomputes; stale once cells are added
        cells = list(_CELL.finditer(body))
        new_body = None
        for m in cells:
            if f"{m.group(1)}{m.group(2)}" == ref:
                if _has_content(m.group(0)) and not overwrite:
                    if _same_value(m.group(0), value):
                        return False
                    raise OccupiedCell(ref)
                old_style = _STYLE.search(m.group(0).split(">", 1)[0])
                keep = old_style.group(1) if old_style else style
                new_cell = _cell_xml(ref, value, keep)
                if new_cell == m.group(0):
                    return False
                new_body = body[: m.start()] + new_cell + body[m.end() :]
                break
        if new_body is None:
            if value is None:
                return False
            pos = len(body)
            for m in cells:
                if col_index(m.group(1)) > col:
                    pos = m.start()
                    break
            new_body = body[:pos] + _cell_xml(ref, value, style) + body[pos:]
        self.text = self.text[: r.start()] + head + new_body + "</row>" + self.text[r.end() :]
        return True

    def _insert_row(self, row: int, xml: str) -> None:
        for m in _ROW.finditer(self.text):
            if int(m.group(1)) > row:
                self.text = self.text[: m.start()] + xml + self.text[m.start() :]
                return
        if "<sheetData/>" in self.text:
            self.text = self.text.replace("<sheetData/>", f"<sheetData>{xml}</sheetData>", 1)
        else:
            self.text = self.text.replace("</sheetData>", xml + "</sheetData>", 1)

    # --- structure ----------------------------------------------------------------
    def _insert_child(self, xml: str, before: tuple[str, ...]) -> None:
        positions = [m.start() for tag in before for m in [re.search(rf"<{tag}\b", self.text)] if m]
        pos = min(positions) if positions else self.text.rindex("</worksheet>")
        self.text = self.text[:pos] + xml + self.text[pos:]

    def has_validation(self, sqref_start: str) -> bool:
        return bool(re.search(rf'<dataValidation\b[^>]*\bsqref="{re.escape(sqref_start)}[:" ]', self.text))

    def add_validation(self, xml: str) -> None:
        self._append_counted("dataValidations", "dataValidation", xml, AFTER_VALIDATIONS)

    def _append_counted(self, container: str, child: str, xml: str, after) -> None:
        """Append `xml` to the <container count="n"> element (created where the schema wants it when
        absent) and update its count."""
        m = re.search(rf"<{container}\b[^>]*?(/>|>)", self.text)
        if m is None:
            self._insert_child(f'<{container} count="1">{xml}</{container}>', after)
            return
        if m.group(1) == "/>":
            self.text = self.text[: m.start()] + f'<{container} count="1">{xml}</{container}>' + self.text[m.end() :]
            return
        end = self.text.index(f"</{container}>")
        self.text = self.text[:end] + xml + self.text[end:]
        count = len(re.findall(rf"<{child}\b", self.text))
        self.text = re.sub(rf'(<{container}\b[^>]*?\bcount=")\d+"', rf'\g<1>{count}"', self.text, count=1)

    def set_width(self, col: int, width: float) -> None:
        """A column width, only where no <col> covers that column yet (a person's width stays)."""
        n = col + 1
        for m in re.finditer(r'<col\b([^>]*)/?>', self.text):
            lo, hi = re.search(r'\bmin="(\d+)"', m.group(1)), re.search(r'\bmax="(\d+)"', m.group(1))
            if lo and hi and int(lo.group(1)) <= n <= int(hi.group(1)):
                return
        xml = f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
        if "<cols>" in self.text:
            starts = [(int(re.search(r'\bmin="(\d+)"', m.group(1)).group(1)), m.start())
                      for m in re.finditer(r'<col\b([^>]*)/?>', self.text)]
            pos = next((p for lo, p in starts if lo > n), self.text.index("</cols>"))
            self.text = self.text[:pos] + xml + self.text[pos:]
        else:
            pos = re.search(r"<sheetData\b", self.text).start()
            self.text = self.text[:pos] + f"<cols>{xml}</cols>" + self.text[pos:]

    def add_table_part(self, rid: str) -> None:
        self._append_counted("tableParts", "tablePart", f'<tablePart xmlns:r="{REL_NS}" r:id="{rid}"/>', AFTER_TABLE_PARTS)

def _same_value(cell_xml: str, value) -> bool:
    v = re.search(r"<v>(.*?)</v>", cell_xml, re.S)
    t = re.search(r"<t\b[^>]*>(.*?)</t>", cell_xml, re.S)
    text = (t or v).group(1) if (t or v) else None
    from html import unescape

    return text is not None and unescape(text) == (repr(value) if isinstance(value, float) else str(value))


# --- tables -------------------------------------------------------------------------
def table_ref(xml: str) -> str:
    return re.search(r'<table\b[^>]*?\bref="([^"]+)"', xml).group(1)


def table_columns(xml: str) -> list[str]:
    from html import unescape

    return [unescape(n) for n in re.findall(r'<tableColumn\b[^>]*?\bname="([^"]*)"', xml)]


def resize_table(xml: str, ref: str, new_columns: list[str] = ()) -> str:
    xml = re.sub(r'(<table\b[^>]*?\bref=")[^"]+"', rf'\g<1>{ref}"', xml, count=1)
    xml = re.sub(r'(<autoFilter\b[^>]*?\bref=")[^"]+"', rf'\g<1>{ref}"', xml, count=1)
    if new_columns:
        ids = [int(i) for i in re.findall(r'<tableColumn\b[^>]*?\bid="(\d+)"', xml)]
        nxt = max(ids, default=0) + 1
        cols = "".join(f'<tableColumn id="{nxt + k}" name="{escape(name)}"/>' for k, name in enumerate(new_columns))
        xml = xml.replace("</tableColumns>", cols + "</tableColumns>", 1)
        count = len(re.findall(r"<tableColumn\b", xml))
        xml = re.sub(r'(<tableColumns\b[^>]*?\bcount=")\d+"', rf'\g<1>{count}"', xml, count=1)
    return xml


def new_table(table_id: int, name: str, ref: str, headers: list[str]) -> str:
    cols = "".join(f'<tableColumn id="{k + 1}" name="{escape(h)}"/>' for k, h in enumerate(headers))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="{table_id}" name="{name}" '
        f'displayName="{name}" ref="{ref}"><autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">{cols}'
        '</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    )


# --- workbook ------------------------------------------------------------------------
def set_defined_name(workbook: str, name: str, formula: str) -> str:
    body = escape(formula, quote=False)
    entry = f'<definedName name="{name}">{body}</definedName>'
    m = re.search(rf'<definedName\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</definedName>', workbook, re.S)
    if m:
        if m.group(1) == body:
            return workbook
        return workbook[: m.start(1)] + body + workbook[m.end(1) :]
    if "</definedNames>" in workbook:
        return workbook.replace("</definedNames>", entry + "</definedNames>", 1)
    return workbook.replace("</sheets>", f"</sheets><definedNames>{entry}</definedNames>", 1)
