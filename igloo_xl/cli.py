"""The `igloo-xl` command: adapts arguments and output, holds no logic. Heavy modules load lazily.

Typer parses the arguments; everything a person reads is French: the help is rendered here from
the commands' own declarations (cli_text.py), and a usage error (missing option, unknown option,
bad value, unknown command) becomes a French message with exit code 2, so no Typer/click English
text ever reaches the screen.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from igloo_xl import cli_text

HELP = "igloo-xl : le classeur maître du programme IGLOO (validation, clauses d'insertion, budgets)."


class FrenchGroup(TyperGroup):
    """Runs the commands with Typer, answers --help and usage errors in French."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        code = self._run(argv, "igloo-xl", complete_var, **extra)  # the name people type, whatever the launcher
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], prog_name: str, complete_var, **extra) -> int:
        commands = cli_text.commands(app)
        if not argv or argv[0] in cli_text.HELP_OPTIONS:
            typer.echo(cli_text.app_help(prog_name, HELP, commands))
            return 0
        command = commands.get(argv[0])
        if command is None:
            typer.echo(cli_text.unknown_command(prog_name, argv[0], commands), err=True)
            return 2
        if any(a in cli_text.HELP_OPTIONS for a in argv[1:]):
            typer.echo(cli_text.command_help(prog_name, command))
            return 0
        try:
            result = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra)
        except Exception as exc:  # noqa: BLE001 — only usage errors are translated, the rest goes on
            if not cli_text.is_usage_error(exc):
                raise
            typer.echo(cli_text.usage_error(prog_name, command, exc, argv), err=True)
            return 2
        return result if isinstance(result, int) else 0


app = typer.Typer(
    cls=FrenchGroup,
    add_completion=False,
    help=HELP,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": []},
)


class Format(str, Enum):
    text = "text"
    json = "json"


MASTER = typer.Argument(..., metavar="CHEMIN", help="Le classeur maître")  # the first argument of most commands
FUNDER = typer.Option(..., "--funder", metavar="FINANCEUR", help="Financeur (nom de Paramètres ou un mot : CAMSA, FSL)")
YEAR = typer.Option(..., "--year", metavar="ANNÉE", help="Année (AAAA)")
OUT_FILE = typer.Option(..., "--out", metavar="FICHIER", help="Fichier .xlsx à écrire")


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _run(fn, source: Path | None = None):
    """Call the library; a refusal becomes its French message and exit code, never a traceback."""
    from igloo_xl.errors import IglooError, MasterHasErrors

    _collector_back()
    try:
        return fn()
    except MasterHasErrors as exc:
        from igloo_xl.validation.report_text import render

        typer.echo(render(exc.findings, source.name if source else "classeur"), err=False)
        _fail(exc.message, exc.exit_code)
    except IglooError as exc:
        _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        _fail("Interrompu : aucun fichier n'a été modifié.", 130)
    except Exception as exc:  # noqa: BLE001 — a person must never see a traceback
        if os.environ.get("IGLOO_DEBUG"):
            raise
        _fail(
            f"Erreur inattendue ({type(exc).__name__} : {exc}). Aucun fichier n'a été modifié. "
            "Relancez avec IGLOO_DEBUG=1 pour le détail technique et signalez-le.",
            3,
        )


@app.command()
def init(path: Path = typer.Argument(..., metavar="CHEMIN", help="Chemin du nouveau classeur maître (.xlsx, ou .xlsm pour la version à boutons)")):
    """Crée un classeur maître avec le programme d'exemple (refuse d'écraser un fichier)."""
    from igloo_xl import api

    written = _run(lambda: api.init_master(path))
    typer.echo(f"Classeur maître créé : {written}")


@app.command()
def validate(
    path: Path = typer.Argument(..., metavar="CHEMIN", help="Le classeur maître (.xlsx ou .xlsm)"),
    format: Format = typer.Option(Format.text, "--format", metavar="FORMAT", help="text (rapport lisible) ou json"),
):
    """Contrôle le classeur ; code de sortie 0 sans erreur, 1 avec erreurs, 2 si le fichier est inutilisable."""
    from igloo_xl import api

    report = _run(lambda: api.validate_file(path))
    if format is Format.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from igloo_xl.validation.report_text import render

        typer.echo(render(report.findings, path.name))
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def clauses(
    path: Path = MASTER,
    out: Path = typer.Option(..., "--out", metavar="DOSSIER", help="Dossier où écrire un classeur par bailleur"),
):
    """Écrit l'échéancier des clauses d'insertion de chaque bailleur (refuse si le classeur a des erreurs)."""
    from igloo_xl import api

    written = _run(lambda: api.generate_clauses(path, out), path)
    if not written:
        typer.echo("Aucun lot d'insertion : aucun fichier écrit.")
    for p in written:
        typer.echo(f"Écrit : {p}")
    for note in getattr(written, "notes", []):
        typer.echo(note)


