"""The xlwings Lite plugin (igloo_xl.excel.lite), run as the add-in runs it: xlwings.server's
custom_scripts_call on `xw.Book(json=...)`; the same assertions as the macro buttons
(test_excel.py); and its dependency set checked against the Pyodide distribution."""

import asyncio
import copy
import json
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
import xlwings as xw
import xlwings.server
from packaging.requirements import Requirement

import pyodide_lock
from igloo_xl.excel import controls as C
from igloo_xl.excel import lite
from xlwings_payload import payload

HERE = Path(__file__).resolve().parent
FAMILLES = 1

# Distributions whose installed wheel here is platform-specific but which PyPI also publishes as a
# pure-Python wheel (the one micropip installs in Pyodide); the sandbox run proves that their
# compiled part is never needed on the Lite path.
PURE_WHEEL_ON_PYPI = {"xlwings": "xlwings publishes xlwings-<version>-py3-none-any.whl, the wheel xlwings Lite installs"}


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("IGLOO_LITE_FILES", str(tmp_path))
    return tmp_path


def run(data: dict, script: str, *args):
    """What xlwings Lite does on a click: the book from the add-in's JSON, the script called, the actions back."""
    book = xw.Book(json=copy.deepcopy(data))  # the add-in sends a fresh payload on every click
    done = asyncio.run(xlwings.server.custom_scripts_call(
        module=lite, script_name=script, typehint_to_value={xw.Book: book}, args=list(args)))
    return done.json()["actions"]


def alerts(actions):
    return [a["args"][0] for a in actions if a["func"] == "alert"]


def position(data, sheet):
    return next(i for i, s in enumerate(data["sheets"]) if s["name"] == sheet)


def test_scripts_are_registered_with_french_names_and_form_fields():
    meta = {m["function_name"]: m for m in xlwings.server.custom_scripts_meta(lite)}
    assert {m["name"] for m in meta.values()} == {
        "Valider le classeur", "Actualiser le tableau de bord", "Clauses d'insertion", "Budget", "Compte rendu financier"}
    import inspect

    for name in ("budget", "compte_rendu_financier"):
        params = inspect.signature(getattr(lite, name)).parameters
        assert [(p, params[p].annotation) for p in list(params)[1:]] == [("financeur", "str"), ("annee", "int")]


def test_main_py_of_one_import_registers_the_same_scripts():
    """The workbook's main.py can hold one line, `from igloo_xl.excel.lite import *`: Lite lists
    the scripts of main.py, and imported scripts are members of it."""
    import types

    main = types.ModuleType("main")
    exec("from igloo_xl.excel.lite import *", main.__dict__)
    assert ({m["name"] for m in xlwings.server.custom_scripts_meta(main)}
            == {m["name"] for m in xlwings.server.custom_scripts_meta(lite)})


def test_validate_on_the_clean_sample_says_no_error(sample_path, files):
    data = payload(sample_path, client="Office.js")
    actions = run(data, "valider_le_classeur")
    assert alerts(actions) == ["Aucune erreur"]
    controls = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == len(data["sheets"])]
    assert controls[-1]["values"][1] == C.HEADERS and len(controls[-1]["values"]) == 2
    assert [a for a in actions if a["func"] == "setRangeColor"] == []


def test_validate_reads_unsaved_edits_and_marks_bad_cells(sample_path, files):
    data = payload(sample_path, client="Office.js", edits={("Familles", 2, 2): "deux", ("Familles", 3, 3): -1, ("Lots", 2, 9): 999})
    actions = run(data, "valider_le_classeur")
    rows = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == len(data["sheets"])][-1]["values"]
    found = {(r[1], r[2], r[5]) for r in rows[2:]}
    assert {("Familles", "C3", "not-a-number"), ("Familles", "D4", "out-of-range"), ("Lots", "J3", "inconsistent")} <= found
    colored = {(a["sheet_position"], a["start_row"], a["start_column"]): a["args"][0] for a in actions if a["func"] == "setRangeColor"}
    assert colored[(FAMILLES, 2, 2)] == C.ERROR_FILL
    assert alerts(actions) == ["2 erreurs, 1 avertissement — voir la feuille Contrôles"]


