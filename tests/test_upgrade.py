"""`igloo-xl upgrade` on the released version-1 masters: what staff typed stays where it was, the VBA
project and buttons are the same bytes, the result validates clean, a second run changes nothing,
and a locked, read-only or foreign file is refused without a write."""

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from igloo_xl.cli import app
from igloo_xl.errors import WorkbookLocked
from igloo_xl.errors import UpgradeRefused
from igloo_xl.package.upgrade import upgrade_master
from igloo_xl.read.reader import read_workbook
from igloo_xl.read.values import is_blank
from igloo_xl.validation.engine import validate_file

V1 = Path(__file__).parent / "fixtures" / "v1"
FIXTURES = ["master_v1.xlsx", "igloo_master_v1.xlsm"]
EXCEL_MADE = Path("/work/shared/excel-made")
TODAY = dt.date(2026, 11, 24)


def _typed_cells(path: Path) -> dict[tuple[str, int, int], object]:
    book = read_workbook(path)
    return {
        (name, r, c): value
        for name, sheet in book.sheets.items()
        for r, row in enumerate(sheet.rows)
        for c, value in enumerate(row)
        if not is_blank(value)
    }


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.fixture(scope="module", params=FIXTURES)
def upgraded(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("upgrade")
    path = folder / request.param
    shutil.copy(V1 / request.param, path)
    before = path.read_bytes()
    result = upgrade_master(path)
    return path, before, result


def test_every_typed_cell_stays_in_place(upgraded, tmp_path):
    path, before, _ = upgraded
    original = tmp_path / path.name
    original.write_bytes(before)
    old, new = _typed_cells(original), _typed_cells(path)
    book = openpyxl.load_workbook(original)
    c1, r1, c2, r2 = openpyxl.utils.cell.range_boundaries(book["Paramètres"].tables["t_Listes"].ref)
    # the contract's fixed lists (t_Listes, "ne pas modifier") are the only cells upgrade rewrites
    owned = {("Paramètres", r, c) for r in range(r1, r2 + 20) for c in range(c1 - 1, c2)}
    moved = {k: (v, new.get(k)) for k, v in old.items() if k not in owned and new.get(k) != v}
    assert moved == {}


def test_only_the_parts_that_must_change_change(upgraded, tmp_path):
    path, before, _ = upgraded
    original = tmp_path / path.name
    original.write_bytes(before)
    old, new = _parts(original), _parts(path)
    assert set(old) <= set(new)
    changed = {p for p in old if old[p] != new[p]}
    from igloo_xl.read.cell_scan import sheet_parts

    with zipfile.ZipFile(original) as zf:
        sheets = sheet_parts(zf)
    allowed = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
               sheets["Parcours"], sheets["Budget"], sheets["Paramètres"]}
    allowed |= {p for p in old if p.startswith("xl/tables/") or p.startswith("xl/worksheets/_rels/")}
    assert changed <= allowed, changed - allowed
    for p in old:
        if p.endswith("vbaProject.bin") or p.endswith(".vml") or p.startswith("xl/charts/") or p.startswith("xl/drawings/"):
            assert new[p] == old[p], p


def test_vba_project_and_buttons_are_byte_identical(upgraded, tmp_path):
    path, before, _ = upgraded
    if path.suffix != ".xlsm":
        pytest.skip("no VBA in the .xlsx master")
    original = tmp_path / path.name
    original.write_bytes(before)
    old, new = _parts(original), _parts(path)
    assert new["xl/vbaProject.bin"] == old["xl/vbaProject.bin"]
    vml = [p for p in old if p.endswith(".vml")]
    assert vml and all(new[p] == old[p] for p in vml)


def test_upgraded_master_validates_without_error_and_is_current(upgraded):
    path, _, result = upgraded
    assert result.changed and result.backup is not None
    findings = validate_file(path, TODAY).findings
    assert [f for f in findings if f.severity == "error"] == []
    assert "upgrade-available" not in {f.code for f in findings}
    # what is left: contracts whose new Mode de réalisation / Public staff have to fill in
    assert {(f.sheet, f.code, f.column) for f in findings} <= {
        ("Parcours", "required", "Mode de réalisation"), ("Parcours", "required", "Public")}


