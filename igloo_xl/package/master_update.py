"""The one way igloo-xl rewrites a master: replace (or add) one sheet of its own, at the package level.

Loading a master with openpyxl and saving it again drops what openpyxl does not model (form
buttons and their VML, existing charts, images, some data-validation extensions...). So the new
sheet is built in a scratch workbook with openpyxl, then only its parts (sheet XML, drawing,
charts) are spliced into the master's package; every other part of the master is copied byte
for byte, except the styles part: the formats the new sheet uses are appended to it (existing
entries keep their indexes; `styles_merge`).

The package XML is edited as text to keep it byte for byte elsewhere; element prefixes (`x:sheet`,
valid OOXML written by some tools) and either quote style are understood. The result is then
checked with a real XML parser (the sheet is registered once, its part exists, every workbook
relationship points at a part): anything else is refused and nothing is written. Sheet names
are matched ignoring case, as Excel does, so a sheet that staff renamed « TABLEAU DE BORD » is
replaced in place under its own name.

Before writing: igloo-xl's own lock (one rewrite at a time), Excel's lock file and the read-only
checks, a dated copy in Sauvegardes/, then an atomic replace of the file (through a symbolic link).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from posixpath import basename, dirname, join, normpath
from typing import Callable
from xml.etree import ElementTree

from igloo_xl.errors import UnusableWorkbook
from igloo_xl.package.atomic import atomic_target, backup, ensure_writable, real_path
from igloo_xl.package.master_lock import master_lock
from igloo_xl.read.reader import check_usable
from igloo_xl.package.styles_merge import SheetStyles

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = NS_REL + "/worksheet"
_REL_NAMESPACES = (NS_REL, "http://purl.oclc.org/ooxml/officeDocument/relationships")
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLE_ATTR = re.compile(r'\s(s|style)="\d+"')
_PLACE = "<!--igloo-sheet-->"


def _refuse(why: str) -> UnusableWorkbook:
    return UnusableWorkbook(f"Structure du classeur inattendue ({why}) : rien n'a été écrit.")


def _attr(attrs: str, name: str) -> str | None:
    """An attribute's value (either quote style), unescaped; `name` may carry a prefix (r:id)."""
    m = re.search(rf'(?<![\w:.-]){re.escape(name)}\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', attrs)
    if not m:
        return None
    return html.unescape(m.group(1) if m.group(1) is not None else m.group(2))


def _prefix(xml: str, local: str) -> str:
    """The prefix ('x:' or '') with which the document writes element `local`."""
    m = re.search(rf"<([\w.-]+:)?{local}\b", xml)
    return (m.group(1) or "") if m else ""


def _elements(xml: str, prefix: str, local: str) -> list[re.Match]:
    """Every `<prefix:local .../>` (or empty `<...></...>`) element, with its attributes as group 'attrs'."""
    p = re.escape(prefix)
    return list(re.finditer(rf"<{p}{local}\b(?P<attrs>[^>]*?)(?:/>|>\s*</{p}{local}\s*>)", xml))


def _rels_path(part: str) -> str:
    return join(dirname(part), "_rels", basename(part) + ".rels")


def _absolute(base_part: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else normpath(join(dirname(base_part), target))


def _targets(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, absolute target) of a part's internal relationships."""
    rels = _rels_path(part)
    if rels not in zf.namelist():
        return []
    xml = zf.read(rels).decode("utf-8")
    out = []
    for m in _elements(xml, _prefix(xml, "Relationship"), "Relationship"):
        attrs = m.group("attrs")
        if _attr(attrs, "TargetMode") == "External" or _attr(attrs, "Target") is None:
            continue
        out.append((_attr(attrs, "Id"), _attr(attrs, "Type"), _absolute(part, _attr(attrs, "Target"))))
    return out


@dataclass
class SheetEntry:
    name: str
    rid: str
    part: str | None
    match: re.Match


def _rel_prefix(workbook: str) -> str:
    for ns in _REL_NAMESPACES:
        m = re.search(rf'xmlns:([\w.-]+)\s*=\s*["\']{re.escape(ns)}["\']', workbook)
        if m:
            return m.group(1)
    raise _refuse("espace de noms des relations absent")


def _sheets(zf: zipfile.ZipFile) -> list[SheetEntry]:
    workbook = zf.read("xl/workbook.xml").decode("utf-8")
    r = _rel_prefix(workbook)
    parts = {rid: target for rid, _, target in _targets(zf, "xl/workbook.xml")}
    out = []
    for m in _elements(workbook, _prefix(workbook, "workbook"), "sheet"):
        name, rid = _attr(m.group("attrs"), "name"), _attr(m.group("attrs"), f"{r}:id")
        if name is not None and rid is not None:
            out.append(SheetEntry(name, rid, parts.get(rid), m))
    return out


def find_sheet(package: bytes, name: str) -> str | None:
    """The name, as the workbook spells it, of the sheet called `name` ignoring case (as Excel does)."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return next((s.name for s in _sheets(zf) if s.name.casefold() == name.casefold()), None)


def _closure(zf: zipfile.ZipFile, part: str) -> list[str]:
    """A part and every part reachable from it (drawings, charts, their styles)."""
    seen, todo = [], [part]
    while todo:
        p = todo.pop()
        if p in seen or p not in zf.namelist():
            continue
        seen.append(p)
        todo.extend(t for _, _, t in _targets(zf, p))
    return seen


def _content_type(types_xml: str, part: str) -> str | None:
    for m in _elements(types_xml, _prefix(types_xml, "Types"), "Override"):
        if _attr(m.group("attrs"), "PartName") == "/" + part:
            return _attr(m.group("attrs"), "ContentType")
    return None


def _scratch_sheet(name: str, fill: Callable) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = name
    fill(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _natural(part: str):
    """chart2 before chart10: parts keep their order (and their names where free)."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", part)]


