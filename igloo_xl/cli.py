"""The `igloo-xl` command: adapts arguments and output, holds no logic. Heavy modules load lazily."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="igloo-xl : le classeur maître du programme IGLOO (validation, clauses d'insertion, budgets).",
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _run(fn):
    """Call the library; a refusal becomes its French message and exit code, never a traceback."""
    from igloo_xl.errors import IglooError, MasterHasErrors

    try:
        return fn()
    except MasterHasErrors as exc:
        from igloo_xl.validation.report_text import render

        typer.echo(render(exc.findings, "classeur"), err=False)
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
def init(path: Path = typer.Argument(..., help="Chemin du nouveau classeur maître (.xlsx)")):
    """Crée un classeur maître avec le programme d'exemple (refuse d'écraser un fichier)."""
    from igloo_xl import api

    written = _run(lambda: api.init_master(path))
    typer.echo(f"Classeur maître créé : {written}")


@app.command()
def validate(
    path: Path = typer.Argument(..., help="Le classeur maître (.xlsx ou .xlsm)"),
    format: Format = typer.Option(Format.text, "--format", help="text (rapport lisible) ou json"),
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
    path: Path = typer.Argument(..., help="Le classeur maître"),
    out: Path = typer.Option(..., "--out", help="Dossier où écrire un classeur par bailleur"),
):
    """Écrit l'échéancier des clauses d'insertion de chaque bailleur (refuse si le classeur a des erreurs)."""
    from igloo_xl import api

    written = _run(lambda: api.generate_clauses(path, out))
    if not written:
        typer.echo("Aucun lot d'insertion : aucun fichier écrit.")
    for p in written:
        typer.echo(f"Écrit : {p}")


@app.command()
def budget(
    path: Path = typer.Argument(..., help="Le classeur maître"),
    funder: str = typer.Option(..., "--funder", help="Financeur (nom de Paramètres ou un mot : CAMSA, FSL)"),
    year: int = typer.Option(..., "--year", help="Année (AAAA)"),
    out: Path = typer.Option(..., "--out", help="Fichier .xlsx à écrire"),
):
    """Écrit le tableau budgétaire d'un financeur pour une année (refuse si le classeur a des erreurs)."""
    from igloo_xl import api

    written = _run(lambda: api.export_budget(path, funder, year, out))
    typer.echo(f"Écrit : {written}")


@app.command()
def dashboard(path: Path = typer.Argument(..., help="Le classeur maître")):
    """Crée ou met à jour la feuille « Tableau de bord » du classeur (une sauvegarde est gardée)."""
    from igloo_xl import api

    written = _run(lambda: api.refresh_dashboard(path))
    typer.echo(f"Tableau de bord mis à jour dans {written}")


@app.command()
def report(
    path: Path = typer.Argument(..., help="Le classeur maître"),
    out: Path = typer.Option(..., "--out", help="Fichier PDF à écrire"),
):
    """Écrit le rapport A4 du comité de pilotage (PDF)."""
    from igloo_xl import api

    written = _run(lambda: api.write_report(path, out))
    typer.echo(f"Écrit : {written}")


@app.command("build-xlsm")
def build_xlsm(
    out: Path = typer.Option(Path("workbooks/igloo_master.xlsm"), "--out", help="Classeur à macros à écrire"),
    source: Optional[Path] = typer.Option(None, "--from", help="Classeur maître .xlsx de départ (par défaut : l'exemple)"),
):
    """Construit le classeur maître à macros (boutons xlwings) à partir des sources de macros/."""
    from igloo_xl import api

    written = _run(lambda: api.build_staff_workbook(out, source))
    typer.echo(f"Classeur à macros écrit : {written}")


@app.command()
def upgrade(path: Path = typer.Argument(..., help="Le classeur maître à mettre à niveau (.xlsx ou .xlsm)")):
    """Met le classeur maître à niveau (nouvelles feuilles, colonnes, paramètres et listes) sans toucher aux saisies."""
    from igloo_xl import api

    result = _run(lambda: api.upgrade_master(path))
    if not result.changed:
        typer.echo(f"« {path.name} » est déjà à jour : rien n'a été modifié.")
        return
    typer.echo(f"Classeur mis à niveau : {result.path}")
    for item in result.added:
        typer.echo(f"  ajouté : {item}")
    typer.echo(f"Copie de l'original : {result.backup}")


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    sys.exit(0)
