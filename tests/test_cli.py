"""The command line: exit codes, JSON contract, French messages without tracebacks."""

import json
import subprocess
import sys

import openpyxl
import pytest


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "igloo_xl", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_init_then_validate_clean(tmp_path):
    path = tmp_path / "maitre.xlsx"
    res = run("init", path)
    assert res.returncode == 0, res.stderr
    res = run("validate", path, "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"findings": []}


def test_init_refuses_to_overwrite(sample_path):
    before = sample_path.read_bytes()
    res = run("init", sample_path)
    assert res.returncode == 1 and "existe déjà" in res.stderr
    assert sample_path.read_bytes() == before


def test_validate_json_reports_planted_error_and_exit_1(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = "deux"
    wb["Lots"]["F4"] = -5
    path = tmp_path / "faux.xlsx"
    wb.save(path)
    before = path.read_bytes()
    res = run("validate", path, "--format", "json")
    assert res.returncode == 1
    findings = json.loads(res.stdout)["findings"]
    keys = {"severity", "sheet", "cell", "row", "column", "value", "code", "rule", "cause", "message"}
    assert all(set(f) == keys for f in findings)
    got = {(f["sheet"], f["cell"], f["code"]) for f in findings}
    assert {("Familles", "C3", "not-a-number"), ("Lots", "F4", "out-of-range")} <= got
    assert path.read_bytes() == before  # validate never writes the master


def test_text_report_groups_by_sheet(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Familles"]["C3"] = 0
    path = tmp_path / "faux.xlsx"
    wb.save(path)
    res = run("validate", path)
    assert res.returncode == 1
    assert "Feuille Familles" in res.stdout and "C3" in res.stdout and "Traceback" not in res.stdout + res.stderr


@pytest.mark.parametrize("content,name", [(None, "absent.xlsx"), (b"", "vide.xlsx"), (b"a;b;c\n1;2;3\n", "csv.xlsx"), (b"PK\x03\x04tronque", "tronque.xlsx")])
def test_unusable_file_exit_2(tmp_path, content, name):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    res = run("validate", path)
    assert res.returncode == 2
    assert res.stderr.strip() and "Traceback" not in res.stderr


def test_help_is_french_and_quick_to_import():
    res = run("--help")
    assert res.returncode == 0 and "classeur" in res.stdout


def test_init_xlsm_gives_the_workbook_with_buttons(tmp_path):
    path = tmp_path / "maitre.xlsm"
    res = run("init", path)
    assert res.returncode == 0, res.stderr
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert run("validate", path).returncode == 0


def test_init_refuses_other_extensions(tmp_path):
    res = run("init", tmp_path / "maitre.csv")
    assert res.returncode == 1 and ".xlsx" in res.stderr
    assert not (tmp_path / "maitre.csv").exists()


def test_main_job_on_the_sample(sample_path, tmp_path):
    out = tmp_path / "Sorties"
    assert run("clauses", sample_path, "--out", out).returncode == 0
    res = run("budget", sample_path, "--funder", "fsl", "--year", "2010", "--out", out / "fsl.xlsx")
    assert res.returncode == 0 and (out / "fsl.xlsx").exists()
    assert len(list(out.glob("Clauses_insertion_*.xlsx"))) == 5
