"""The few ways igloo-xl refuses to go on. Each docstring states the rule."""

from __future__ import annotations


class IglooError(Exception):
    """Base of every refusal: carries a French message for a person and an exit code."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnusableWorkbook(IglooError):
    """The file cannot be read as a workbook: missing, not .xlsx/.xlsm, damaged, protected or unreadable."""


class WorkbookLocked(IglooError):
    """A workbook open in Excel (lock file ~$NAME beside it) or read-only is never written."""


class OutputExists(IglooError):
    """igloo-xl never overwrites a file it was not asked to replace (e.g. `init` on an existing path)."""

    exit_code = 1


class MasterHasErrors(IglooError):
    """Outputs are generated only from a master with no error; the findings say what to fix."""

    exit_code = 1

    def __init__(self, message: str, findings: list):
        super().__init__(message)
        self.findings = findings


class BadArgument(IglooError):
    """A command-line argument that names nothing usable (unknown funder, year out of range)."""

    exit_code = 1
