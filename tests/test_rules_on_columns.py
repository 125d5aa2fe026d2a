"""The rules that now work on whole columns (integer codes, numpy arrays, one pass) find what their
row-by-row definition finds, including the odd values a typed frame can hold."""

import datetime as dt
import math
import random

import pandas as pd
import pytest

from conftest import set_cell
from igloo_xl.domain.hours import _owed_hours, insertion_hours
from igloo_xl.model.master import from_raw
from igloo_xl.read.text import fold, fold_codes, fold_values
from igloo_xl.schemas.heures import _first_of_duplicates, _first_row
from igloo_xl.schemas.mesures import MAX_MONTHS, _length_ok, add_months
from igloo_xl.validation.engine import validate

TODAY = dt.date(2026, 11, 24)
IDS = ["F01", "f01", " F01 ", "F 01", "F  01", "É01", "e01", "L01-1", "l01-1", "L01-2", "Œuvre", "oeuvre", "a`b", "a’b"]


def test_fold_codes_share_a_code_exactly_when_the_folds_are_equal():
    rng = random.Random(14)
    odd = [None, float("nan"), 1, 1.0, True, 0, False, dt.date(2009, 3, 1)]
    for texts_only in (True, False):
        for _ in range(40):
            pool = IDS + ([None] if texts_only else odd)
            values = [rng.choice(pool) for _ in range(rng.randrange(0, 30))]
            codes, keys = fold_codes(values)
            folded = fold_values(values)
            assert [None if c < 0 else keys[c] for c in codes] == folded
            assert [c < 0 for c in codes] == [v is None for v in values]
            assert len(set(keys)) == len(keys)
            assert folded == [None if v is None else fold(v) for v in values]


def _owed_by_definition(amount, labour, insertion, cost, flag):
    if flag is not True:
        return 0 if flag is False else None
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (amount, labour, insertion, cost)) or not cost:
        return None
    return insertion_hours(float(amount), float(labour), float(cost), float(insertion))


def test_owed_hours_on_whole_columns_match_the_formula_row_by_row():
    rng = random.Random(7)
    for n in (0, 1, 5, 40):
        for _ in range(30):
            rows = [(rng.choice([None, float("nan"), 0.0, 1234.5, 98765.43, 1e9, 12.0]),
                     rng.choice([None, float("nan"), 0.25, 0.6, 1.0]),
                     rng.choice([None, 0.0, 0.05, 0.1, 0.0999]),
                     rng.choice([None, 0.0, 25.0, 31.7, 2]),
                     rng.choice([True, True, False, None])) for _ in range(n)]
            columns = [pd.Series([r[i] for r in rows], dtype=object) for i in range(5)]
            assert _owed_hours(*columns) == [_owed_by_definition(*r) for r in rows]


def test_owed_hours_too_large_for_an_exact_float_take_the_row_by_row_way():
    terms = [(1e20, 1.0, 1.0, 1.0, True), (2.0**60, 0.5, 1.0, 3.0, True), (120000.0, 0.3, 0.1, 30.0, True)]
    columns = [pd.Series([t[i] for t in terms], dtype=object) for i in range(5)]
    owed = _owed_hours(*columns)
    assert owed == [_owed_by_definition(*t) for t in terms]
    assert owed[0] == 10**20 and owed[2] == 120


def test_owed_hours_that_overflow_fail_as_the_formula_does():
    columns = [pd.Series([v], dtype=object) for v in (1e300, 1.0, 1.0, 1e-300, True)]
    with pytest.raises(OverflowError):
        _owed_by_definition(1e300, 1.0, 1.0, 1e-300, True)
    with pytest.raises(OverflowError):
        _owed_hours(*columns)


def test_measure_length_by_months_matches_add_months():
    starts = [dt.date(2009, 1, 31), dt.date(2008, 2, 29), dt.date(2009, 3, 1), dt.date(2009, 12, 15), dt.date(2010, 8, 31)]
    rows = []
    for start in starts:
        limit = add_months(start, MAX_MONTHS)
        for end in (start, start + dt.timedelta(days=1), limit - dt.timedelta(days=1), limit, limit + dt.timedelta(days=1),
                    add_months(start, MAX_MONTHS - 1), add_months(start, MAX_MONTHS + 1), None):
            rows.append({"start": start, "end": end})
    rows.append({"start": None, "end": dt.date(2009, 1, 1)})
    df = pd.DataFrame(rows, index=range(2, len(rows) + 2))
    expected = [e is None or s is None or e <= s or e <= add_months(s, MAX_MONTHS) for s, e in zip(df["start"], df["end"])]
    assert list(_length_ok(df)) == expected
    assert not all(expected) and any(expected)


