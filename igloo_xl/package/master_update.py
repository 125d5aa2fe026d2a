"""The one way igloo-xl rewrites a master: replace (or add) one sheet of its own, at the package level.

Loading a master with openpyxl and saving it again drops what openpyxl does not model (form
buttons and their VML, existing charts, images, some data-validation extensions...). So the new
sheet is built in a scratch workbook with openpyxl, then only its parts (sheet XML, drawing,
charts) are spliced into the master's package; every other part of the master is copied byte
for byte. The spliced sheet carries no cell styles of its own (style indexes belong to each
package's styles.xml), which is why such sheets keep their formatting in their charts.

Before writing: the lock file and read-only checks, a dated copy in Sauvegardes/, then an atomic
replace of the master.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from posixpath import basename, dirname, join, normpath
from typing import Callable

from igloo_xl.package.atomic import atomic_target, backup, ensure_writable
from igloo_xl.read.cell_scan import sheet_parts
from igloo_xl.errors import UnusableWorkbook
from igloo_xl.read.reader import check_usable
from igloo_xl.package.styles_merge import SheetStyles

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = NS_REL + "/worksheet"
_STYLE_ATTR = re.compile(r'\s(s|style)="\d+"')


def _rels_path(part: str) -> str:
    return join(dirname(part), "_rels", basename(part) + ".rels")


def _targets(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, absolute target) of a part's relationships."""
    rels = _rels_path(part)
    if rels not in zf.namelist():
        return []
    xml = zf.read(rels).decode("utf-8")
    out = []
    for attrs in re.findall(r"<Relationship\b([^>]*)/?>", xml):
        get = lambda k: (re.search(rf'\b{k}="([^"]*)"', attrs) or [None, None])[1]
        if get("TargetMode") == "External":
            continue
        target = get("Target")
        target = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
        out.append((get("Id"), get("Type"), target))
    return out


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
    m = re.search(rf'<Override\b[^>]*PartName="/{re.escape(part)}"[^>]*ContentType="([^"]*)"', types_xml)
    if m:
        return m.group(1)
    m = re.search(rf'<Override\b[^>]*ContentType="([^"]*)"[^>]*PartName="/{re.escape(part)}"', types_xml)
    return m.group(1) if m else None


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


def splice_sheet(master: bytes, scratch: bytes, name: str, before: str | None = None) -> bytes:
    """The master package with sheet `name` replaced by (or added as) the scratch workbook's sheet."""
    src = zipfile.ZipFile(io.BytesIO(master))
    new = zipfile.ZipFile(io.BytesIO(scratch))
    names = set(src.namelist())
    workbook = src.read("xl/workbook.xml").decode("utf-8")
    wb_rels = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    types = src.read("[Content_Types].xml").decode("utf-8")
    styles = SheetStyles(src, new)

    # 1. drop the old sheet of that name with the parts only it uses
    removed: set[str] = set()
    old = sheet_parts(src).get(name)
    if old:
        removed = {p for p in _closure(src, old) if not p.startswith("xl/media/")}
        rid = next(i for i, t, target in _targets(src, "xl/workbook.xml") if target == old)
        workbook = re.sub(rf'<sheet\b[^>]*r:id="{rid}"[^>]*/>', "<!--igloo-sheet-->", workbook)
        wb_rels = re.sub(rf'<Relationship\b[^>]*Id="{rid}"[^>]*/>', "", wb_rels)
        for p in removed:
            types = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(p)}"[^>]*/>', "", types)
    names -= removed

    # 2. copy the scratch sheet's parts under fresh names
    new_types = new.read("[Content_Types].xml").decode("utf-8")
    scratch_sheet = sheet_parts(new)[name]
    parts = sorted(_closure(new, scratch_sheet), key=_natural)
    renamed = {}
    for p in parts:
        folder, file = dirname(p), basename(p)
        stem = re.sub(r"\d*\.\w+$", "", file)
        renamed[p] = _free_name(names | set(renamed.values()), folder, stem, file.rsplit(".", 1)[1])
    added: dict[str, bytes] = {}
    for p in parts:
        data = new.read(p).decode("utf-8")
        if p == scratch_sheet:
            data = styles.carry(data)
        added[renamed[p]] = data.encode("utf-8")
        rels = _rels_path(p)
        if rels in new.namelist():

            def retarget(m: re.Match, base: str = dirname(p)) -> str:
                target = m.group(2)
                absolute = target.lstrip("/") if target.startswith("/") else normpath(join(base, target))
                return f'{m.group(1)}"/{renamed[absolute]}"' if absolute in renamed else m.group(0)

            rels_xml = re.sub(r'(\bTarget=)"([^"]*)"', retarget, new.read(rels).decode("utf-8"))
            added[_rels_path(renamed[p])] = rels_xml.encode("utf-8")
        ctype = _content_type(new_types, p)
        if ctype:
            types = types.replace("</Types>", f'<Override PartName="/{renamed[p]}" ContentType="{ctype}"/></Types>')

    # 3. register the sheet in the workbook
    ids = {int(i) for i in re.findall(r'Id="rId(\d+)"', wb_rels)}
    rid = f"rId{max(ids, default=0) + 1}"
    target = renamed[scratch_sheet][len("xl/"):]
    wb_rels = wb_rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{WORKSHEET_REL}" Target="{target}"/></Relationships>')
    sheet_ids = [int(i) for i in re.findall(r'<sheet\b[^>]*sheetId="(\d+)"', workbook)]
    entry = f'<sheet name="{_xml_attr(name)}" sheetId="{max(sheet_ids, default=0) + 1}" r:id="{rid}"/>'
    if "<!--igloo-sheet-->" in workbook:  # same place as the old one: no sheet index moves
        workbook = workbook.replace("<!--igloo-sheet-->", entry)
    else:
        existing = re.findall(r'<sheet\b[^>]*name="([^"]*)"', workbook)
        position = existing.index(_xml_attr(before)) if before and _xml_attr(before) in existing else len(existing)
        if position < len(existing):
            workbook = re.sub(rf'(<sheet\b[^>]*name="{re.escape(_xml_attr(before))}")', lambda m: entry + m.group(1), workbook, count=1)
            # sheet-scoped names (print titles...) point at sheets by index: shift those after the insertion
            workbook = re.sub(r'localSheetId="(\d+)"',
                              lambda m: f'localSheetId="{int(m.group(1)) + (int(m.group(1)) >= position)}"', workbook)
        else:
            workbook = workbook.replace("</sheets>", entry + "</sheets>")
    if 'xmlns:r="' not in workbook.split(">", 2)[1] and "xmlns:r=" not in workbook[:2000]:
        raise UnusableWorkbook("Structure du classeur inattendue (espace de noms des relations absent) : rien n'a été écrit.")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = info.filename
            if part in removed or part in {_rels_path(p) for p in removed}:
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
    return out.getvalue()


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def replace_sheet(master_path, sheet_name: str, fill: Callable, *, before: str | None = None) -> Path:
    """Replace or add `sheet_name` in the master, `fill(ws)` filling a fresh openpyxl worksheet
    (values and charts on that same sheet). Everything else in the master is kept as it was."""
    path = Path(master_path)
    check_usable(path)
    ensure_writable(path)
    original = path.read_bytes()
    result = splice_sheet(original, _scratch_sheet(sheet_name, fill), sheet_name, before)
    backup(path)
    with atomic_target(path) as tmp:
        tmp.write_bytes(result)
    return path
