"""The per-column typing pass: each distinct value parsed once, yet equal-hashing values of different
kinds (TRUE and 1, FALSE and 0) still typed apart, blanks and bad cells on their own rows."""

import datetime as dt

from conftest import set_cell
from igloo_xl.model.master import from_raw
from igloo_xl.validation.engine import validate

TODAY = dt.date(2026, 11, 24)


def cells(findings):
    return {(f.sheet, f.cell, f.code) for f in findings}


def test_true_is_not_the_number_one(raw):
    set_cell(raw, "Familles", "C2", 1.0)  # Adultes
    set_cell(raw, "Familles", "C3", True)
    set_cell(raw, "Familles", "D2", False)  # Enfants
    set_cell(raw, "Familles", "D3", 0.0)
    master = from_raw(raw)
    found = cells(validate(master, TODAY).findings)
    assert ("Familles", "C3", "not-a-number") in found
    assert ("Familles", "D2", "not-a-number") in found
    assert ("Familles", "C2", "not-a-number") not in found and ("Familles", "D3", "not-a-number") not in found
    frame = master.frame("Familles")
    assert frame.at[2, "adults"] == 1.0 and frame.at[3, "children"] == 0.0


def test_repeated_bad_value_reported_on_every_row(raw):
    for row in (2, 4, 5):
        set_cell(raw, "Familles", f"C{row}", "deux")
    found = cells(from_raw(raw).findings)
    assert {("Familles", f"C{row}", "not-a-number") for row in (2, 4, 5)} <= found


def test_spaces_around_an_id_are_trimmed_but_kept_as_typed(raw):
    set_cell(raw, "Familles", "A2", "  F01 ")
    master = from_raw(raw)
    assert master.frame("Familles").at[2, "id"] == "F01"
    assert master.sheets["Familles"].raw.at[2, "id"] == "  F01 "


def test_the_numpy_grid_equals_pandas_own_routine():
    """The fallback used if pandas ever moves its private routine builds the same grid."""
    import datetime as dt

    import numpy as np
    from pandas._libs.lib import to_object_array

    from igloo_xl.model.master import object_grid

    rows = [[1, "a", dt.date(2009, 3, 1)], [], [None, 2.5], ["x", True, float("nan"), "#N/A"]]
    for width in (0, 3, 6):
        ours, theirs = object_grid(rows, width), to_object_array(rows, width)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype == np.dtype(object)
        assert [[repr(v) for v in r] for r in ours] == [[repr(v) for v in r] for r in theirs]
