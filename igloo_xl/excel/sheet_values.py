"""Values as the Excel buttons write them through xlwings: text stays text.

Excel (and xlwings Lite's Office.js) evaluates any string written into a cell that starts with
`=`, `+`, `-` or `@` as a formula. A sheet name, a value or a landlord's name typed by staff
(« =HYPERLINK(...) ») must reach the sheet as the text it is: it is written behind an apostrophe,
Excel's text marker, which Excel does not show. The only formulas igloo-xl writes on purpose are
marked `Formula`.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")
TEXT_MARKER = "'"


class Formula(str):
    """A formula igloo-xl itself writes (the link to a finding's cell): written as it is."""


def as_cell(value):
    """One value ready for a cell: text that Excel would evaluate gets the text marker."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_MARKER + value
    return value


def as_cells(rows: list[list]) -> list[list]:
    """A block of rows (one range write) with every value through `as_cell`."""
    return [[as_cell(v) for v in row] for row in rows]
