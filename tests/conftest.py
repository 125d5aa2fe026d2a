import copy
import os
import tempfile
from pathlib import Path

import pytest
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

# --- hypothesis: derandomized on CI (CI=true), a longer random run locally; nothing left in the tree -----
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "igloo-xl-hypothesis"))
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # a plain install runs the tests that do not fuzz
    settings = None
if settings is not None:
    _common = dict(database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    settings.register_profile("ci", derandomize=True, max_examples=60, **_common)
    settings.register_profile("dev", derandomize=False, max_examples=300, **_common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev"))


# --- golden files: a missing golden fails; `pytest --regen-goldens` (or IGLOO_REGEN_GOLDENS=1) rewrites them --

def pytest_addoption(parser):
    parser.addoption("--regen-goldens", action="store_true", default=False,
                     help="rewrite the golden files of tests/golden from the current outputs (review, then commit)")


def check_golden(path: Path, actual: dict, regen: bool) -> None:
    """Compare `actual` with the golden file; rewrite it (and skip) only when asked to; fail when it is missing."""
    from xlsx_compare import diff, load_golden, save_golden

    if regen:
        save_golden(path, actual)
        pytest.skip(f"golden rewritten: {path.name} (review it and commit)")
    if not path.exists():
        pytest.fail(f"golden file missing: {path} (run pytest --regen-goldens, review, commit)")
    problems = diff(load_golden(path), actual)
    assert not problems, "\n".join(problems[:40])


@pytest.fixture
def golden(request):
    """golden(path, actual): see check_golden; regeneration is `pytest --regen-goldens` or IGLOO_REGEN_GOLDENS=1."""
    regen = request.config.getoption("--regen-goldens") or os.environ.get("IGLOO_REGEN_GOLDENS") == "1"
    return lambda path, actual: check_golden(path, actual, regen)


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory):
    from igloo_xl.api import init_master

    return init_master(tmp_path_factory.mktemp("sample") / "igloo_master.xlsx")


@pytest.fixture(scope="session")
def sample_raw(sample_path):
    from igloo_xl.read.reader import read_workbook

    return read_workbook(sample_path)


def set_cell(raw, sheet: str, cell: str, value):
    """Write `value` at `cell` (A1) of a raw grid, growing it as needed."""
    col_letter, row = coordinate_from_string(cell)
    r, c = row - 1, column_index_from_string(col_letter) - 1
    rows = raw.sheets[sheet].rows
    while len(rows) <= r:
        rows.append([""] * (len(rows[0]) if rows else 1))
    for line in rows:
        while len(line) <= c:
            line.append("")
    rows[r][c] = value
    raw.sheets[sheet].formula_cells.discard((r, c))  # what a test sets is typed, even over a formula


@pytest.fixture
def raw(sample_raw):
    """A private copy of the sample's grids to plant errors in."""
    return copy.deepcopy(sample_raw)