def _free_name(names: set[str], folder: str, stem: str, ext: str) -> str:
    i = 1
    while f"{folder}/{stem}{i}.{ext}" in names:
        i += 1
    return f"{folder}/{stem}{i}.{ext}"


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _no_dtd(*docs: str) -> None:
    if any("<!DOCTYPE" in d or "<!ENTITY" in d for d in docs):
        raise _refuse("déclaration DTD, jamais écrite par Excel")


def splice_sheet(master: bytes, scratch: bytes, name: str, before: str | None = None) -> bytes:
    """The master package with sheet `name` (matched ignoring case) replaced by, or added as, the scratch
    workbook's sheet."""
    src = zipfile.ZipFile(io.BytesIO(master))
    new = zipfile.ZipFile(io.BytesIO(scratch))
    names = set(src.namelist())
    workbook = src.read("xl/workbook.xml").decode("utf-8")
    wb_rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    types = src.read("[Content_Types].xml").decode("utf-8")
    _no_dtd(workbook, wb_rels, types)
    wp, rp, tp, r = _prefix(workbook, "workbook"), _prefix(wb_rels, "Relationships"), _prefix(types, "Types"), _rel_prefix(workbook)
    sheets = _sheets(src)
    styles = SheetStyles(src, new)

    # 1. drop the old sheet of that name with the parts only it uses
    removed: set[str] = set()
    old = next((s for s in sheets if s.name.casefold() == name.casefold()), None)
    if old:
        name = old.name
        if old.part:
            removed = {p for p in _closure(src, old.part) if not p.startswith("xl/media/")}
        workbook = workbook.replace(old.match.group(0), _PLACE, 1)
        wb_rels = _drop_relationship(wb_rels, rp, old.rid)
        for m in _elements(types, tp, "Override"):
            if (_attr(m.group("attrs"), "PartName") or "").lstrip("/") in removed:
                types = types.replace(m.group(0), "", 1)
    names -= removed

    # 2. copy the scratch sheet's parts under fresh names
    new_types = new.read("[Content_Types].xml").decode("utf-8")
    scratch_sheet = _sheets(new)[0].part
    parts = sorted(_closure(new, scratch_sheet), key=_natural)
    renamed = {}
    for p in parts:
        folder, file = dirname(p), basename(p)
        stem = re.sub(r"\d*\.\w+$", "", file)
        renamed[p] = _free_name(names | set(renamed.values()), folder, stem, file.rsplit(".", 1)[1])
    added: dict[str, bytes] = {}
    overrides = []
    for p in parts:
        data = new.read(p).decode("utf-8")
        if p == scratch_sheet:
            data = styles.carry(data)
        added[renamed[p]] = data.encode("utf-8")
        rels = _rels_path(p)
        if rels in new.namelist():

            def retarget(m: re.Match, base: str = p) -> str:
                absolute = _absolute(base, m.group(2))
                return f'{m.group(1)}"/{renamed[absolute]}"' if absolute in renamed else m.group(0)

            rels_xml = re.sub(r'(\bTarget=)"([^"]*)"', retarget, new.read(rels).decode("utf-8"))
            added[_rels_path(renamed[p])] = rels_xml.encode("utf-8")
        ctype = _content_type(new_types, p)
        if ctype:
            overrides.append(f'<{tp}Override PartName="/{renamed[p]}" ContentType="{ctype}"/>')
    types = _insert_before_close(types, tp, "Types", "".join(overrides))

    # 3. register the sheet in the workbook
    ids = {_attr(m.group("attrs"), "Id") for m in _elements(wb_rels, rp, "Relationship")}
    n = 1 + max((int(i[3:]) for i in ids if i and re.fullmatch(r"rId\d+", i)), default=0)
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    target = renamed[scratch_sheet][len("xl/"):]
    wb_rels = _insert_before_close(wb_rels, rp, "Relationships", f'<{rp}Relationship Id="{rid}" Type="{WORKSHEET_REL}" Target="{target}"/>')
    sheet_ids = [int(i) for s in sheets if (i := _attr(s.match.group("attrs"), "sheetId") or "").isdigit()]
    entry = f'<{wp}sheet name="{_xml_attr(name)}" sheetId="{max(sheet_ids, default=0) + 1}" {r}:id="{rid}"/>'
    if _PLACE in workbook:  # same place as the old one: no sheet index moves
        workbook = workbook.replace(_PLACE, entry)
    else:
        kept = [s for s in sheets if s is not old]
        position = next((i for i, s in enumerate(kept) if before and s.name.casefold() == before.casefold()), len(kept))
        if position < len(kept):
            workbook = workbook.replace(kept[position].match.group(0), entry + kept[position].match.group(0), 1)
            # sheet-scoped names (print titles...) point at sheets by index: shift those after the insertion
            workbook = re.sub(r'localSheetId="(\d+)"',
                              lambda m: f'localSheetId="{int(m.group(1)) + (int(m.group(1)) >= position)}"', workbook)
        else:
            workbook = _insert_before_close(workbook, wp, "sheets", entry)

    out = io.BytesIO()
    dropped = removed | {_rels_path(p) for p in removed}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = info.filename
            if part in dropped:
                continue
            if part == "xl/workbook.xml":
                dst.writestr(info, workbook.encode("utf-8"))
            elif part == "xl/_rels/workbook.xml.rels":
                dst.writestr(info, wb_rels.encode("utf-8"))
            elif part == "[Content_Types].xml":
                dst.writestr(info, types.encode("utf-8"))
            elif part == styles.part and styles.xml is not None:
                dst.writestr(info, styles.xml)
            else:
                dst.writestr(info, src.read(part))
        for part, data in added.items():
            dst.writestr(part, data)
    result = out.getvalue()
    check_registered(result, name)
    return result


