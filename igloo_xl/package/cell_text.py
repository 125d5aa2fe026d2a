"""Writing a value into an openpyxl cell so that text stays text.

openpyxl turns any string that starts with `=` into a formula. A name typed by staff
(« =HYPERLINK(...) » in Calendrier or Bailleurs) must reach the master as the text it was, never as
a live formula: the cell is typed as a string after the assignment.
"""

from __future__ import annotations


def write_value(ws, row: int, col: int, value):
    """Put `value` at (row, col), 1-based; a string is always stored as a string."""
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell
