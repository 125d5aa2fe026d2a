"""Text normalisation used wherever a header, list value or ID is matched."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


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


def fold_values(values, done: dict[str, str] | None = None) -> list:
    """`fold` of each value, None kept as None; each distinct text is folded once (an ID column repeats its
    IDs). `done` (text -> its fold) may be shared by the columns that hold the same IDs."""
    done = {} if done is None else done
    out = []
    for value in values:
        if value is None:
            out.append(None)
        elif value.__class__ is str:  # only texts share a cache key safely (1, 1.0 and True are equal keys)
            key = done.get(value)
            if key is None:
                key = done[value] = fold(value)
            out.append(key)
        else:
            out.append(fold(value))
    return out


def ascii_name(value: str) -> str:
    """`Paramètres` -> `Parametres`: for table names and file names."""
    text = unicodedata.normalize("NFKD", str(value))
    return "".join(ch for ch in text if not unicodedata.combining(ch))
