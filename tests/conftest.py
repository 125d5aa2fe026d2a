import copy
import os

import pytest
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


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


@pytest.fixture
def raw(sample_raw):
    """A private copy of the sample's grids to plant errors in."""
    return copy.deepcopy(sample_raw)