def test_repeated_statements_match_the_definition():
    rng = random.Random(3)
    months = [dt.date(2009, 10, 1), dt.date(2009, 10, 17), dt.date(2009, 11, 1), dt.date(2010, 10, 1), None]
    for n in (1, 2, 6, 30):
        for _ in range(40):
            df = pd.DataFrame({"month": [rng.choice(months) for _ in range(n)],
                               "family": [rng.choice(["F01", "f01 ", "F02", None]) for _ in range(n)],
                               "lot": [rng.choice(["L01-1", "l01-1", "L01-2", None]) for _ in range(n)]},
                              index=range(2, n + 2), dtype=object)
            first: dict = {}
            expected_ok, expected_first = [], {}
            for row, m, f, l in zip(df.index, df["month"], df["family"], df["lot"]):
                key = None if m is None or f is None or l is None else ((m.year, m.month), fold(f), fold(l))
                expected_ok.append(key is None or key not in first)
                if key is not None:
                    expected_first[row] = first.setdefault(key, row)
            assert list(_first_of_duplicates(df)) == expected_ok
            for row, ok in zip(df.index, expected_ok):
                if not ok:
                    assert _first_row(df, row, None) == {"first_row": expected_first[row]}


def test_ids_typed_with_another_case_or_spacing_are_the_same_id(sample_raw):
    import copy

    raw = copy.deepcopy(sample_raw)
    set_cell(raw, "Parcours", "A4", " f01 ")  # F01's contract on L01-1, its family ID retyped
    set_cell(raw, "Heures", "C2", "l01-1")  # F01's October 2009 statement, its lot ID retyped
    found = {(f.sheet, f.cell, f.code) for f in validate(from_raw(raw), TODAY).findings}
    assert not {c for c in found if c[0] in ("Parcours", "Heures")}
    set_cell(raw, "Parcours", "A4", "F0 1")
    found = {(f.sheet, f.cell, f.code) for f in validate(from_raw(raw), TODAY).findings}
    assert ("Parcours", "A4", "unknown-reference") in found


def _balances_by_definition(budget, funding):
    """Per (year, action) present in either frame, the four sums filtered row by row."""
    from igloo_xl.domain.funding import IN_KIND_RESOURCES, OTHER_INCOME_LINES, SUBSIDY_LINES, is_charge, is_in_kind

    def amount(v):
        return float(v) if v is not None and v == v else 0.0

    keys = {(int(y), a) for frame in (budget, funding) for y, a in zip(frame["year"], frame["action"])
            if y is not None and a is not None and y == y}
    out = {}
    for year, action in keys:
        b = budget[(budget["year"] == year) & (budget["action"] == action)]
        f = funding[(funding["year"] == year) & (funding["action"] == action)]
        out[(year, action)] = (
            float(b.loc[[is_charge(c) for c in b["account"]], "planned"].map(amount).sum()) if len(b) else 0.0,
            float(f.loc[f["line"].isin(SUBSIDY_LINES + OTHER_INCOME_LINES), "counted"].sum()),
            float(b.loc[[is_in_kind(c) for c in b["account"]], "planned"].map(amount).sum()) if len(b) else 0.0,
            float(f.loc[f["line"] == IN_KIND_RESOURCES, "counted"].sum()),
            list(b.index), list(f.index))
    return out


def test_budget_balances_grouped_once_equal_their_row_by_row_sums(sample_raw):
    from igloo_xl.domain.funding import balances, funding_with_lines

    master = from_raw(sample_raw)
    budget, financements = master.frame("Budget"), master.frame("Financements")
    rng = random.Random(86)
    accounts = ["60", "604", "6226", "641", "69", "CI", "ci", "86", "861", "864", "70", "7", None, "abc"]
    amounts = [None, float("nan"), 0.0, 0.1, 0.2, 1e-9, 12345.67, 1e15, -3.0]
    for _ in range(25):
        b = budget.sample(frac=1.0, random_state=rng.randrange(10**6)).copy()
        b["account"] = [rng.choice(accounts) for _ in range(len(b))]
        b["planned"] = [rng.choice(amounts) for _ in range(len(b))]
        b["year"] = [rng.choice([2009, 2010, None]) for _ in range(len(b))]
        f = financements.copy()
        f["year"] = [rng.choice([2009, 2010, 2011, None]) for _ in range(len(f))]
        expected = _balances_by_definition(b, funding_with_lines(f, master.params))
        got = {(r["year"], r["action"]): (r["charges"], r["produits"], r["in_kind_charges"], r["in_kind_resources"],
                                          r["budget_rows"], r["funding_rows"]) for r in balances(b, f, master.params)}
        assert got == expected


def test_no_heures_frame_outlives_its_validation(sample_raw):
    """The Excel button's process lives on between clicks: nothing of a validated master stays behind
    (the Heures rule's memo once kept the last frame it saw)."""
    import gc

    def heures_frames():
        return [o for o in gc.get_objects() if isinstance(o, pd.DataFrame) and {"month", "family", "lot", "hours"} <= set(o.columns)]

    gc.collect()
    before = len(heures_frames())
    master = from_raw(sample_raw)
    validate(master, TODAY)
    assert len(heures_frames()) > before
    del master
    gc.collect()
    assert len(heures_frames()) == before
