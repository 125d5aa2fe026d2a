"""The README against the code: every command and option, every finding code, every exit code
(in the spirit of sqlite-utils' test_docs.py). Everything is read from the code at run time, so a
command, option, code or exit code added later is checked too."""

import ast
import re
from pathlib import Path

import pytest

from igloo_xl import cli, cli_text, errors
from igloo_xl.validation import findings as F

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = cli_text.commands(cli.app)


def _table_after(heading: str) -> list[list[str]]:
    """The rows of the first Markdown table under `heading` (cells stripped, header and rule dropped)."""
    text = README[README.index(heading):]
    rows = []
    started = False
    for line in text.splitlines()[1:]:
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif started:
            break
    return rows[1:]


def _command_rows() -> dict[str, str]:
    rows = {}
    for line in README.splitlines():
        m = re.match(r"\| `igloo-xl ([\w-]+)", line)
        if m:
            rows[m.group(1)] = line
    return rows


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_and_its_options_are_in_the_readme(name):
    rows = _command_rows()
    assert name in rows, f"igloo-xl {name} has no row in the README's table of commands"
    for p in COMMANDS[name].params:
        if p.option:
            assert p.option in rows[name], f"{p.option} of igloo-xl {name} is not in its README row"


def test_the_readme_names_no_command_that_does_not_exist():
    assert set(_command_rows()) <= set(COMMANDS)


def _readme_codes() -> list[str]:
    return [re.sub(r"`", "", row[0]) for row in _table_after("### Codes des constats")]


@pytest.mark.parametrize("code", F.codes())
def test_every_finding_code_is_in_the_readme_table(code):
    assert code in _readme_codes(), f"finding code {code} has no row in the README's « Codes des constats »"


def test_every_code_of_the_readme_is_in_the_code_table():
    assert set(_readme_codes()) <= set(F.codes())


def _raised_codes() -> set[str]:
    """Codes given to findings.make / Unreadable as literals anywhere in the package."""
    found = set()
    for path in (ROOT / "igloo_xl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("make", "Unreadable", "_at", "at"):
                args = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if args and re.fullmatch(r"[a-z]+(-[a-z]+)*(/[a-z-]+)?", args[0].value):
                    found.add(args[0].value.split("/")[0])
    return found


def test_every_code_the_package_raises_is_in_the_code_table():
    assert _raised_codes() and _raised_codes() <= set(F.codes())


def _exit_codes() -> set[int]:
    codes = {cls.exit_code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.IglooError)}
    tree = ast.parse((ROOT / "igloo_xl" / "cli.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        name = getattr(getattr(node, "func", None), "attr", None) or getattr(getattr(node, "func", None), "id", None)
        if isinstance(node, ast.Call) and name in ("_fail", "Exit"):
            codes |= {c.value for a in node.args for c in ast.walk(a) if isinstance(c, ast.Constant) and type(c.value) is int}
        if isinstance(node, ast.Return) and node.value is not None:
            codes |= {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and type(c.value) is int}
    return codes


def test_every_exit_code_is_documented():
    documented = {int(row[0]) for row in _table_after("### Codes de sortie")}
    assert {0, 1, 2, 3, 130} <= _exit_codes()
    assert _exit_codes() <= documented, f"undocumented exit codes: {_exit_codes() - documented}"


def test_every_rule_of_the_schemas_has_its_entry_in_the_code_table(sample_raw):
    import datetime as dt

    from igloo_xl.model.master import from_raw
    from igloo_xl.schemas import SHEETS
    from igloo_xl.schemas.base import Context, rule_info

    ctx = Context(today=dt.date(2026, 11, 24), params=from_raw(sample_raw).params)
    keys = set()
    for sheet in SHEETS.values():
        schema = sheet.schema(ctx)
        checks = [c for col in schema.columns.values() for c in col.checks] + list(schema.checks)
        keys |= {c.name for c in checks if rule_info(c)["code"] is not None}
    assert keys and keys <= set(F.MESSAGES), f"rules without a table entry: {keys - set(F.MESSAGES)}"
