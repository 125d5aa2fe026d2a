"""Reading one cell as Excel stores it or as a person typed it.

Each parser returns the typed value, None for an empty cell, or raises
`Unreadable` with the finding code to report on that cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from igloo_xl.read.text import fold

EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f€]|eur(os?)?$", re.IGNORECASE)
_DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")


class _NotComputed:
    """A formula saved without its value: no parser can read it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "formule non calculée"

    def __str__(self) -> str:
        return "formule non calculée"


NOT_COMPUTED = _NotComputed()


class Unreadable(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value)
    )


def _check_excel_error(value) -> None:
    if value is NOT_COMPUTED:
        raise Unreadable("formula-not-computed")
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise Unreadable("cell-error")


def parse_text(value):
    if is_blank(value):
        return None
    _check_excel_error(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def parse_number(value):
    if is_blank(value):
        return None
    _check_excel_error(value)
    if isinstance(value, bool):
        raise Unreadable("not-a-number")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        raise Unreadable("not-a-number")
    text = _NUMBER_JUNK.sub("", str(value))
    if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
        text = text.replace(".", "")  # 1.234,50
    text = text.replace(",", ".")
    if text.count(".") > 1 or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
        raise Unreadable("not-a-number")
    return float(text)


def parse_integer(value):
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise Unreadable("not-a-number/integer")
    return float(number)


def parse_percent(value):
    """0.125, "12,5 %" and "12,5" are the same value: above 1 is percent, 1 or below a fraction."""
    if is_blank(value):
        return None
    _check_excel_error(value)
    if isinstance(value, str) and "%" in value:
        number = parse_number(value.replace("%", ""))
        return None if number is None else number / 100
    number = parse_number(value)
    return number / 100 if number > 1 else number


def parse_date(value):
    if is_blank(value):
        return None
    _check_excel_error(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise Unreadable("not-a-date")
    text = str(value).strip()
    try:
        if m := _DATE_FR.match(text):
            day, month, year = (int(g) for g in m.groups())
            if year < 100:
                year += 2000
            return dt.date(year, month, day)
        if m := _DATE_ISO.match(text):
            year, month, day = (int(g) for g in m.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise Unreadable("not-a-date/no-such-day") from None  # the shape of a date, but no such day (31/02)
    raise Unreadable("not-a-date")


def parse_yes_no(value):
    if is_blank(value):
        return None
    _check_excel_error(value)
    if isinstance(value, bool):
        return value
    key = fold(parse_text(value))
    if key in {"oui", "o", "yes", "vrai", "true", "1", "x"}:
        return True
    if key in {"non", "n", "no", "faux", "false", "0"}:
        return False
    raise Unreadable("not-in-list")


def canonical(value, choices: list[str]):
    """The canonical spelling of a list value, or the trimmed text when it is not in the list."""
    text = parse_text(value)
    if text is None:
        return None
    lookup = {fold(choice): choice for choice in choices}
    return lookup.get(fold(text), text)
