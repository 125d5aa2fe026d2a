"""The plugin under a real Pyodide (Node.js), where this machine can get one: Pyodide from the npm
package `pyodide` (the version of tests/pyodide_lock.py), igloo-xl's wheel installed by micropip,
« Valider le classeur » run on the sample's JSON book. Skipped, with what blocked it, when a step
needs what the machine cannot reach (Pyodide's built packages come from its CDN, not from npm)."""

import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import pyodide_lock
from xlwings_payload import payload

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@pytest.fixture(scope="module")
def pyodide_dir(tmp_path_factory):
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("Node.js/npm absent: no Pyodide runtime to run the plugin in")
    tmp = tmp_path_factory.mktemp("pyodide")
    done = subprocess.run(["npm", "pack", f"pyodide@{pyodide_lock.PYODIDE_VERSION}", "--silent"], cwd=tmp,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"npm pack pyodide@{pyodide_lock.PYODIDE_VERSION} failed: {done.stderr.strip()[-500:]}")
    with tarfile.open(next(tmp.glob("pyodide-*.tgz"))) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "package"


def test_validate_script_under_pyodide(pyodide_dir, sample_path, tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (tmp_path / "payload.json").write_text(json.dumps(payload(sample_path, client="Office.js")), encoding="utf-8")
    done = subprocess.run(["node", str(HERE / "pyodide" / "run_plugin.mjs"), str(pyodide_dir),
                           str(next(wheels.glob("*.whl"))), str(tmp_path / "payload.json")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "blocked" in result:
        pytest.skip(result["blocked"][:600])
    assert result["alerts"] == ["Aucune erreur"]
    assert result["calamine"] is False
