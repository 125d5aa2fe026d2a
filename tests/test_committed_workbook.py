"""The committed workbooks/igloo_master.xlsm is what `igloo-xl build-xlsm` builds today, and its VBA
calls the xlwings version that pyproject.toml pins (a staff PC's `pip install .` brings that one)."""

import datetime as dt
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "igloo_master.xlsm"
REBUILD = "rebuild it: igloo-xl build-xlsm --out workbooks/igloo_master.xlsm"


def vba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def sheets(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return [(ws.title, ws.sheet_state) for ws in wb.worksheets]


def values(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def buttons(path: Path) -> list[tuple[str, str, str, str]]:
    """(sheet part, caption, macro, anchor) of every form button, in document order."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".vml")):
            vml = z.read(name).decode("utf-8")
            for shape in re.findall(r"<v:shape\b.*?</v:shape>", vml, re.S):
                if 'ObjectType="Button"' not in shape:
                    continue
                caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox\b.*?</v:textbox>", shape, re.S).group(0)).strip()
                macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape).group(1)
                anchor = re.search(r"<x:Anchor>(.*?)</x:Anchor>", shape).group(1)
                found.append((name, caption, macro, anchor))
    return found


def built_on(path: Path) -> int:
    """The committed build's time (its package's creation date), as SOURCE_DATE_EPOCH: the fresh build
    dates its Tableau de bord the same day, whatever day the test runs."""
    with zipfile.ZipFile(path) as z:
        created = re.search(r"<dcterms:created[^>]*>([^<]+)<", z.read("docProps/core.xml").decode()).group(1)
    return int(dt.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp())


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("fresh") / "igloo_master.xlsm"
    cli = Path(sys.executable).with_name("igloo-xl")
    cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "igloo_xl"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(built_on(COMMITTED))}
    done = subprocess.run([*cmd, "build-xlsm", "--out", str(out)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return out


def test_same_sheets_in_the_same_order_and_visibility(fresh):
    assert sheets(COMMITTED) == sheets(fresh), REBUILD


def test_same_cell_values(fresh):
    assert values(COMMITTED) == values(fresh), REBUILD


def test_same_vba_modules(fresh):
    committed, built = vba_modules(COMMITTED), vba_modules(fresh)
    assert sorted(committed) == sorted(built), REBUILD
    for name in built:
        assert committed[name] == built[name], f"module {name} differs: {REBUILD}"


def test_same_buttons_bound_to_the_same_macros(fresh):
    built = buttons(fresh)
    assert built, "the fresh build has no button"
    assert buttons(COMMITTED) == built, REBUILD


def pinned_xlwings() -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [re.fullmatch(r"xlwings\s*==\s*([\w.]+)\s*(;.*)?", d.split("#")[0].strip()) for d in deps]
    pins = [m.group(1) for m in pins if m]
    assert len(pins) == 1, f"xlwings must be pinned exactly (xlwings==X.Y.Z) in pyproject.toml: {deps}"
    return pins[0]


def test_committed_vba_calls_the_pinned_xlwings():
    """The standalone VBA names its DLL and version; a different package version fails every button."""
    code = vba_modules(COMMITTED)["xlwings"]
    dlls = set(re.findall(r"xlwings(?:32|64)-([\w.]+)\.dll", code))
    declared = re.search(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', code)
    pinned = pinned_xlwings()
    assert dlls == {pinned}
    assert declared and declared.group(1) == pinned
    assert version("xlwings") == pinned  # the environment that builds and tests is the pinned one


def test_xlwings_vba_reads_its_conf_sheet_by_name_hidden_or_not():
    """xlwings.conf is hidden (it printed as a page of its own). The pinned xlwings VBA finds it with
    wb.Sheets("xlwings.conf") — a collection that holds hidden sheets — and reads its cells, with no
    visibility test: a hidden sheet is read like a visible one."""
    code = vba_modules(COMMITTED)["xlwings"]
    reader = re.search(r"Function GetConfigFromSheet\(.*?End Function", code, re.S).group(0)
    exists = re.search(r"Function SheetExists\(.*?End Function", code, re.S).group(0)
    assert 'wb.Sheets(PROJECT_NAME & ".conf")' in reader
    assert "wb.Sheets(sheetName)" in exists
    assert not re.search(r"Visible|Activate|Select", reader + exists)
    assert re.search(r'PROJECT_NAME As String = "xlwings"', code)
    assert openpyxl.load_workbook(COMMITTED, keep_vba=True)["xlwings.conf"].sheet_state == "hidden"