def test_new_sheets_are_tables_with_dropdowns(upgraded):
    path, _, _ = upgraded
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames.index("Heures") == wb.sheetnames.index("Parcours") + 1
    assert wb.sheetnames.index("Mesures") == wb.sheetnames.index("Paramètres") - 1
    for sheet, table, column, name in (("Heures", "t_Heures", "F", "liste_Justificatif"),
                                       ("Mesures", "t_Mesures", "B", "liste_Type_de_mesure"),
                                       ("Mesures", "t_Mesures", "C", "liste_Financeurs"),
                                       ("Parcours", "t_Parcours", "J", "liste_Mode_de_realisation"),
                                       ("Parcours", "t_Parcours", "K", "liste_Publics")):
        ws = wb[sheet]
        assert table in ws.tables
        formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
        assert formulas.get(f"{column}2") == name
        assert name in wb.defined_names
    assert wb["Parcours"].tables["t_Parcours"].ref.startswith("A1:K")
    ids = [t.id for ws in wb.worksheets for t in ws.tables.values()]
    assert len(ids) == len(set(ids))
    budget = [dv for dv in wb["Budget"].data_validations.dataValidation if dv.formula1 == "liste_Compte"]
    assert budget and budget[0].errorStyle == "information"


def test_upgraded_lists_and_settings_are_read(upgraded):
    from igloo_xl.model.master import load_master
    from igloo_xl.schemas.lists import DEFAULT_PUBLICS

    path, _, _ = upgraded
    params = load_master(path).params
    assert params.publics == list(DEFAULT_PUBLICS)
    assert params.missing_v2 == []
    assert params.identity.name == "" and params.penalty_per_hour is None


def test_second_run_changes_no_byte(upgraded):
    path, _, _ = upgraded
    once = path.read_bytes()
    again = upgrade_master(path)
    assert not again.changed and again.backup is None
    assert path.read_bytes() == once


def test_backup_is_the_original(upgraded):
    path, before, result = upgraded
    assert result.backup.parent == path.parent / "Sauvegardes"
    assert result.backup.read_bytes() == before


def test_fresh_version_2_master_has_nothing_to_upgrade(sample_path, tmp_path):
    path = tmp_path / "m.xlsx"
    shutil.copy(sample_path, path)
    before = path.read_bytes()
    assert not upgrade_master(path).changed
    assert path.read_bytes() == before
    assert not (tmp_path / "Sauvegardes").exists()


def test_locked_master_is_refused_with_exit_2(tmp_path):
    path = tmp_path / "master_v1.xlsx"
    shutil.copy(V1 / "master_v1.xlsx", path)
    (tmp_path / "~$master_v1.xlsx").write_bytes(b"owner")
    before = path.read_bytes()
    with pytest.raises(WorkbookLocked):
        upgrade_master(path)
    result = CliRunner().invoke(app, ["upgrade", str(path)])
    assert result.exit_code == 2
    assert path.read_bytes() == before and not (tmp_path / "Sauvegardes").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_read_only_master_is_refused(tmp_path):
    path = tmp_path / "master_v1.xlsx"
    shutil.copy(V1 / "master_v1.xlsx", path)
    path.chmod(0o444)
    result = CliRunner().invoke(app, ["upgrade", str(path)])
    assert result.exit_code == 2
    assert path.read_bytes() == (V1 / "master_v1.xlsx").read_bytes()


@pytest.mark.parametrize("name", sorted(p.name for p in EXCEL_MADE.glob("*.xls*")) if EXCEL_MADE.exists() else [])
def test_workbook_that_is_not_a_master_is_refused(tmp_path, name):
    path = tmp_path / name
    shutil.copy(EXCEL_MADE / name, path)
    path.chmod(0o644)
    before = path.read_bytes()
    with pytest.raises(UpgradeRefused):
        upgrade_master(path)
    result = CliRunner().invoke(app, ["upgrade", str(path)])
    assert result.exit_code == 2
    assert path.read_bytes() == before


def test_cli_reports_what_was_added_then_nothing(tmp_path):
    path = tmp_path / "master_v1.xlsx"
    shutil.copy(V1 / "master_v1.xlsx", path)
    first = CliRunner().invoke(app, ["upgrade", str(path)])
    assert first.exit_code == 0
    once = path.read_bytes()
    second = CliRunner().invoke(app, ["upgrade", str(path)])
    assert second.exit_code == 0 and path.read_bytes() == once


def test_a_version_1_file_validates_with_one_upgrade_warning_only():
    """Read from the file (the reader's own path, not grids built in memory): no missing-sheet for the
    sheets that version 2 added, one `upgrade-available`."""
    from igloo_xl.validation import validate_file

    report = validate_file(Path(__file__).parent / "fixtures" / "v1" / "master_v1.xlsx")
    assert report.ok
    assert [f.code for f in report.findings] == ["upgrade-available"]


def test_a_renamed_sheet_is_named_when_read_from_the_file(tmp_path):
    import openpyxl

    from igloo_xl.validation import validate_file

    path = tmp_path / "m.xlsx"
    wb = openpyxl.load_workbook(Path(__file__).parent / "fixtures" / "v1" / "master_v1.xlsx")
    wb["Financements"].title = "Financement"
    wb.save(path)
    f = next(f for f in validate_file(path).findings if f.code == "missing-sheet")
    assert (f.sheet, f.rule, f.params["similar"]) == ("Financements", "missing-sheet/similar", "Financement")
