"""How the project is run: runtime dependencies, a plain run without test libraries, the error
hierarchy, derandomized fuzzing on CI, goldens that fail when missing."""

import ast
import importlib.metadata as md
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import check_golden

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "igloo_xl"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"igloo_xl"}


def test_every_imported_library_is_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_norm(re.split(r"[<>=!~ \[;]", d)[0]) for d in project["dependencies"]}
    by_module = md.packages_distributions()
    needed = {m: {_norm(d) for d in by_module.get(m, [m])} for m in imported_modules()}
    # numpy comes with pandas; it is imported only for types pandas returns
    missing = {m: d for m, d in needed.items() if not d & declared and m != "numpy"}
    assert not missing, f"imported by igloo_xl but not in [project] dependencies: {missing}"
    assert "pyopenvba" in declared  # `init x.xlsm` and `build-xlsm` need it at run time


def test_a_plain_run_does_not_import_hypothesis(sample_path):
    script = (
        "import sys\n"
        "from igloo_xl.cli import main\n"
        f"sys.argv = ['igloo-xl', 'validate', {str(sample_path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'hypothesis' and sys.modules[m] is not None))\n"
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert res.stdout.strip().splitlines()[-1] == "0 []", res.stdout + res.stderr


# --- errors ---------------------------------------------------------------------------------------

def _raised_names() -> list[tuple[str, str]]:
    out = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                out.append((str(path.relative_to(ROOT)), node.exc.func.id))
    return out


def test_no_bare_igloo_error_nor_command_line_error_raised_from_the_library():
    bad = [(p, n) for p, n in _raised_names() if n in ("IglooError", "BadArgument", "BadRequest")]
    assert not bad, bad


def test_every_refusal_is_declared_in_errors_with_its_rule():
    from igloo_xl import errors

    declared = {name for name, obj in vars(errors).items() if isinstance(obj, type) and issubclass(obj, errors.IglooError)}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                assert not bases & declared, f"{path.name}: {node.name} belongs in errors.py"
    for name in declared:
        cls = getattr(errors, name)
        assert cls.__doc__ and len(cls.__doc__.split()) >= 8, f"{name}: its docstring states the rule"
    raised = {n for _, n in _raised_names()}
    assert {n for n in raised if n in declared} <= declared


def test_an_unknown_funder_and_an_empty_year_are_library_errors(sample_path, tmp_path):
    from igloo_xl import api
    from igloo_xl.errors import NothingToGenerate, UnknownFunder

    with pytest.raises(UnknownFunder):
        api.export_budget(sample_path, "Mécène imaginaire", 2009, tmp_path / "b.xlsx")
    with pytest.raises(NothingToGenerate):
        api.export_budget(sample_path, "CAMSA", 2031, tmp_path / "b.xlsx")


# --- fuzzing and goldens ------------------------------------------------------------------------------

def _profile(env: dict) -> dict:
    script = ("import conftest, json\nfrom hypothesis import settings\n"
              "s = settings.default\nprint(json.dumps({'derandomize': s.derandomize, 'database': repr(s.database), "
              "'examples': s.max_examples}))")
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT / "tests",
                         env={**base, **env})
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_ci_fuzz_is_derandomized_and_local_fuzz_is_longer():
    ci = _profile({"CI": "true"})
    local = _profile({})
    assert ci["derandomize"] is True and local["derandomize"] is False
    assert local["examples"] > ci["examples"]
    assert ci["database"] == local["database"] == "None"  # no .hypothesis/ example database in the tree


def test_a_missing_golden_fails(tmp_path):
    with pytest.raises(pytest.fail.Exception):
        check_golden(tmp_path / "absent.json", {"A1": 1}, regen=False)
    assert not (tmp_path / "absent.json").exists()


def test_goldens_are_rewritten_only_when_asked(tmp_path):
    path = tmp_path / "g.json"
    one = {"Feuille": {"cells": {"A1": {"value": 1}}, "print": {}}}
    with pytest.raises(pytest.skip.Exception):
        check_golden(path, one, regen=True)
    assert path.exists()
    check_golden(path, one, regen=False)
    with pytest.raises(AssertionError):
        check_golden(path, {"Feuille": {"cells": {"A1": {"value": 2}}, "print": {}}}, regen=False)
