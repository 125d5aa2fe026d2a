"""Bad input: a French message, the right exit code, no traceback, nothing written."""

import json
import subprocess
import sys
import zipfile

import openpyxl
import pytest


def run(*args):
    return subprocess.run([sys.executable, "-m", "igloo_xl", *map(str, args)], capture_output=True, text=True)


def folder_state(folder):
    return sorted((p.name, p.stat().st_size) for p in folder.iterdir())


def make_ods(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")


def make_encrypted(src, dst):
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as fh:
        plain = OOXMLFile(fh)
        with open(dst, "wb") as out:
            plain.encrypt("secret", out)


def _write(path, data):
    path.write_bytes(data)
    return path


def _mkdir(path):
    path.mkdir()
    return path


UNUSABLE = {
    "missing file": lambda d, s: d / "absent.xlsx",
    "directory": lambda d, s: _mkdir(d / "dossier.xlsx"),
    "empty file": lambda d, s: _write(d / "vide.xlsx", b""),
    "truncated zip": lambda d, s: _write(d / "tronque.xlsx", s.read_bytes()[: s.stat().st_size // 2]),
    ".xls": lambda d, s: _write(d / "ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ".ods": lambda d, s: make_ods(d / "calc.ods") or d / "calc.ods",
    ".ods renamed .xlsx": lambda d, s: make_ods(d / "calc.xlsx") or d / "calc.xlsx",
    "CSV renamed .xlsx": lambda d, s: _write(d / "export.xlsx", "ID famille;Référence\nF01;X\n".encode("latin-1")),
    "password-protected": lambda d, s: make_encrypted(s, d / "protege.xlsx") or d / "protege.xlsx",
    "Word document renamed": lambda d, s: _docx(d / "lettre.xlsx"),
}

# the words each refusal must use: the message names the actual problem
EXPECTED_WORDS = {
    "missing file": "introuvable", "directory": "dossier", "empty file": "vide", "truncated zip": "endommagé",
    ".xls": "97-2003", ".ods": ".ods", ".ods renamed .xlsx": ".ods", "CSV renamed .xlsx": "CSV",
    "password-protected": "mot de passe", "Word document renamed": "pas un classeur",
}


def _docx(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_file_exit_2_french_message_nothing_written(tmp_path, sample_path, case):
    target = UNUSABLE[case](tmp_path, sample_path)
    before = folder_state(tmp_path)
    res = run("validate", target, "--format", "json")
    assert res.returncode == 2, (case, res.stdout, res.stderr)
    assert res.stdout == "" and "Traceback" not in res.stderr
    assert EXPECTED_WORDS[case] in res.stderr, res.stderr
    assert folder_state(tmp_path) == before


def edited(sample_path, tmp_path, edit, name="maitre.xlsx"):
    wb = openpyxl.load_workbook(sample_path)
    edit(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def findings(res):
    return {(f["sheet"], f["cell"], f["code"], f["severity"]) for f in json.loads(res.stdout)["findings"]}


CONTENT = {
    "sheet missing": (lambda wb: wb.remove(wb["Budget"]), 1, {("Budget", "", "missing-sheet", "error")}),
    "required header missing": (lambda wb: wb["Lots"].cell(1, 6, "Montant"), 1, {("Lots", "", "missing-column", "error")}),
    "header row beyond row 10": (lambda wb: wb["Calendrier"].insert_rows(1, 11), 1, {("Calendrier", "", "missing-column", "error")}),
    "Excel errors in cells": (lambda wb: [wb["Familles"].cell(3, 3, "#N/A"), wb["Lots"].cell(3, 6, "#DIV/0!")], 1,
                              {("Familles", "C3", "cell-error", "error"), ("Lots", "F3", "cell-error", "error")}),
    "formula without cached value": (lambda wb: wb["Familles"].cell(3, 3, "=1+1"), 1, {("Familles", "C3", "formula-not-computed", "error")}),
    "merged cells across data": (lambda wb: wb["Familles"].merge_cells("F3:F5"), 1,
                                 {("Familles", "F3", "merged-cells", "warning"), ("Familles", "F4", "required", "error")}),
    "non-breaking space in an ID": (lambda wb: wb["Familles"].cell(3, 1, "F\u00a003"), 1, {("Familles", "A3", "bad-format", "error")}),
    "32,767-char cell": (lambda wb: wb["Familles"].cell(3, 2, "é" * 32767), 0, set()),
    "1,048,576 rows": (lambda wb: wb["Accompagnement"].cell(1048576, 7, "note tout en bas"), 0, set()),
}


@pytest.mark.parametrize("case", list(CONTENT))
def test_damaged_content_is_reported_not_fatal(sample_path, tmp_path, case):
    edit, code, expected = CONTENT[case]
    path = edited(sample_path, tmp_path, edit)
    before = path.read_bytes()
    res = run("validate", path, "--format", "json")
    assert res.returncode == code, (case, res.stderr)
    assert "Traceback" not in res.stderr
    assert expected <= findings(res)
    assert path.read_bytes() == before


def test_outputs_refused_on_unusable_file_and_nothing_written(tmp_path):
    bad = tmp_path / "export.xlsx"
    bad.write_text("pas un classeur")
    res = run("clauses", bad, "--out", tmp_path / "Sorties")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert not (tmp_path / "Sorties").exists()
