"""Building the macro-enabled master offered to staff (workbooks/igloo_master.xlsm), reproducibly.

From a master .xlsx (the sample of `igloo-xl init`):
1. the package becomes macro-enabled (workbook content type);
2. an active `xlwings.conf` sheet is added, with the settings of xlwings' standalone quickstart;
   It is hidden: xlwings' VBA finds it by name (`wb.Sheets("xlwings.conf")`, which holds hidden
   sheets too) and reads its cells, which works the same on a hidden sheet; it no longer prints;
3. one form button per entry of BUTTONS is put on `Accueil`, under the instructions (their VML is
   made by XlsxWriter's insert_button in a scratch workbook, then attached to Accueil);
4. the VBA project is created as Excel creates one (pyOpenVBA: a document module per sheet) and
   receives xlwings' own standalone modules, taken from `xlwings quickstart --standalone` run at
   build time, plus the module IglooBoutons, written from BUTTONS (one Sub per button).
Adding a button is one entry in BUTTONS. Every other part of the master is copied as it is.
The result is written atomically.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from igloo_xl.package.atomic import atomic_target
from igloo_xl.errors import BuildError, UnusableWorkbook
from igloo_xl.package.master_update import _rels_path, splice_sheet
from igloo_xl.read.cell_scan import sheet_parts



@dataclass(frozen=True)
class Button:
    caption: str  # what staff read on Accueil
    sub: str      # the VBA Sub the button runs
    call: str     # what that Sub runs in Python: igloo_xl.excel.<call>


BUTTONS = [
    Button("Valider le classeur", "ValiderClasseur", "validate()"),
    Button("Clauses d'insertion (bailleurs)", "ClausesInsertion", "generate_clauses()"),
    Button("Budget CAMSA", "BudgetCAMSA", "export_budget('CAMSA')"),
    Button("Budget FSL", "BudgetFSL", "export_budget('FSL')"),
    Button("Compte rendu financier CAMSA", "CompteRenduCAMSA", "export_financial_report('CAMSA')"),
    Button("Compte rendu financier FSL", "CompteRenduFSL", "export_financial_report('FSL')"),
    Button("Actualiser le tableau de bord", "ActualiserTableauDeBord", "refresh_dashboard()"),
]
BUTTON_MODULE = "IglooBoutons"
BUTTONS_PER_ROW = 2
CONF_SHEET = "xlwings.conf"
CONF = [  # the quickstart's settings; "Use UDF Server" keeps Python running between clicks
    ("Interpreter_Win", "pythonw"),
    ("Interpreter_Mac", ""),
    ("PYTHONPATH", ""),
    ("Conda Path", ""),
    ("Conda Env", ""),
    ("UDF Modules", ""),
    ("Debug UDFs", False),
    ("Use UDF Server", True),
    ("Show Console", False),
]
MAIN_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MAIN_XLSM = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def quickstart_modules() -> dict[str, str]:
    """xlwings' standalone VBA modules (xlwings, Dictionary), from `xlwings quickstart --standalone`."""
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY", "noncommercial")}
        cli = Path(sys.executable).with_name("xlwings")
        cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "xlwings.cli"]
        done = subprocess.run([*cmd, "quickstart", "igloo_qs", "--standalone"], cwd=tmp, env=env, capture_output=True, text=True)
        book = Path(tmp) / "igloo_qs" / "igloo_qs.xlsm"
        if done.returncode != 0 or not book.exists():
            raise BuildError(f"« xlwings quickstart --standalone » a échoué : {done.stderr.strip() or done.stdout.strip()}")
        with ExcelFile(book) as wb:
            modules = wb.vba_modules()
    return {name: modules[name] for name in ("xlwings", "Dictionary")}


def buttons_module(buttons: list[Button] = BUTTONS) -> str:
    """The VBA module of the buttons: one Sub per button, each a single RunPython call."""
    lines = [
        f'Attribute VB_Name = "{BUTTON_MODULE}"',
        "' Boutons de la feuille Accueil du classeur maître IGLOO (module écrit par igloo-xl build-xlsm).",
        "' Chaque bouton appelle une fonction Python du module igloo_xl.excel par RunPython (xlwings) ;",
        "' toute la logique est en Python, ce module ne fait que l'appel.",
        "Option Explicit",
    ]
    for b in buttons:
        lines += ["", f"Public Sub {b.sub}()", f'    RunPython "import igloo_xl.excel as x; x.{b.call}"', "End Sub"]
    return "\n".join(lines) + "\n"


