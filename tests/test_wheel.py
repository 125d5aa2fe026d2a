"""The wheel the association hosts for xlwings Lite (requirements.txt names its address): built by
the project, pure Python, holding the plugin, and installable in Pyodide (no python-calamine)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import pyodide_lock

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = out.glob("igloo_xl-*.whl")
    return built


def test_wheel_is_pure_python_and_holds_the_plugin(wheel):
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        assert "Root-Is-Purelib: true" in z.read(info).decode()
    assert "igloo_xl/excel/lite.py" in names and "igloo_xl/excel/__init__.py" in names
    assert not [n for n in names if n.endswith((".so", ".pyd"))]


def test_wheel_needs_no_python_calamine_in_pyodide(wheel):
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [Requirement(line.split(":", 1)[1].strip()) for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    in_pyodide = {r.name.lower() for r in requires
                  if r.marker is None or r.marker.evaluate({**pyodide_lock.PYODIDE_ENV, "extra": ""})}
    assert "python-calamine" in {r.name.lower() for r in requires}  # on a PC it reads the files
    assert "python-calamine" not in in_pyodide
    assert {"pandas", "pandera", "xlwings"} <= in_pyodide
