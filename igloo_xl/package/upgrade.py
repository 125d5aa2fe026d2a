"""`igloo-xl upgrade`: bring a version-1 master to the current contract without touching what staff typed.

What is added, only where it is missing: the sheets Heures and Mesures (Excel tables with dropdowns
and input messages, as `init` writes them), the Parcours columns Mode de réalisation and Public
(after the last used column, the table grown when it ends there), the Paramètres settings of
version 2 (identity, facilitator, penalty, minimum hours, left empty for staff to fill), the
eligible publics, the fixed lists of version 2 and their names, and a Budget Compte dropdown that
lets sub-accounts through. Every other part of the package (VBA project, buttons, charts, styles,
other sheets) is copied byte for byte; a second run finds nothing to do and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from igloo_xl.errors import UpgradeRefused
from igloo_xl.package import sheet_xml as X
from igloo_xl.package.atomic import atomic_target, backup, ensure_writable
from igloo_xl.package.master_lock import master_lock
from igloo_xl.package.master_update import _rels_path, _targets, splice_sheet
from igloo_xl.read.cell_scan import sheet_parts
from igloo_xl.read.grid import letter
from igloo_xl.read.reader import RawSheet, check_usable, read_workbook
from igloo_xl.read.text import fold
from igloo_xl.read.values import is_blank

TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CORE_SHEETS = ("Familles", "Parcours", "Lots")


@dataclass
class UpgradeResult:
    path: Path
    added: list[str] = field(default_factory=list)  # what was added, in French, for the person
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added)


class _Package:
    """The master's parts as text where edited, bytes otherwise; written back in the original order."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zip.namelist()
        self.edited: dict[str, str] = {}
        self.new: dict[str, bytes] = {}
        self.sheets = sheet_parts(self.zip)

    def text(self, part: str) -> str:
        if part in self.edited:
            return self.edited[part]
        if part in self.new:
            return self.new[part].decode("utf-8")
        return self.zip.read(part).decode("utf-8")

    def put(self, part: str, text: str) -> None:
        if part in self.names:
            if text != self.zip.read(part).decode("utf-8"):
                self.edited[part] = text
        else:
            self.new[part] = text.encode("utf-8")

    def sheet(self, name: str) -> tuple[str, X.SheetXml]:
        part = self.sheets[name]
        try:
            return part, X.SheetXml(self.text(part))
        except ValueError:
            raise UpgradeRefused(
                f"La feuille « {name} » est enregistrée dans une forme XML que la mise à niveau ne sait pas modifier : "
                "ouvrez le classeur dans Excel, enregistrez-le, puis relancez. Rien n'a été modifié."
            ) from None

    def tables(self, sheet: str) -> dict[str, str]:
        """Table name -> part, for the tables of one sheet."""
        out = {}
        for _, kind, target in _targets(self.zip, self.sheets[sheet]):
            if kind == TABLE_REL and target in self.names:
                m = re.search(r'<table\b[^>]*?\bname="([^"]*)"', self.text(target))
                if m:
                    out[m.group(1)] = target
        return out

    def all_table_ids(self) -> list[int]:
        ids = []
        for p in [*self.names, *self.new]:
            if p.startswith("xl/tables/") and p.endswith(".xml"):
                m = re.search(r'<table\b[^>]*?\bid="(\d+)"', self.text(p))
                if m:
                    ids.append(int(m.group(1)))
        return ids

    def add_table(self, sheet: str, name: str, ref: str, headers: list[str]) -> None:
        taken = set(self.names) | set(self.new)
        i = 1
        while f"xl/tables/table{i}.xml" in taken:
            i += 1
        part = f"xl/tables/table{i}.xml"
        self.put(part, X.new_table(max(self.all_table_ids(), default=0) + 1, name, ref, headers))
        sheet_part = self.sheets[sheet]
        rels = _rels_path(sheet_part)
        xml = self.text(rels) if rels in self.names or rels in self.new else (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        ids = {int(n) for n in re.findall(r'Id="rId(\d+)"', xml)}
        rid = f"rId{max(ids, default=0) + 1}"
        xml = xml.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{TABLE_REL}" Target="/{part}"/></Relationships>')
        self.put(rels, xml)
        _, sx = self.sheet(sheet)
        sx.add_table_part(rid)
        self.put(sheet_part, sx.text)
        types = self.text("[Content_Types].xml")
        self.put("[Content_Types].xml", types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{TABLE_TYPE}"/></Types>'))

    def build(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in self.zip.infolist():
                if info.filename in self.edited:
                    dst.writestr(info, self.edited[info.filename].encode("utf-8"))
                else:
                    dst.writestr(info, self.zip.read(info.filename))
            for part, data in self.new.items():
                dst.writestr(part, data)
        return out.getvalue()


def _used_width(rows: list[list]) -> int:
    """Number of columns up to the last non-empty cell of the sheet."""
    width = 0
    for row in rows:
        for c in range(len(row) - 1, -1, -1):
            if not is_blank(row[c]):
                width = max(width, c + 1)
                break
    return width


def _column_empty(rows: list[list], col: int, from_row: int = 0) -> bool:
    return all(col >= len(row) or is_blank(row[col]) for row in rows[from_row:])


def _validation_xml(col, bounds, sheet: str, sqref: str) -> str | None:
    from openpyxl.xml.functions import tostring

    from igloo_xl.package.master_writer import _validation

    dv = _validation(col, bounds, sheet)
    if dv is None:
        return None
    dv.sqref = sqref
    return tostring(dv.to_tree()).decode("utf-8")


# --- Parcours -------------------------------------------------------------------------------
def _sheet_columns(pkg: _Package, raw: RawSheet, spec, data, ctx, added: list[str]) -> None:
    """Add the later columns of a sheet (header, width, dropdown) after its last used column."""
    from igloo_xl.package.master_writer import VALIDATION_ROWS, _bounds

    missing = [c for c in spec.columns if c.since > 1 and c.key in data.missing]
    if not missing:
        return
    part, sx = pkg.sheet(data.name)
    header_row = data.header_row
    rows = raw.rows
    col = _used_width(rows[header_row - 1 : header_row]) if header_row - 1 < len(rows) else 0
    tables = pkg.tables(data.name)
    table_part = tables.get(spec.table)
    if table_part:
        c1, r1, c2, r2 = X.parse_ref(X.table_ref(pkg.text(table_part)))
        col = max(col, c2 + 1)
    while not _column_empty(rows, col, header_row - 1) or not _column_empty(rows, col + len(missing) - 1, header_row - 1):
        col += 1
    style = sx.cell_style(X.col_index(data.letters[spec.columns[0].key]), header_row) if spec.columns[0].key in data.letters else ""

    bounds = _bounds(spec, ctx)
    for k, c in enumerate(missing):
        sx.set_cell(col + k, header_row, c.header, style)
        sx.set_width(col + k, c.width)
        L = letter(col + k)
        dv = _validation_xml(c, bounds.get(c.key), spec.name, f"{L}{header_row + 1}:{L}{header_row + VALIDATION_ROWS}")
        if dv and not sx.has_validation(f"{L}{header_row + 1}"):
            sx.add_validation(dv)
        added.append(f"colonne « {c.header} » dans {data.name} (colonne {L})")
    pkg.put(part, sx.text)
    if table_part:
        xml = pkg.text(table_part)
        c1, r1, c2, r2 = X.parse_ref(X.table_ref(xml))
        if c2 + 1 == col and r1 == header_row:
            pkg.put(table_part, X.resize_table(xml, X.make_ref(c1, r1, col + len(missing) - 1, r2), [c.header for c in missing]))


# --- Budget ---------------------------------------------------------------------------------
def _budget_account(pkg: _Package, data, added: list[str]) -> None:
    """The v1 Compte dropdown stops any value outside its list: let sub-accounts and CI through."""
    part, sx = pkg.sheet(data.name)
    text = sx.text
    m = re.search(r"<dataValidation\b([^>]*)>\s*<formula1>\s*liste_Compte\s*</formula1>", text)
    if m is None or 'errorStyle="information"' in m.group(1):
        return
    attrs = re.sub(r'\serrorStyle="[^"]*"', "", m.group(1))
    attrs = re.sub(r'(\serror=")[^"]*"', r'\1Cette valeur n&apos;est pas dans la liste : vérifiez-la."', attrs)
    text = text[: m.start(1)] + ' errorStyle="information"' + attrs + text[m.end(1) :]
    pkg.put(part, text)
    added.append("liste « Compte » du Budget ouverte aux sous-comptes (604, 6226…) et à CI")


# --- Paramètres -----------------------------------------------------------------------------
def _parametres(pkg: _Package, raw: RawSheet, params, added: list[str]) -> None:
    from igloo_xl.model.params import BLOCKS, TABLES, V2_SETTINGS, _block
    from igloo_xl.package.master_writer import EDITABLE_LISTS, PARAM_WIDTHS, list_name
    from igloo_xl.schemas.lists import DEFAULT_PUBLICS, FIXED

    name = raw.name
    rows = raw.rows
    part, sx = pkg.sheet(name)
    workbook = pkg.text("xl/workbook.xml")
    quoted = "'" + name.replace("'", "''") + "'"
    tables = pkg.tables(name)

    # 1. settings of version 2, under the settings block
    r0, cols = _block(rows, BLOCKS["settings"])
    missing = [s for s in V2_SETTINGS if s in params.missing_v2]
    if missing and r0 is not None and "Valeur" in cols:
        c_name, c_note = cols["Paramètre"], cols.get("Commentaire")
        last = r0
        for r in range(r0 + 1, len(rows)):
            if c_name < len(rows[r]) and not is_blank(rows[r][c_name]):
                last = r
        body_style = sx.cell_style(c_name, last + 1)
        notes = _setting_notes()
        for k, setting in enumerate(missing):
            excel_row = last + 2 + k
            for c, v in ((c_name, setting), (c_note, notes.get(setting, ""))):
                if c is not None and v:
                    _fill(sx, c, excel_row, v, body_style, name)
        table = tables.get(TABLES["settings"])
        if table:
            c1, r1, c2, r2 = X.parse_ref(X.table_ref(pkg.text(table)))
            if r2 <= last + 1 + len(missing):
                pkg.put(table, X.resize_table(pkg.text(table), X.make_ref(c1, r1, c2, last + 1 + len(missing))))
        added.append(f"{len(missing)} paramètres dans {name} (identité, facilitateur, pénalité, heures minimales), à compléter")

    # 2. the contract's fixed lists, as version 2 has them
    header_row, lists_part = None, tables.get("t_Listes")
    if lists_part:
        xml = pkg.text(lists_part)
        c1, r1, c2, r2 = X.parse_ref(X.table_ref(xml))
        present = X.table_columns(xml)
        header_row = r1
        header_style = sx.cell_style(c1, r1)
        new_labels = [label for label in FIXED if label not in present]
        changed_lists = []
        for label, values in FIXED.items():
            if label not in present:
                continue
            c = c1 + present.index(label)
            typed = [rows[r][c] if r < len(rows) and c < len(rows[r]) else None for r in range(r1, r2)]
            wanted = list(values) + [None] * max(0, len(typed) - len(values))
            if [None if is_blank(v) else str(v) for v in typed] + [None] * (len(wanted) - len(typed)) != [
                None if v is None else str(v) for v in wanted]:
                for k, v in enumerate(wanted):
                    sx.set_cell(c, r1 + 1 + k, v, overwrite=True)
                changed_lists.append(label)
            workbook = X.set_defined_name(workbook, list_name(label), f"{quoted}!${letter(c)}${r1 + 1}:${letter(c)}${r1 + len(values)}")
        for k, label in enumerate(new_labels):
            c = c2 + 1 + k
            if not _column_empty(rows, c, r1 - 1):
                raise UpgradeRefused(f"La colonne {letter(c)} de « {name} » n'est pas vide : la liste « {label} » ne peut pas y être ajoutée. Rien n'a été modifié.")
            _fill(sx, c, r1, label, header_style, name)
            for j, v in enumerate(FIXED[label]):
                _fill(sx, c, r1 + 1 + j, v, "", name)
            sx.set_width(c, max(14, len(label) + 2))
            workbook = X.set_defined_name(workbook, list_name(label), f"{quoted}!${letter(c)}${r1 + 1}:${letter(c)}${r1 + len(FIXED[label])}")
        longest = max(len(v) for v in FIXED.values())
        new_ref = X.make_ref(c1, r1, c2 + len(new_labels), max(r2, r1 + longest))
        if new_labels or new_ref != X.table_ref(xml):
            pkg.put(lists_part, X.resize_table(xml, new_ref, new_labels))
        if new_labels or changed_lists:
            added.append("listes fixes de la version 2 (" + ", ".join(new_labels + changed_lists) + ")")

    # 3. the eligible publics, a block of their own right of everything else
    if "Public éligible" in params.missing_v2:
        row = header_row or ((r0 + 1) if r0 is not None else 4)
        width = _used_width(rows)
        if lists_part:  # the lists may have grown just now
            width = max(width, X.parse_ref(X.table_ref(pkg.text(lists_part)))[2] + 1)
        c = width + 1
        headers = list(BLOCKS["publics"])
        style = sx.cell_style(X.parse_ref(X.table_ref(pkg.text(lists_part)))[0], row) if lists_part else ""
        for j, h in enumerate(headers):
            _fill(sx, c + j, row, h, style, name)
            sx.set_width(c + j, PARAM_WIDTHS["publics"][j])
        for i, public in enumerate(DEFAULT_PUBLICS, start=1):
            _fill(sx, c, row + i, public, "", name)
        pkg.put(part, sx.text)
        pkg.add_table(name, TABLES["publics"], X.make_ref(c, row, c + 1, row + len(DEFAULT_PUBLICS)), headers)
        _, sx = pkg.sheet(name)
        first = letter(c)
        workbook = X.set_defined_name(
            workbook, EDITABLE_LISTS["publics"],
            f"OFFSET({quoted}!${first}${row + 1},0,0,MAX(1,COUNTA({quoted}!${first}${row + 1}:${first}${row + 500})),1)")
        added.append(f"publics éligibles dans {name} (colonne {first})")
    pkg.put(part, sx.text)
    pkg.put("xl/workbook.xml", workbook)


def _fill(sx: X.SheetXml, col: int, row: int, value, style: str, sheet: str) -> None:
    try:
        sx.set_cell(col, row, value, style)
    except X.OccupiedCell as exc:
        raise UpgradeRefused(
            f"La cellule {exc.ref} de « {sheet} » contient déjà une saisie à l'endroit où la mise à niveau doit écrire : "
            "déplacez-la puis relancez. Rien n'a été modifié."
        ) from None


def _setting_notes() -> dict[str, str]:
    from igloo_xl.model.params import SETTING_MIN_HOURS, SETTING_PENALTY

    return {
        "Nom de l'association": "Identité imprimée sur les formulaires des financeurs",
        "SIRET": "14 chiffres",
        "N° RNA ou registre des associations": "Numéro RNA (W…), ou en Alsace-Moselle : registre du tribunal judiciaire, volume et folio",
        "Adresse du siège": "",
        "Représentant légal": "Signataire des demandes de subvention",
        "Qualité du représentant légal": "Président(e), trésorier(ère)…",
        "Facilitateur de la clause d'insertion": "Personne qui suit les clauses d'insertion",
        "Structure du facilitateur": "Par exemple la Maison de l'Emploi et de la Formation (MEF) de Mulhouse",
        "Courriel du facilitateur": "",
        "Téléphone du facilitateur": "",
        SETTING_PENALTY: "Vide = pas de pénalité dans le texte de la clause",
        SETTING_MIN_HOURS: "Un lot qui doit moins d'heures n'a pas de clause ; vide = pas de minimum",
    }


# --- new sheets -----------------------------------------------------------------------------
def _scratch(spec, ctx) -> bytes:
    from openpyxl import Workbook

    from igloo_xl.package.master_writer import _data_sheet

    wb = Workbook()
    wb.remove(wb.active)
    _data_sheet(wb, spec, [], ctx)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _renumber_tables(scratch: bytes, first_id: int) -> bytes:
    """Table ids are unique in a workbook: give the scratch sheet's tables ids the master does not use."""
    src = zipfile.ZipFile(io.BytesIO(scratch))
    out = io.BytesIO()
    n = first_id
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/tables/"):
                data = re.sub(rb'(<table\b[^>]*?\bid=")\d+"', b'\\g<1>' + str(n).encode() + b'"', data, count=1)
                n += 1
            dst.writestr(info, data)
    return out.getvalue()


def _add_sheet(package: bytes, spec, ctx, before: str | None, header_style: str) -> bytes:
    pkg = _Package(package)
    scratch = _renumber_tables(_scratch(spec, ctx), max(pkg.all_table_ids(), default=0) + 1)
    result = splice_sheet(package, scratch, spec.name, before)
    # print titles: the header row repeats on every printed page, as in `init`
    pkg = _Package(result)
    names = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', pkg.text("xl/workbook.xml"))
    index = names.index(escape(spec.name))
    workbook = pkg.text("xl/workbook.xml")
    entry = f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{index}\">'{spec.name}'!$1:$1</definedName>"
    workbook = workbook.replace("</definedNames>", entry + "</definedNames>", 1) if "</definedNames>" in workbook else workbook
    pkg.put("xl/workbook.xml", workbook)
    if header_style:  # the spliced sheet has no styles of its own: its headers take the master's header style
        part = pkg.sheets[spec.name]
        text = pkg.text(part)
        row = re.search(r'<row\b[^>]*\br="1"[^>]*>.*?</row>', text, re.S)
        if row:
            styled = re.sub(r'<c\b(?![^>]*\ss=")', f'<c s="{header_style}"', row.group(0))
            pkg.put(part, text[: row.start()] + styled + text[row.end() :])
    return pkg.build()


# --- the command ----------------------------------------------------------------------------
def plan_and_apply(original: bytes, path: Path) -> tuple[bytes, list[str]]:
    from igloo_xl.model.master import from_raw
    from igloo_xl.model.params import SHEET as PARAMS
    from igloo_xl.schemas import SHEETS
    from igloo_xl.schemas.base import Context

    book = read_workbook(path)
    master = from_raw(book)
    by_fold = {fold(n): s for n, s in book.sheets.items()}
    if fold(PARAMS) not in by_fold or not all(n in master.sheets for n in CORE_SHEETS):
        raise UpgradeRefused(
            f"« {path.name} » n'est pas un classeur maître IGLOO (feuilles Familles, Lots, Parcours et Paramètres attendues) : "
            "rien n'a été modifié."
        )
    pkg = _Package(original)
    actual = {fold(n): n for n in pkg.sheets}
    for sheet in [*CORE_SHEETS, PARAMS]:
        if fold(sheet) in actual and actual[fold(sheet)] not in pkg.sheets:
            raise UpgradeRefused(f"Feuille « {sheet} » introuvable dans le classeur : rien n'a été modifié.")
    added: list[str] = []
    ctx = Context(today=dt.date.today(), params=master.params)
    for name, spec in SHEETS.items():
        if name in master.sheets and any(c.since > 1 for c in spec.columns):
            _sheet_columns(pkg, by_fold[fold(name)], spec, master.sheets[name], ctx, added)
    if "Budget" in master.sheets:
        _budget_account(pkg, master.sheets["Budget"], added)
    _parametres(pkg, by_fold[fold(PARAMS)], master.params, added)
    parcours = master.sheets["Parcours"]
    header_style = pkg.sheet(parcours.name)[1].cell_style(X.col_index(parcours.letters.get("family", "A")), parcours.header_row)
    result = pkg.build() if (pkg.edited or pkg.new) else original
    order = list(SHEETS)
    for name, spec in SHEETS.items():
        if spec.since > 1 and fold(name) not in by_fold:
            later = [n for n in order[order.index(name) + 1 :] if fold(n) in actual]
            before = actual[fold(later[0])] if later else actual.get(fold(PARAMS))
            result = _add_sheet(result, spec, ctx, before, header_style)
            added.append(f"feuille {name}")
    return result, added


def upgrade_master(path: str | Path) -> UpgradeResult:
    """Add what the current contract has and the master lacks; refuse a locked or read-only master
    and a file that is not a master. A dated copy goes to Sauvegardes/ before the atomic write."""
    path = Path(path)
    check_usable(path)
    ensure_writable(path)
    with master_lock(path):
        original = path.read_bytes()
        result, added = plan_and_apply(original, path)
        if not added or result == original:
            return UpgradeResult(path)
        copy = backup(path)
        with atomic_target(path) as tmp:
            tmp.write_bytes(result)
    return UpgradeResult(path, added, copy)
