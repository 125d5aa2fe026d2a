"""No Typer/click English reaches a person: help pages and usage errors are French (CliRunner)."""

import pytest
from typer.testing import CliRunner

from igloo_xl import cli_text
from igloo_xl.cli import app

ENGLISH = ["Show this message", "Usage:", "<bool>", "[required]", "default:", "Missing", "Try ", "Error",
           "No such", "Invalid value", "Commands", "Aborted", "Input should", "is not one of", "Got unexpected",
           "requires an argument", "{path}"]
COMMANDS = list(cli_text.commands(app))


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def assert_french(text):
    leaks = [w for w in ENGLISH if w in text]
    assert not leaks, f"{leaks} in:\n{text}"


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]] + [[c, "--help"] for c in COMMANDS] + [[c, "-h"] for c in COMMANDS])
def test_help_pages_are_french(args):
    res = invoke(*args)
    assert res.exit_code == 0
    assert "Usage :" in res.output and "Affiche cette aide" in res.output
    assert_french(res.output)


def test_every_option_is_in_its_help_page():
    for name, command in cli_text.commands(app).items():
        page = invoke(name, "--help").output
        for p in command.params:
            assert (p.option or p.metavar) in page and p.help in page


USAGE_ERRORS = {
    "missing argument": (["validate"], "CHEMIN"),
    "missing option": (["clauses", "x.xlsx"], "--out"),
    "unknown option": (["validate", "x.xlsx", "--bogus"], "--bogus"),
    "bad integer": (["budget", "x.xlsx", "--funder", "CAMSA", "--year", "deux-mille", "--out", "b.xlsx"], "deux-mille"),
    "bad choice": (["validate", "x.xlsx", "--format", "xml"], "xml"),
    "option without value": (["budget", "x.xlsx", "--year"], "--year"),
    "extra argument": (["validate", "a.xlsx", "b.xlsx"], "validate"),
    "unknown command": (["valider", "x.xlsx"], "valider"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_are_french_with_exit_2(case):
    args, named = USAGE_ERRORS[case]
    res = invoke(*args)
    assert res.exit_code == 2
    assert res.output.startswith("Erreur : ") and named in res.output
    assert_french(res.output)
    assert "Traceback" not in res.output


def test_exit_codes_pass_through(sample_path, tmp_path):
    assert invoke("validate", str(sample_path)).exit_code == 0
    assert invoke("validate", str(tmp_path / "absent.xlsx")).exit_code == 2
    assert invoke("init", str(sample_path)).exit_code == 1


def test_interruption_is_exit_130_in_french(monkeypatch, sample_path):
    from igloo_xl import api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "validate_file", interrupted)
    res = invoke("validate", str(sample_path))
    assert res.exit_code == 130 and "Interrompu" in res.output


def test_unexpected_error_is_exit_3_in_french(monkeypatch, sample_path):
    from igloo_xl import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("IGLOO_DEBUG", raising=False)
    monkeypatch.setattr(api, "validate_file", broken)
    res = invoke("validate", str(sample_path))
    assert res.exit_code == 3 and "Erreur inattendue" in res.output and "Traceback" not in res.output
