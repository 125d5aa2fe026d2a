"""Runs the xlwings Lite scripts as the add-in does, in a CPython that refuses what Pyodide lacks.

Usage: python lite_sandbox.py PAYLOAD.json FILES_DIR RESULT.json

A finder placed first on sys.meta_path refuses every compiled extension module whose top-level
package is neither in the standard library nor among the imports of the committed Pyodide lock
(so python-calamine, and xlwings' own Rust reader, cannot load). Then each script runs through
xlwings.server.custom_scripts_call on `xw.Book(json=payload)`, as xlwings Lite's runtime does,
and the result file gets each script's actions and every module that was imported.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.machinery
import importlib.metadata
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pyodide_lock  # noqa: E402

SCRIPTS = [  # (script, form fields) — the App Mode buttons
    ("valider_le_classeur", []),
    ("actualiser_le_tableau_de_bord", []),
    ("clauses_d_insertion", []),
    ("budget", ["FSL", 2009]),
    ("compte_rendu_financier", ["CAMSA", 2009]),
]


class NotInPyodide(importlib.abc.MetaPathFinder):
    """Refuses what the add-in would not have: a module of a distribution outside igloo-xl's install
    closure for Pyodide (not installed there), or a compiled module outside the Pyodide lock."""

    def __init__(self, allowed: set[str], installed: set[str]):
        self.allowed = allowed
        self.installed = installed
        self.by_top = importlib.metadata.packages_distributions()
        self.refused: set[str] = set()

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in sys.stdlib_module_names or top in self.allowed:
            return None
        dists = {pyodide_lock.normalize(d) for d in self.by_top.get(top, [])}
        if dists and not dists & self.installed:
            self.refused.add(fullname)
            raise ImportError(f"{fullname} ({', '.join(sorted(dists))}) is not installed with igloo-xl in Pyodide")
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            self.refused.add(fullname)
            raise ImportError(f"{fullname} is compiled and not in the Pyodide distribution")
        return None


def main(payload_path: str, files: str, result_path: str) -> int:
    baseline = set(sys.modules)  # the interpreter's own start-up (site hooks), not the Lite path
    finder = NotInPyodide(pyodide_lock.lock_imports(pyodide_lock.load()), set(pyodide_lock.closure()))
    sys.meta_path.insert(0, finder)
    os.environ["IGLOO_LITE_FILES"] = files

    import xlwings as xw
    import xlwings.server

    from igloo_xl.excel import lite

    payload = json.loads(Path(payload_path).read_text(encoding="utf-8"))
    runs = {}
    for name, args in SCRIPTS:
        book = xw.Book(json=json.loads(json.dumps(payload)))
        done = asyncio.run(xlwings.server.custom_scripts_call(
            module=lite, script_name=name, typehint_to_value={xw.Book: book}, args=args))
        runs[name] = done.json()["actions"]
    modules = {}
    for name, module in list(sys.modules.items()):
        if name in baseline:
            continue
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        modules[name] = origin if isinstance(origin, str) else None
    Path(result_path).write_text(json.dumps({
        "runs": runs, "modules": modules, "refused": sorted(finder.refused),
        "meta": xlwings.server.custom_scripts_meta(lite),
    }, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