@app.command()
def budget(path: Path = MASTER, funder: str = FUNDER, year: int = YEAR, out: Path = OUT_FILE):
    """Écrit le tableau budgétaire d'un financeur pour une année (refuse si le classeur a des erreurs)."""
    from igloo_xl import api

    written = _run(lambda: api.export_budget(path, funder, year, out), path)
    typer.echo(f"Écrit : {written}")


@app.command("financial-report")
def financial_report(path: Path = MASTER, funder: str = FUNDER, year: int = YEAR, out: Path = OUT_FILE):
    """Écrit le compte rendu financier (Cerfa 15059) d'un financeur pour une année (refuse si le classeur a des erreurs)."""
    from igloo_xl import api

    written = _run(lambda: api.export_financial_report(path, funder, year, out), path)
    typer.echo(f"Écrit : {written}")


@app.command()
def dashboard(path: Path = MASTER):
    """Crée ou met à jour la feuille « Tableau de bord » du classeur (une sauvegarde est gardée)."""
    from igloo_xl import api

    written = _run(lambda: api.refresh_dashboard(path))
    typer.echo(f"Tableau de bord mis à jour dans {written}")


@app.command()
def report(
    path: Path = MASTER,
    out: Path = typer.Option(..., "--out", metavar="FICHIER", help="Fichier PDF à écrire"),
):
    """Écrit le rapport A4 du comité de pilotage (PDF)."""
    from igloo_xl import api

    written = _run(lambda: api.write_report(path, out), path)
    typer.echo(f"Écrit : {written}")


@app.command("build-xlsm")
def build_xlsm(
    out: Path = typer.Option(Path("workbooks/igloo_master.xlsm"), "--out", metavar="FICHIER", help="Classeur à macros à écrire"),
    source: Optional[Path] = typer.Option(None, "--from", metavar="CHEMIN", help="Classeur maître .xlsx de départ (par défaut : l'exemple)"),
):
    """Construit le classeur maître à macros (boutons xlwings) à partir des sources de macros/."""
    from igloo_xl import api

    written = _run(lambda: api.build_staff_workbook(out, source))
    typer.echo(f"Classeur à macros écrit : {written}")


@app.command()
def upgrade(path: Path = MASTER):
    """Met le classeur maître à niveau (nouvelles feuilles, colonnes, paramètres et listes) sans toucher aux saisies."""
    from igloo_xl import api

    result = _run(lambda: api.upgrade_master(path), path)
    if not result.changed:
        typer.echo(f"« {path.name} » est déjà à jour : rien n'a été modifié.")
        return
    typer.echo(f"Classeur mis à niveau : {result.path}")
    for item in result.added:
        typer.echo(f"  ajouté : {item}")
    typer.echo(f"Copie de l'original : {result.backup}")


def main() -> None:
    """The console script. igloo-xl never synthesizes data, but pandera imports hypothesis whenever it is
    installed (a test extra), a quarter of a second for nothing: a plain run keeps it out."""
    from igloo_xl.malloc_arenas import single_arena

    global _imports_uncollected
    sys.modules.setdefault("hypothesis", None)
    single_arena()
    gc.disable()
    _imports_uncollected = True
    try:
        app()
    finally:
        _skip_exit_collection()


# The command line imports pandas and pandera with the cycle collector off (its passes over their
# hundreds of thousands of new objects find nothing to free: ~0.05 s of CPU), then freezes what they made
# before the library runs with the collector on: later passes skip those objects, which live until exit.
_imports_uncollected = False


def _collector_back() -> None:
    global _imports_uncollected
    if _imports_uncollected:
        _imports_uncollected = False
        gc.freeze()
        gc.enable()


def _skip_exit_collection() -> None:
    """At exit Python's cycle collector walks every object still alive, pandas' and pandera's modules
    included: 0.13 s of CPU for a process that is about to end. Frozen, they are left out of that walk;
    what reference counting frees is freed as before, only cycles still alive at exit are not looked for
    (every file igloo-xl writes is closed by then)."""
    gc.freeze()