def test_output_scripts_write_into_the_add_in_files(sample_path, files):
    data = payload(sample_path, client="Office.js")
    assert alerts(run(data, "clauses_d_insertion"))[-1].startswith("5 fichiers écrits dans Sorties")
    assert len(list((files / "Sorties").glob("Clauses_insertion_*.xlsx"))) == 5
    run(data, "budget", "FSL", 2009)
    run(data, "budget", "CAMSA", 0)  # 0: every financed year, as the macro button does
    assert sorted(p.name for p in (files / "Sorties").glob("Budget_*.xlsx")) == [
        "Budget_CAMSA_2009.xlsx", "Budget_CAMSA_2010.xlsx", "Budget_FSL_2009.xlsx"]
    journal = (files / "igloo-journal.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [line.split(";")[2] for line in journal][0] == "clauses d'insertion" and len(journal) == 4


def test_output_scripts_refuse_while_errors(sample_path, files):
    data = payload(sample_path, client="Office.js", edits={("Familles", 2, 2): "deux"})
    assert alerts(run(data, "clauses_d_insertion"))[-1].startswith("Documents non générés : le classeur contient 1 erreur")
    assert not (files / "Sorties").exists()


@pytest.mark.parametrize("script,args", [
    ("budget", ["Inconnu", 2009]), ("budget", ["FSL", 1990]), ("actualiser_le_tableau_de_bord", []),
    ("compte_rendu_financier", ["Inconnu", 0])])
def test_nothing_raises_into_excel(sample_path, files, script, args):
    data = payload(sample_path, client="Office.js")
    data["sheets"] = [s for s in data["sheets"] if s["name"] != "Tableau de bord"]
    said = alerts(run(data, script, *args))
    assert len(said) == 1 and said[0]


@pytest.mark.skipif(not hasattr(__import__("igloo_xl.api").api, "export_financial_report"),
                    reason="api.export_financial_report (Cerfa 15059, helper `forms`) is not on this branch yet")
def test_financial_report_script_writes_the_report(sample_path, files):
    data = payload(sample_path, client="Office.js")
    assert alerts(run(data, "compte_rendu_financier", "CAMSA", 2009))[-1].startswith("1 fichier écrit")
    assert (files / "Sorties" / "Compte_rendu_financier_CAMSA_2009.xlsx").exists()


HOSTILE_NAME = '=HYPERLINK("http://exemple.invalid","Neolia")'


def strings_written(data, actions, sheet):
    at = position(data, sheet) if any(s["name"] == sheet for s in data["sheets"]) else len(data["sheets"])
    return [v for a in actions if a["func"] == "setValues" and a["sheet_position"] == at
            for row in a["values"] for v in row if isinstance(v, str)]


def test_text_typed_like_a_formula_stays_text_in_controles_and_the_dashboard(sample_path, files, tmp_path):
    from igloo_xl.api import refresh_dashboard

    master = tmp_path / "igloo_master.xlsx"
    master.write_bytes(sample_path.read_bytes())
    refresh_dashboard(master)
    data = payload(master, client="Office.js", edits={("Familles", 2, 2): HOSTILE_NAME})
    controls = strings_written(data, run(data, "valider_le_classeur"), C.CONTROLS_SHEET)
    assert "'" + HOSTILE_NAME in controls
    assert [v for v in controls if v.startswith(("=", "+", "-", "@")) and not v.startswith('=HYPERLINK("#')] == []

    data = payload(master, client="Office.js")
    for sheet in data["sheets"]:
        sheet["values"] = [[HOSTILE_NAME if v == "Neolia" else v for v in row] for row in sheet["values"]]
    board = strings_written(data, run(data, "actualiser_le_tableau_de_bord"), "Tableau de bord")
    assert "'" + HOSTILE_NAME in board
    assert [v for v in board if v.startswith(("=", "+", "-", "@"))] == []


# --- the Pyodide side ------------------------------------------------------------------------

def is_pure(dist: str) -> bool:
    files = metadata.files(dist) or []
    wheel = metadata.distribution(dist).read_text("WHEEL") or ""
    return "Root-Is-Purelib: true" in wheel and not any(str(f).endswith((".so", ".pyd", ".dylib")) for f in files)


def test_every_dependency_is_pure_python_or_in_pyodide():
    """What micropip installs for igloo-xl in xlwings Lite: each distribution of the closure (markers
    evaluated for Pyodide) is a pure-Python wheel, or comes from the Pyodide distribution; a compiled
    one must be there at a version its requirers accept (a pure one micropip can also take from
    PyPI). python-calamine is not in it."""
    lock = pyodide_lock.load()["packages"]
    deps = pyodide_lock.closure()
    assert "python-calamine" not in deps
    problems = []
    for dist, wanted_by in deps.items():
        if dist == "igloo-xl":
            continue
        if dist in lock:
            compiled = not lock[dist]["file_name"].endswith("-none-any.whl")
            for parent in (p for p in wanted_by if p not in lock):  # the lock's own packages agree among themselves
                for line in metadata.requires(parent) or []:
                    req = Requirement(line)
                    if req.marker is not None and not req.marker.evaluate({**pyodide_lock.PYODIDE_ENV, "extra": ""}):
                        continue
                    if (pyodide_lock.normalize(req.name) == dist and compiled
                            and not req.specifier.contains(lock[dist]["version"], prereleases=True)):
                        problems.append(f"{parent} asks {req}, Pyodide has {dist} {lock[dist]['version']} (compiled)")
            continue
        try:
            pure = is_pure(dist)
        except metadata.PackageNotFoundError:
            problems.append(f"{dist} (asked by {wanted_by}) is not installed here: cannot tell")
            continue
        if not pure and dist not in PURE_WHEEL_ON_PYPI:
            problems.append(f"{dist} (asked by {wanted_by}) is compiled and not in Pyodide {pyodide_lock.PYODIDE_VERSION}")
    assert problems == [], "\n".join(problems) + "\n(new dependency? refresh: python tests/pyodide_lock.py)"


@pytest.fixture(scope="module")
def sandbox(sample_path, tmp_path_factory):
    """Every script run once in a CPython that refuses the compiled modules Pyodide lacks."""
    from igloo_xl.api import refresh_dashboard

    tmp = tmp_path_factory.mktemp("lite")
    master = tmp / "igloo_master.xlsx"
    master.write_bytes(sample_path.read_bytes())
    refresh_dashboard(master)  # the sheet « Actualiser le tableau de bord » rewrites
    data = payload(master, client="Office.js")
    (tmp / "payload.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp / "files").mkdir()
    done = subprocess.run([sys.executable, str(HERE / "lite_sandbox.py"), str(tmp / "payload.json"), str(tmp / "files"),
                           str(tmp / "result.json")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((tmp / "result.json").read_text(encoding="utf-8")), tmp / "files"


def test_scripts_work_without_the_compiled_modules_pyodide_lacks(sandbox):
    result, files = sandbox
    said = {name: alerts(actions) for name, actions in result["runs"].items()}
    assert said["valider_le_classeur"] == ["Aucune erreur"]
    assert said["clauses_d_insertion"][-1].startswith("5 fichiers écrits")
    assert said["budget"][-1].startswith("1 fichier écrit")
    assert (files / "Sorties" / "Budget_FSL_2009.xlsx").exists()
    assert said["actualiser_le_tableau_de_bord"] == ["Tableau de bord actualisé."]
    assert all(len(s) == 1 for s in said.values())


def test_python_calamine_is_never_imported_on_the_lite_path(sandbox):
    result, _ = sandbox
    assert not [m for m in result["modules"] if m.partition(".")[0] == "python_calamine"]
    assert "python_calamine" not in result["refused"]  # not even tried: nothing on this path reads a file


def test_every_module_imported_on_the_lite_path_is_pyodide_or_pure_python(sandbox):
    result, _ = sandbox
    allowed = pyodide_lock.lock_imports(pyodide_lock.load())
    by_top = metadata.packages_distributions()
    deps = pyodide_lock.closure()
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    site = [Path(p) for p in sys.path if p.endswith("site-packages")]
    outside = set()
    for name, origin in result["modules"].items():
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in allowed or top in ("lite_sandbox", "pyodide_lock") or not origin:
            continue  # no file: a module made in memory (Cython's runtime helpers, namespace packages)
        where = Path(origin)
        if stdlib in where.parents and not any(s in where.parents for s in site):
            continue  # the interpreter's own (_sysconfigdata...)
        home = next((where.relative_to(s).parts[0] for s in site if s in where.parents), top)
        if home.partition(".")[0] in allowed:
            continue  # a compiled helper a Pyodide package registers under its own name (pandas' _cyutility)
        dists = {pyodide_lock.normalize(d) for d in by_top.get(top, []) or by_top.get(home, [])}
        if not dists & set(deps):
            outside.add(f"{name} ({dists or 'no distribution'})")
        elif origin and origin.endswith((".so", ".pyd")):
            outside.add(f"{name} is compiled")
    assert outside == set()
