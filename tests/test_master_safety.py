"""The master is the system of record: atomic writes, backups, locks, and a rewrite that keeps everything."""

import hashlib
import os
import stat
import zipfile

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from igloo_xl.package.atomic import BACKUP_DIR, atomic_target, backup
from igloo_xl.errors import WorkbookLocked
from igloo_xl.package.master_update import replace_sheet
from igloo_xl.validation.engine import validate_file


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def fill_dashboard(ws):
    ws["A1"] = "Tableau de bord"
    ws.append(["Statut", "Familles"])
    for label, n in (("Candidate", 1), ("Relogée", 13)):
        ws.append([label, n])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=2, max_row=4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=4))
    ws.add_chart(chart, "D2")


@pytest.fixture
def staff_master(sample_path, tmp_path):
    """The sample after a year of staff work: extra column, own fills and fonts, a comment, a formula,
    an extra defined name and an extra sheet."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Familles"]
    ws["L1"] = "Remarques de l'équipe"
    ws["L2"] = "Rappeler mardi"
    ws["L3"] = "=LEN(B3)"
    ws["B4"].fill = PatternFill("solid", fgColor="FF00B0F0")
    ws["C5"].font = Font(bold=True, color="FFFF0000")
    ws["E6"].number_format = "0.00"
    ws["A7"].comment = Comment("Famille prioritaire", "Mme Weber")
    wb.create_sheet("Notes de l'équipe")["A1"] = "Réunion du 12/03"
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names["zone_equipe"] = DefinedName("zone_equipe", attr_text="Familles!$L$1:$L$20")
    path = tmp_path / "maitre.xlsx"
    wb.save(path)
    return path


def test_atomic_target_leaves_old_file_when_interrupted(tmp_path):
    target = tmp_path / "sortie.xlsx"
    target.write_bytes(b"ancien")
    with pytest.raises(RuntimeError):
        with atomic_target(target) as tmp:
            tmp.write_bytes(b"moitie")
            raise RuntimeError("coupure")
    assert target.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["sortie.xlsx"]


def test_lock_file_or_read_only_refuses_any_write(staff_master):
    before = digest(staff_master)
    lock = staff_master.with_name("~$" + staff_master.name)
    lock.write_bytes(b"Mme Weber")
    with pytest.raises(WorkbookLocked):
        replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    lock.unlink()
    os.chmod(staff_master, stat.S_IREAD)
    try:
        if os.access(staff_master, os.W_OK):
            pytest.skip("running as a user who can write read-only files")
        with pytest.raises(WorkbookLocked):
            replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    finally:
        os.chmod(staff_master, stat.S_IREAD | stat.S_IWRITE)
    assert digest(staff_master) == before
    assert not (staff_master.parent / BACKUP_DIR).exists()


def test_backups_keep_the_last_twenty(tmp_path):
    import datetime as dt

    master = tmp_path / "maitre.xlsx"
    master.write_bytes(b"x")
    for i in range(25):
        backup(master, now=dt.datetime(2026, 1, 1, 10, 0, i))
    kept = sorted(p.name for p in (tmp_path / BACKUP_DIR).iterdir())
    assert len(kept) == 20 and kept[0] == "maitre_2026-01-01_100005_000000.xlsx"


def test_rewrite_keeps_every_other_part_byte_for_byte(staff_master):
    before = parts(staff_master)
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard, before="Familles")
    after = parts(staff_master)
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed == {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert (staff_master.parent / BACKUP_DIR).exists()
    # a second refresh replaces the sheet in place, still touching nothing else
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    again = parts(staff_master)
    assert {n for n in before if before[n] != again.get(n)} == changed


def test_rewrite_keeps_values_formats_validations_tables_names(staff_master):
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard, before="Familles")
    wb = openpyxl.load_workbook(staff_master)
    assert wb.sheetnames[:3] == ["Accueil", "Tableau de bord", "Familles"]
    ws = wb["Familles"]
    assert (ws["L2"].value, ws["L3"].value) == ("Rappeler mardi", "=LEN(B3)")
    assert ws["B4"].fill.fgColor.rgb == "FF00B0F0" and ws["C5"].font.bold and ws["E6"].number_format == "0.00"
    assert ws["A7"].comment.text == "Famille prioritaire"
    assert "t_Familles" in ws.tables and ws.data_validations.dataValidation
    assert {"zone_equipe", "liste_Statut_famille"} <= set(wb.defined_names)
    assert ws.print_title_rows == "$1:$1" and wb["Lots"].print_title_rows == "$1:$1"
    assert wb["Notes de l'équipe"]["A1"].value == "Réunion du 12/03"
    assert len(wb["Tableau de bord"]._charts) == 1
    assert validate_file(staff_master).ok


def test_rewrite_keeps_vba_project_and_form_controls(staff_master, tmp_path):
    """An .xlsm's VBA project, its button VML and control properties survive untouched."""
    xlsm = tmp_path / "maitre.xlsm"
    with zipfile.ZipFile(staff_master) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                                    b'<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>')
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA-PROJECT" * 100)
        dst.writestr("xl/drawings/vmlDrawing1.vml", b'<xml><v:shape><x:ClientData ObjectType="Button"><x:FmlaMacro>ValiderClasseur</x:FmlaMacro></x:ClientData></v:shape></xml>')
        dst.writestr("xl/ctrlProps/ctrlProp1.xml", b'<formControlPr objectType="Button"/>')
    before = parts(xlsm)
    replace_sheet(xlsm, "Tableau de bord", fill_dashboard)
    after = parts(xlsm)
    for name in ("xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml", "xl/ctrlProps/ctrlProp1.xml"):
        assert after[name] == before[name]
    assert b"ctrlProp1.xml" in after["[Content_Types].xml"]


def test_validation_never_writes_the_master(staff_master):
    before = digest(staff_master)
    validate_file(staff_master)
    assert digest(staff_master) == before


def test_dashboard_refresh_of_the_staff_workbook_keeps_macros_and_buttons(sample_path, tmp_path):
    """The real .xlsm: after `igloo-xl dashboard`, its VBA project and buttons are byte for byte the same."""
    from igloo_xl import api
    from igloo_xl.package.xlsm_build import build_xlsm

    xlsm = build_xlsm(sample_path, tmp_path / "igloo_master.xlsm")
    before = parts(xlsm)
    api.refresh_dashboard(xlsm)
    after = parts(xlsm)
    kept = [n for n in before if n.endswith((".bin", ".vml")) or n.startswith("xl/worksheets/sheet1")]
    assert "xl/vbaProject.bin" in kept and any(n.endswith(".vml") for n in kept)
    assert all(after[n] == before[n] for n in kept)
    # the styles part only gains the dashboard's formats (tests/test_styles_merge.py checks nothing in it moves)
    changed = {n for n in before if before[n] != after.get(n)}
    assert {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"} <= changed
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
    assert api.validate_file(xlsm).ok
