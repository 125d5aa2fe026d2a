"""igloo-xl: the IGLOO master workbook as system of record (validation, clauses, budget tables)."""

__version__ = "0.1.0"
