"""The few ways igloo-xl refuses to go on. Each docstring states the rule that was not met.

Every refusal is an `IglooError` subclass carrying a French message for a person and the exit code
of the command line; the Excel buttons show the same message in a message box. `IglooError`
itself is never raised: raise the subclass whose rule was broken.
"""

from __future__ import annotations


class IglooError(Exception):
    """Base of every refusal (abstract: never raised itself): a French message and an exit code."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- exit 2: the file cannot be used ---------------------------------------------------------------

class UnusableWorkbook(IglooError):
    """The file cannot be read as a workbook: missing, not .xlsx/.xlsm, damaged, protected or unreadable."""


class UpgradeRefused(UnusableWorkbook):
    """`upgrade` works on an IGLOO master whose layout leaves a free place for each addition; otherwise nothing is written."""


class WriteFailed(IglooError):
    """A file that could not be written (full disk, no rights...) leaves its target as it was; exit 2."""


class OutputRefused(IglooError):
    """An output path that would destroy data (the input, a master) or that cannot hold the output; exit 2."""


class WorkbookLocked(IglooError):
    """A workbook open in Excel (lock file ~$NAME beside it) or read-only is never written."""


class WorkbookNotSaved(IglooError):
    """Outputs are written beside the master: a workbook never saved to disk has no folder to write them in."""


class MissingSheet(IglooError):
    """An action that works on one sheet of the master (e.g. refreshing « Tableau de bord ») needs that sheet."""


class BuildError(IglooError):
    """The .xlsm could not be built (xlwings quickstart or the VBA project failed); nothing was written."""


# --- exit 1: the request or the data does not allow the output ---------------------------------------

class OutputExists(IglooError):
    """igloo-xl never overwrites a file it was not asked to replace (e.g. `init` on an existing path)."""

    exit_code = 1


class MasterHasErrors(IglooError):
    """Outputs are generated only from a master with no error; the findings say what to fix."""

    exit_code = 1

    def __init__(self, message: str, findings: list):
        super().__init__(message)
        self.findings = findings


class BadRequest(IglooError):
    """What was asked names nothing usable: a file name with the wrong extension, an unknown funder,
    an output with nothing to put in it. Raised from the library, whichever front end asked."""

    exit_code = 1


class WrongExtension(BadRequest):
    """A master is a .xlsx (or .xlsm with the buttons): any other extension is refused before writing."""


class UnknownFunder(BadRequest):
    """A funder is named as in Paramètres or by one word of its name that designates exactly one funder."""


class NothingToGenerate(BadRequest):
    """An output is written only when the master holds something to put in it (e.g. a funder's financing that year)."""

