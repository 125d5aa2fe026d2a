"""Text normalisation used wherever a header, list value or ID is matched."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SPACE_RUNS = re.compile(r"\s+")  # on ASCII, \s is exactly what str.split() splits on
_GLUE = "\x00"  # not a space, so runs of spaces never cross two joined texts


def fold(value: str) -> str:
    """Key for matching: trimmed, case and accents ignored, one apostrophe kind, inner spaces folded."""
    text = value if value.__class__ is str else str(value)
    if text.isascii():  # most IDs and headers: no cache needed, so none to overflow with 100,000s of IDs
        return " ".join(text.replace("`", "'").lower().split())
    return _fold_unicode(text)


@lru_cache(maxsize=1 << 14)
def _fold_unicode(text: str) -> str:
    text = text.translate(_APOSTROPHES).replace("\u00a0", " ").strip().casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()).replace("œ", "oe").replace("æ", "ae")


def fold_texts(texts: list[str]) -> list[str]:
    """`fold` of each text (str only), with the ASCII ones folded together in a few passes over their
    joined text instead of one call each: an ID column has 100,000s of distinct IDs."""
    joined = _GLUE.join(texts)
    if joined.isascii() and joined.count(_GLUE) == len(texts) - 1:
        glued = _SPACE_RUNS.sub(" ", _GLUE + joined.replace("`", "'").lower() + _GLUE)
        return glued.replace(" " + _GLUE, _GLUE).replace(_GLUE + " ", _GLUE).split(_GLUE)[1:-1]
    out, plain = list(texts), []
    for i, text in enumerate(texts):
        if text.isascii() and _GLUE not in text:
            plain.append(i)
        else:
            out[i] = fold(text)
    if plain:  # fewer than all of them here, so this ends
        for i, key in zip(plain, fold_texts([texts[i] for i in plain])):
            out[i] = key
    return out


def fold_values(values, done: dict[str, str] | None = None) -> list:
    """`fold` of each value, None kept as None; each distinct text is folded once (an ID column repeats its
    IDs). `done` (text -> its fold) may be shared by the columns that hold the same IDs."""
    done = {} if done is None else done
    values = list(values)
    # only texts share a cache key safely (1, 1.0 and True are equal keys)
    fresh = list({value for value in values if value.__class__ is str and value not in done})
    done.update(zip(fresh, fold_texts(fresh)))
    return [None if value is None else done[value] if value.__class__ is str else fold(value) for value in values]


def fold_codes(values) -> tuple[np.ndarray, list[str]]:
    """(a code per value: the position of its fold in the list returned, -1 where empty; that list).
    Values whose folds are equal share a code, so IDs are matched on whole columns without a loop per row."""
    import numpy as np
    import pandas as pd

    values = np.asarray(values, dtype=object)
    codes, distinct = pd.factorize(values)  # -1: None, but also NaN, which is not empty here
    empty = codes < 0
    if all(v.__class__ is str for v in distinct) and all(v is None for v in values[empty]):
        folded = fold_texts(list(distinct))  # hashing merges 1, 1.0 and True: texts only
    else:
        codes, folded, empty = np.arange(len(values)), fold_values(values), np.zeros(len(values), dtype=bool)
    key_codes, keys = pd.factorize(_objects(folded))  # folds in order of first appearance; None -> -1
    key_codes = np.append(key_codes.astype(np.int64, copy=False), -1)  # the code -1 of an empty value picks -1
    return np.where(empty, -1, key_codes[codes]), list(keys)


def _objects(items: list):
    import numpy as np

    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def ascii_name(value: str) -> str:
    """`Paramètres` -> `Parametres`: for table names and file names."""
    text = unicodedata.normalize("NFKD", str(value))
    return "".join(ch for ch in text if not unicodedata.combining(ch))
