"""Carry a spliced sheet's cell styles into the master's styles part.

A sheet's `s="3"` points at entry 3 of its own package's cellXfs, which itself points at fonts,
fills, borders and number formats of that package. To splice a sheet built elsewhere, the
entries it uses are appended to the master's styles part (or the master's identical entry is
reused), and the sheet's indexes are rewritten to the master's. Nothing already in the master's
styles part moves, so every other sheet keeps its formats; the text is only inserted into, so
what Excel wrote there (extensions, namespaces) stays as it was. A refresh that needs no new
entry leaves the styles part byte for byte.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from posixpath import join, normpath

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
# the styleSheet's children in the schema's order (a missing section is inserted at its place)
ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
         "colors", "extLst")
FIRST_CUSTOM_FORMAT = 164
_SHEET_STYLE = re.compile(r'(<(?:c|row|col)\b[^>]*?\s(?:s|style)=")(\d+)(")')
_DXF_ID = re.compile(r'(<cfRule\b[^>]*?\sdxfId=")(\d+)(")')
_ANY_STYLE = re.compile(r'\s(s|style)="\d+"')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _canon(el: ET.Element) -> str:
    """An element as comparable text: local names, sorted attributes, children in order."""
    attrs = " ".join(f'{_local(k)}="{v}"' for k, v in sorted(el.attrib.items()))
    inner = "".join(_canon(c) for c in el)
    return f"<{_local(el.tag)} {attrs}>{inner}</{_local(el.tag)}>"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(el: ET.Element) -> str:
    """An element of the main namespace written without prefix (the master's styles part has it as default)."""
    attrs = "".join(f' {_local(k)}="{_escape(v)}"' for k, v in el.attrib.items())
    children = "".join(_xml(c) for c in el)
    return f"<{_local(el.tag)}{attrs}>{children}</{_local(el.tag)}>" if children else f"<{_local(el.tag)}{attrs}/>"


def _section(root: ET.Element, name: str) -> list[ET.Element]:
    el = root.find(f"{{{MAIN}}}{name}")
    return list(el) if el is not None else []


def _plain(el: ET.Element) -> bool:
    """No attribute or child outside the main namespace (those are not carried: the index is stripped)."""
    return all("}" not in k for k in el.attrib) and all(c.tag.startswith(f"{{{MAIN}}}") and _plain(c) for c in el)


class _Appender:
    """The master's styles text with entries appended, section by section."""

    def __init__(self, text: str):
        self.text = text
        self.root = ET.fromstring(text.encode("utf-8"))
        self.added: dict[str, list[str]] = {}
        self.canon = {name: [_canon(c) for c in _section(self.root, name)] for name in ORDER}

    def index_of(self, section: str, el: ET.Element) -> int:
        key = _canon(el)
        if key in self.canon[section]:
            return self.canon[section].index(key)
        self.canon[section].append(key)
        self.added.setdefault(section, []).append(_xml(el))
        return len(self.canon[section]) - 1

    def result(self) -> str:
        text = self.text
        for section, items in self.added.items():
            count = len(self.canon[section])
            body = "".join(items)
            full = re.search(rf"<{section}\b([^>]*?)(/?)>", text)
            if full and full.group(2) == "/":  # <dxfs count="0"/>
                attrs = _set_count(full.group(1), count)
                text = text[:full.start()] + f"<{section}{attrs}>{body}</{section}>" + text[full.end():]
            elif full:
                attrs = _set_count(full.group(1), count)
                text = text[:full.start()] + f"<{section}{attrs}>" + text[full.end():]
                text = text.replace(f"</{section}>", body + f"</{section}>", 1)
            else:
                text = _insert_section(text, section, f'<{section} count="{count}">{body}</{section}>')
        return text


def _set_count(attrs: str, count: int) -> str:
    if re.search(r'\bcount="\d*"', attrs):
        return re.sub(r'\bcount="\d*"', f'count="{count}"', attrs)
    return f'{attrs} count="{count}"'


def _insert_section(text: str, section: str, xml: str) -> str:
    for later in ORDER[ORDER.index(section) + 1:]:
        m = re.search(rf"<{later}\b", text)
        if m:
            return text[:m.start()] + xml + text[m.start():]
    return text.replace("</styleSheet>", xml + "</styleSheet>", 1)


def styles_part(zf: zipfile.ZipFile) -> str | None:
    rels = "xl/_rels/workbook.xml.rels"
    if rels not in zf.namelist():
        return None
    for attrs in re.findall(r"<Relationship\b([^>]*)/?>", zf.read(rels).decode("utf-8")):
        if f'Type="{STYLES_REL}"' in attrs:
            target = re.search(r'Target="([^"]*)"', attrs).group(1)
            part = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
            return part if part in zf.namelist() else None
    return None


class SheetStyles:
    """The styles a scratch sheet uses, carried into the master (`carry`), and the master's new styles part."""

    def __init__(self, master: zipfile.ZipFile, scratch: zipfile.ZipFile):
        self.part = styles_part(master)
        self._master_text = master.read(self.part).decode("utf-8") if self.part else None
        scratch_part = styles_part(scratch)
        self._scratch = ET.fromstring(scratch.read(scratch_part)) if scratch_part else None
        self.xml: bytes | None = None  # the master's styles part when it changed

    def _usable(self) -> bool:
        if self._master_text is None or self._scratch is None:
            return False
        head = re.search(r"<([\w.-]+:)?styleSheet\b([^>]*)>", self._master_text)
        return bool(head) and head.group(1) is None and f'xmlns="{MAIN}"' in head.group(2)

    def carry(self, sheet_xml: str) -> str:
        """The scratch sheet's XML with its style indexes pointing into the master's styles part
        (or, when that part cannot be merged into safely, without any style index)."""
        if not self._usable():
            return _ANY_STYLE.sub("", sheet_xml)
        try:
            out = self._carry(sheet_xml)
        except (ET.ParseError, IndexError, ValueError):
            return _ANY_STYLE.sub("", sheet_xml)
        return out

    def _carry(self, sheet_xml: str) -> str:
        app = _Appender(self._master_text)
        src = self._scratch
        fonts, fills, borders = (_section(src, n) for n in ("fonts", "fills", "borders"))
        xfs, dxfs = _section(src, "cellXfs"), _section(src, "dxfs")
        if not all(_plain(e) for e in (*fonts, *fills, *borders, *xfs, *dxfs)):
            raise ValueError("styles outside the main namespace")
        formats = {e.get("numFmtId"): e.get("formatCode") for e in _section(src, "numFmts")}
        master_formats = {e.get("formatCode"): e.get("numFmtId") for e in _section(app.root, "numFmts")}
        taken = [int(e.get("numFmtId")) for e in _section(app.root, "numFmts")]
        xf_map: dict[int, int] = {0: 0}

        def format_id(fid: str) -> str:
            if fid not in formats:  # built-in
                return fid
            code = formats[fid]
            if code not in master_formats:
                new = max([FIRST_CUSTOM_FORMAT - 1, *taken]) + 1
                taken.append(new)
                master_formats[code] = str(new)
                app.index_of("numFmts", ET.Element(f"{{{MAIN}}}numFmt", {"numFmtId": str(new), "formatCode": code}))
            return master_formats[code]

        def xf_index(i: int) -> int:
            if i not in xf_map:
                xf = ET.fromstring(ET.tostring(xfs[i]))
                for attr, section, items in (("fontId", "fonts", fonts), ("fillId", "fills", fills),
                                             ("borderId", "borders", borders)):
                    xf.set(attr, str(app.index_of(section, items[int(xf.get(attr, "0"))])))
                xf.set("numFmtId", format_id(xf.get("numFmtId", "0")))
                xf.set("xfId", "0")
                xf_map[i] = app.index_of("cellXfs", xf)
            return xf_map[i]

        dxf_map: dict[int, int] = {}

        def dxf_index(i: int) -> int:
            if i not in dxf_map:
                dxf_map[i] = app.index_of("dxfs", dxfs[i])
            return dxf_map[i]

        sheet_xml = _SHEET_STYLE.sub(lambda m: f"{m.group(1)}{xf_index(int(m.group(2)))}{m.group(3)}", sheet_xml)
        sheet_xml = _DXF_ID.sub(lambda m: f"{m.group(1)}{dxf_index(int(m.group(2)))}{m.group(3)}", sheet_xml)
        if app.added:
            self.xml = app.result().encode("utf-8")
        return sheet_xml
