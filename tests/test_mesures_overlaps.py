"""The overlap rule of Mesures, computed in one sweep, finds what the pairwise definition finds."""

import random
from datetime import date, timedelta

import pandas as pd

from igloo_xl.read.text import fold
from igloo_xl.schemas.mesures import overlaps


def pairwise(df: pd.DataFrame) -> dict[int, int]:
    """The rule by its definition: each measure against every earlier-listed one of its family."""
    out, seen = {}, {}
    for row, family, start, end in zip(df.index, df["family"], df["start"], df["end"]):
        if family is None or start is None or end is None or end < start:
            continue
        mine = seen.setdefault(fold(family), [])
        for other, s, e in mine:
            if start <= e and s <= end:
                out[row] = other
                break
        mine.append((row, start, end))
    return out


def random_measures(rng: random.Random, n: int) -> pd.DataFrame:
    day0 = date(2009, 1, 1)
    rows = []
    for _ in range(n):
        start = day0 + timedelta(days=rng.randrange(0, 400, 15))
        end = start + timedelta(days=rng.choice([-10, 0, 30, 90, 180, 365]))
        rows.append({
            "family": rng.choice(["F001", "f001", "F002", "F003", None]),
            "start": rng.choice([start, start, start, None]),
            "end": rng.choice([end, end, end, None]),
        })
    return pd.DataFrame(rows, index=range(2, n + 2), columns=["family", "start", "end"])


def test_sweep_matches_the_pairwise_definition():
    rng = random.Random(14)
    found = 0
    for n in (0, 1, 2, 3, 5, 8, 13, 40):
        for _ in range(60):
            df = random_measures(rng, n)
            expected = pairwise(df)
            assert overlaps(df) == expected
            found += len(expected)
    assert found > 100  # the draws do produce overlaps, so the comparison means something


def test_same_frame_is_computed_once_and_a_new_frame_anew():
    df = pd.DataFrame({"family": ["F1", "F1"], "start": [date(2009, 1, 1), date(2009, 3, 1)],
                       "end": [date(2009, 6, 30), date(2009, 4, 30)]}, index=[2, 3])
    assert overlaps(df) == {3: 2}
    other = df.copy()
    other.loc[3, "start"] = date(2009, 7, 1)
    other.loc[3, "end"] = date(2009, 8, 1)
    assert overlaps(other) == {}
