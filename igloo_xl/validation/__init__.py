"""Validation: pandera schemas run on the typed master, cross-sheet rules, findings and their French messages."""

from igloo_xl.validation.engine import Report, validate, validate_file

__all__ = ["Report", "validate", "validate_file"]