def _first_free_row(package: bytes, sheet: str) -> int:
    """0-based index of the row after the last row holding a cell of `sheet` (its text included)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        xml = z.read(sheet_parts(z)[sheet]).decode("utf-8")
    rows = [int(r) for r in re.findall(r'<row\b[^>]*\br="(\d+)"', xml)]
    return max(rows, default=0)


def _buttons_vml(first_row: int) -> bytes:
    """The VML of the Accueil buttons, as XlsxWriter writes form buttons: a grid of BUTTONS_PER_ROW
    buttons a row, from `first_row` down, so that no button covers the instructions above."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Accueil")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    for i, b in enumerate(BUTTONS):
        row, col = first_row + 2 * (i // BUTTONS_PER_ROW), i % BUTTONS_PER_ROW
        ws.insert_button(row, 0, {"macro": b.sub, "caption": b.caption, "width": 260, "height": 30,
                                  "x_offset": 4 + col * 280})
    wb.add_vba_project(io.BytesIO(b"placeholder"), is_stream=True)
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return next(z.read(n) for n in z.namelist() if n.endswith(".vml"))


def _hide_sheet(package: bytes, sheet: str) -> bytes:
    """The package with `sheet` hidden (state="hidden": staff can still show it from Excel)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
    entry = re.compile(rf'<sheet\b(?=[^>]*\bname="{re.escape(sheet)}")([^>]*?)\s*/>')

    def hidden(m: re.Match) -> str:
        attributes = re.sub(r'\s+state="[^"]*"', "", m.group(1))
        return f'<sheet{attributes} state="hidden"/>'

    workbook, n = entry.subn(hidden, workbook)
    if n != 1:
        raise BuildError(f"La feuille {sheet} est introuvable dans le classeur : elle n'a pas pu être masquée.")
    return _replace_part(package, "xl/workbook.xml", workbook.encode("utf-8"))


def _attach_vml(package: bytes, sheet: str, vml: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(package))
    part = sheet_parts(src)[sheet]
    names = set(src.namelist())
    i = 1
    while f"xl/drawings/vmlDrawing{i}.vml" in names:
        i += 1
    vml_part = f"xl/drawings/vmlDrawing{i}.vml"
    rels_part = _rels_path(part)
    rels = src.read(rels_part).decode("utf-8") if rels_part in names else (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    rid = "rIdIglooButtons"
    rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{VML_REL}" Target="../drawings/vmlDrawing{i}.vml"/></Relationships>')
    xml = src.read(part).decode("utf-8")
    if "<legacyDrawing" in xml:
        raise BuildError(f"La feuille {sheet} a déjà des contrôles ou des notes : boutons non ajoutés.")
    element = f'<legacyDrawing xmlns:r="{NS_R}" r:id="{rid}"/>'
    anchor = re.search(r"<(legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|</worksheet>", xml)
    xml = xml[: anchor.start()] + element + xml[anchor.start():]
    types = src.read("[Content_Types].xml").decode("utf-8")
    if 'Extension="vml"' not in types:
        types = types.replace("<Default ", f'<Default Extension="vml" ContentType="{VML_TYPE}"/><Default ', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = {part: xml.encode(), rels_part: rels.encode(), "[Content_Types].xml": types.encode()}.get(info.filename)
            dst.writestr(info, data if data is not None else src.read(info.filename))
        if rels_part not in names:
            dst.writestr(rels_part, rels.encode())
        dst.writestr(vml_part, vml)
    return out.getvalue()


def _conf_sheet(ws) -> None:
    for key, value in CONF:
        ws.append([key, value])
    ws.append([])
    ws.append(["Réglages de xlwings pour les boutons IGLOO (voir docs/installation-poste.md)."])


def build_xlsm(master_xlsx: str | os.PathLike, out: str | os.PathLike) -> Path:
    """The macro-enabled master from a master .xlsx; see the module docstring for the steps."""
    from pyopenvba import ExcelFile
    from pyopenvba.vba import VBAModuleKind

    from igloo_xl.read.reader import check_usable

    source, out = Path(master_xlsx), Path(out)
    check_usable(source)
    package = source.read_bytes()
    if "Accueil" not in sheet_parts(zipfile.ZipFile(io.BytesIO(package))):
        raise UnusableWorkbook(f"« {source.name} » n'a pas de feuille Accueil pour les boutons.")
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        if "xl/vbaProject.bin" in z.namelist():
            raise UnusableWorkbook(f"« {source.name} » contient déjà des macros : partez du classeur .xlsx.")
        types = z.read("[Content_Types].xml")
    package = _replace_part(package, "[Content_Types].xml", types.replace(MAIN_XLSX, MAIN_XLSM))
    package = _hide_sheet(splice_sheet(package, _scratch(CONF_SHEET, _conf_sheet), CONF_SHEET), CONF_SHEET)
    package = _attach_vml(package, "Accueil", _buttons_vml(_first_free_row(package, "Accueil") + 1))
    modules = quickstart_modules()
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "stage.xlsm"
        stage.write_bytes(package)
        built = Path(tmp) / "built.xlsm"
        try:
            with ExcelFile(stage) as wb:
                project = wb.add_vba_project()
                project.add_module("xlwings", modules["xlwings"])
                project.add_module("Dictionary", modules["Dictionary"], kind=VBAModuleKind.other)
                project.add_module(BUTTON_MODULE, buttons_module())
                wb.save(built)
        except Exception as exc:  # noqa: BLE001 — any pyOpenVBA failure is a build failure
            raise BuildError(f"Le projet VBA n'a pas pu être créé : {exc}") from None
        with atomic_target(out) as target:
            target.write_bytes(built.read_bytes())
    return out


def _scratch(name, fill) -> bytes:
    from igloo_xl.package.master_update import _scratch_sheet

    return _scratch_sheet(name, fill)


def _replace_part(package: bytes, part: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, data if info.filename == part else src.read(info.filename))
    return out.getvalue()

