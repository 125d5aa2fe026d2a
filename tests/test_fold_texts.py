"""fold_texts (the batched fold) gives exactly `fold` of each text, whatever the texts hold."""

import random

from igloo_xl.read.text import fold, fold_codes, fold_texts, fold_values

PIECES = ["a", "B", "z9", "0", "42", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x00",
          "\u00a0", "`", "'", "\u2019", "\u2018", "\u02bc", "œ", "Æ", "é", "É", "ç", "ß", "İ", "ﬁ", "-", "_",
          "FAM-0001", "Lot 3", "Rue de l`Ill"]


def random_texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(n)]


def test_fold_texts_equals_fold_of_each_text():
    rng = random.Random(14)
    for _ in range(300):
        texts = random_texts(rng, rng.randint(0, 30))
        assert fold_texts(texts) == [fold(text) for text in texts]


def test_fold_texts_on_plain_ascii_ids_and_edge_texts():
    texts = ["FAM-0001", " FAM-0001 ", "fam-0001", "", "   ", "\t", "123", "a\t\tb", "L`Ill", "x\x00y", "\x00"]
    assert fold_texts(texts) == [fold(text) for text in texts]
    assert fold_texts([]) == []
    assert fold_texts([""]) == [""]


def test_fold_values_and_codes_match_fold_of_each_value():
    rng = random.Random(15)
    for _ in range(100):
        values = random_texts(rng, 20) + [None, 1, 2.5, True]
        rng.shuffle(values)
        assert fold_values(values) == [None if v is None else fold(v) for v in values]
        texts = [v for v in values if v is None or isinstance(v, str)]
        codes, keys = fold_codes(texts)
        assert [None if c < 0 else keys[c] for c in codes] == [None if v is None else fold(v) for v in texts]
