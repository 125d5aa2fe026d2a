"""What the Pyodide distribution of xlwings Lite ships, for the plugin's dependency check.

`tests/pyodide/pyodide-lock.json` holds, from the `pyodide-lock.json` of the npm package
`pyodide@PYODIDE_VERSION` (the Pyodide that xlwings Lite's changelog names), the entries of the
packages igloo-xl's install closure takes from Pyodide, with their own dependencies. It is
committed so that the check runs without a network. Refresh it (new Pyodide, new dependency):

    .venv/bin/python tests/pyodide_lock.py            # npm pack pyodide@PYODIDE_VERSION, then subset

The closure is igloo-xl's Requires-Dist, followed through the installed distributions, with the
environment markers evaluated as Pyodide evaluates them (sys_platform "emscripten"...).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PYODIDE_VERSION = "0.27.5"
LOCK = Path(__file__).resolve().parent / "pyodide" / "pyodide-lock.json"
PYODIDE_ENV = {
    "sys_platform": "emscripten", "platform_system": "Emscripten", "platform_machine": "wasm32", "os_name": "posix",
    "implementation_name": "cpython", "platform_python_implementation": "CPython", "python_version": "3.12",
    "python_full_version": "3.12.7", "platform_release": "", "platform_version": "", "implementation_version": "3.12.7",
}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(root: str = "igloo-xl", env: dict = PYODIDE_ENV) -> dict[str, list[str]]:
    """{distribution: [the distributions that ask for it]} for root and everything it needs under env.
    A distribution not installed here is listed too (the check then says it cannot be judged)."""
    found: dict[str, list[str]] = {normalize(root): []}
    todo = [(normalize(root), ())]
    while todo:
        name, extras = todo.pop()
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            marker_ok = req.marker is None or any(
                req.marker.evaluate({**env, "extra": e}) for e in (extras or ("",)))
            if not marker_ok:
                continue
            dep = normalize(req.name)
            if dep not in found:
                found[dep] = []
                todo.append((dep, tuple(req.extras)))
            found[dep].append(name)
    return found


def load() -> dict:
    return json.loads(LOCK.read_text(encoding="utf-8"))


def lock_imports(lock: dict) -> set[str]:
    """Top-level import names of every package of the lock (the compiled ones are allowed)."""
    return {i for p in lock["packages"].values() for i in p.get("imports", [])}


def subset(full: dict, names: set[str]) -> dict:
    keep: set[str] = set()
    todo = [n for n in names if n in full["packages"]]
    while todo:
        n = todo.pop()
        if n in keep:
            continue
        keep.add(n)
        todo += [normalize(d) for d in full["packages"][n].get("depends", []) if normalize(d) in full["packages"]]
    fields = ("name", "version", "file_name", "imports", "depends", "package_type", "sha256")
    return {"info": full["info"],
            "packages": {n: {k: full["packages"][n][k] for k in fields if k in full["packages"][n]} for n in sorted(keep)}}


def fetch_full_lock(version: str = PYODIDE_VERSION) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"pyodide@{version}", "--silent"], cwd=tmp, check=True, capture_output=True, timeout=600)
        tgz = next(Path(tmp).glob("pyodide-*.tgz"))
        with tarfile.open(tgz) as tar:
            return json.load(tar.extractfile("package/pyodide-lock.json"))


def main() -> int:
    full = fetch_full_lock()
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    LOCK.write_text(json.dumps(subset(full, set(closure())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{LOCK} : {len(load()['packages'])} paquets de Pyodide {full['info']['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
