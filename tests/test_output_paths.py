"""Where outputs go: never over their own input or any master, never two under one name, a wrong --out or
a full disk is a French refusal (exit 2) with every file as it was."""

import datetime as dt
import errno
import hashlib
import os
import subprocess
import sys

import openpyxl
import pytest

from igloo_xl import api
from igloo_xl.errors import IglooError

TODAY = dt.date(2026, 11, 24)


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "igloo_xl", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def master(sample_path, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(sample_path.read_bytes())
    return path


def listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "igloo-journal.csv")


@pytest.mark.parametrize("command", [
    ["budget", "m.xlsx", "--funder", "CAMSA", "--year", "2009", "--out", "m.xlsx"],
    ["report", "m.xlsx", "--out", "m.xlsx"],
    ["budget", "m.xlsx", "--funder", "CAMSA", "--year", "2009", "--out", "sub/../m.xlsx"],
])
def test_no_command_writes_over_its_own_input(master, command):
    (master.parent / "sub").mkdir()
    before, files = digest(master), listing(master.parent)
    res = run(*command, cwd=master.parent)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "Erreur inattendue" not in res.stderr
    assert digest(master) == before and listing(master.parent) == files


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_an_output_reaching_the_input_by_a_link_is_refused(master, link):
    other = master.parent / "sortie.xlsx"
    (other.symlink_to if link == "symlink" else other.hardlink_to)(master)
    before = digest(master)
    with pytest.raises(IglooError) as refused:
        api.export_budget(master, "CAMSA", 2009, other, today=TODAY)
    assert refused.value.exit_code == 2 and digest(master) == before


def test_an_output_over_another_master_is_refused(master, sample_path, tmp_path):
    other = tmp_path / "IGLOO_2010.xlsx"
    other.write_bytes(sample_path.read_bytes())
    before = digest(other)
    res = run("report", master, "--out", other)
    assert res.returncode == 2 and digest(other) == before
    with pytest.raises(IglooError) as refused:
        api.export_budget(master, "CAMSA", 2009, other, today=TODAY)
    assert refused.value.exit_code == 2 and digest(other) == before


def test_an_earlier_output_may_be_replaced(master, tmp_path):
    out = tmp_path / "budget.xlsx"
    api.export_budget(master, "CAMSA", 2009, out, today=TODAY)
    api.export_budget(master, "CAMSA", 2009, out, today=TODAY)
    assert openpyxl.load_workbook(out).sheetnames


def test_clauses_out_an_existing_file_exit_2(master, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("à garder")
    res = run("clauses", master, "--out", target)
    assert res.returncode == 2, res.stderr
    assert "Erreur inattendue" not in res.stderr and target.read_text() == "à garder"


def test_budget_out_a_folder_exit_2(master, tmp_path):
    folder = tmp_path / "Sorties"
    folder.mkdir()
    before = digest(master)
    res = run("budget", master, "--funder", "CAMSA", "--year", "2009", "--out", folder)
    assert res.returncode == 2, res.stderr
    assert "Erreur inattendue" not in res.stderr and list(folder.iterdir()) == [] and digest(master) == before


def test_a_full_disk_is_exit_2_and_leaves_no_partial_file(master, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from igloo_xl.cli import app

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    before, files = digest(master), listing(tmp_path)
    monkeypatch.setattr(os, "fsync", full)
    for args in (["budget", str(master), "--funder", "CAMSA", "--year", "2009", "--out", str(tmp_path / "b.xlsx")],
                 ["clauses", str(master), "--out", str(tmp_path / "Sorties")],
                 ["report", str(master), "--out", str(tmp_path / "r.pdf")],
                 ["dashboard", str(master)]):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
    monkeypatch.undo()
    assert digest(master) == before
    assert [f for f in listing(tmp_path) if f not in ("Sorties", "Sauvegardes")] == files


def _rename_everywhere(path, old, new):
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == old:
                    cell.value = new
    wb.save(path)


def test_two_landlords_never_share_a_file(master, tmp_path, capsys):
    """« Habitat & Humanisme » and « Habitat Humanisme » both gave Clauses_insertion_Habitat_Humanisme.xlsx."""
    _rename_everywhere(master, "Neolia", "Habitat Humanisme")
    written = api.generate_clauses(master, tmp_path / "Sorties", today=TODAY)
    on_disk = sorted((tmp_path / "Sorties").iterdir())
    assert len(written) == len(set(written)) == len(on_disk) == 5
    assert {p.name.casefold() for p in written} == {p.name.casefold() for p in on_disk}
    assert len(written.notes) == 1
    res = run("clauses", master, "--out", tmp_path / "Cli")
    assert res.returncode == 0 and len(list((tmp_path / "Cli").iterdir())) == 5
    assert written.notes[0] in res.stdout


def test_file_names_differing_only_by_case_are_made_distinct():
    from igloo_xl.package.output_guard import unique_names

    names, notes = unique_names(["C_Neolia.xlsx", "C_NEOLIA.xlsx", "C_Neolia_2.xlsx", "C_Somco.xlsx"],
                                ["Neolia", "NEOLIA", "Neolia 2", "Somco"])
    assert len({n.casefold() for n in names}) == 4 and names[0] == "C_Neolia.xlsx" and names[3] == "C_Somco.xlsx"
    assert len(notes) == 2