def _drop_relationship(rels: str, prefix: str, rid: str) -> str:
    for m in _elements(rels, prefix, "Relationship"):
        if _attr(m.group("attrs"), "Id") == rid:
            return rels.replace(m.group(0), "", 1)
    return rels


def _insert_before_close(xml: str, prefix: str, local: str, text: str) -> str:
    close = re.compile(rf"</{re.escape(prefix)}{local}\s*>")
    found = list(close.finditer(xml))
    if not found:
        raise _refuse(f"élément {local} introuvable")
    at = found[-1].start()
    return xml[:at] + text + xml[at:]


def _parse(zf: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(zf.read(part))
    except (KeyError, ElementTree.ParseError):
        raise _refuse(f"partie {part} illisible") from None


def check_registered(package: bytes, name: str) -> None:
    """Read the result back with an XML parser: the sheet `name` is there once, as a worksheet whose part
    and content type exist, and no sheet of the workbook points at a missing part."""
    zf = zipfile.ZipFile(io.BytesIO(package))
    members = set(zf.namelist())
    workbook = _parse(zf, "xl/workbook.xml")
    rels = _parse(zf, "xl/_rels/workbook.xml.rels")
    types = _parse(zf, "[Content_Types].xml")
    targets = {}
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        part = _absolute("xl/workbook.xml", rel.get("Target", ""))
        if part not in members and (rel.get("Type") or "").endswith("sheet"):
            raise _refuse(f"feuille sans sa partie : {part}")
        targets[rel.get("Id")] = (rel.get("Type"), part)
    found = []
    for el in workbook.iter():
        if el.tag.endswith("}sheet") and (el.get("name") or "").casefold() == name.casefold():
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id") and k[1:].split("}")[0] in _REL_NAMESPACES), None)
            found.append(targets.get(rid))
    if len(found) != 1 or found[0] is None or not found[0][0].endswith("/worksheet"):
        raise _refuse(f"la feuille « {name} » n'a pas pu être inscrite dans le classeur")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{_TYPES}}}Override")}
    if overrides.get("/" + found[0][1]) != _WORKSHEET_TYPE:
        raise _refuse(f"type de la feuille « {name} » non déclaré")


def replace_sheet(master_path, sheet_name: str, fill: Callable, *, before: str | None = None) -> Path:
    """Replace or add `sheet_name` in the master, `fill(ws)` filling a fresh openpyxl worksheet
    (values and charts on that same sheet). Everything else in the master is kept as it was.
    A sheet of that name in another case keeps its name and place."""
    shown = Path(master_path)
    check_usable(shown)
    path = real_path(shown)
    with master_lock(path):
        ensure_writable(shown)
        original = path.read_bytes()
        name = find_sheet(original, sheet_name) or sheet_name
        result = splice_sheet(original, _scratch_sheet(name, fill), name, before)
        backup(path)
        with atomic_target(path) as tmp:
            tmp.write_bytes(result)
    return shown
