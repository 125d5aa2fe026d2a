"""The typing of a text column checked whole (master._all_plain_texts) agrees with the check text by text."""

import random

from igloo_xl.model.master import _all_plain_texts

PIECES = ["a", "Z", "9", " ", "  ", "#", "\n", "\t", "\u00a0", "é", "\x00", "-", "F0001", ""]


def plain(u: str) -> bool:
    return u.isprintable() and u[:1] not in ("#", " ", "") and u[-1] != " " and "  " not in u


def test_whole_column_check_equals_all_of_the_text_by_text_check():
    rng = random.Random(14)
    for _ in range(3000):
        texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 5))]
        assert _all_plain_texts(texts) == all(plain(t) for t in texts), texts


def test_edge_columns():
    assert _all_plain_texts(["F0001", "F0002", "Rue de l'Ill", "a#b"])
    for texts in ([""], ["a", ""], ["", "a"], ["#1"], ["a", "#1"], [" a"], ["a "], ["a  b"], ["a\tb"], ["a", None], []):
        assert not _all_plain_texts(texts), texts
