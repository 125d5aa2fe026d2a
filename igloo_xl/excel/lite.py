"""
# IGLOO – classeur maître

Les boutons du classeur IGLOO, sans rien installer : ils tournent dans le complément
xlwings Lite. Choisissez une action, remplissez les champs s'il y en a, puis cliquez.

Les documents produits (clauses, budgets, comptes rendus) se téléchargent dans le menu
de xlwings Lite > Files > Import/Export, dossier `Sorties`.
"""

# The xlwings Lite plugin: the macro buttons of igloo_xl.excel as xlwings Lite scripts.
#
# xlwings Lite builds the open workbook as `xw.Book(json=...)` and runs a script through
# xlwings.server.custom_scripts_call, injecting that book into the parameter typed `xw.Book`;
# extra parameters become App Mode form fields. Each script here is one action of
# igloo_xl.excel (one library call each), run on that book. The add-in has no disk: files go to
# /data, the folder of its Files > Import/Export pane, from which staff download them. The master
# has no file there, so the journal line goes to /data/igloo-journal.csv.
# Nothing here reads a file: python-calamine is never imported on this path.

from __future__ import annotations

import os
from pathlib import Path

import xlwings as xw
from xlwings.server import script  # the decorator xlwings Lite reads (`xlwings.script` is it only on a server)

from igloo_xl import excel as E
from igloo_xl.excel import controls as C

__all__ = ["valider_le_classeur", "actualiser_le_tableau_de_bord", "clauses_d_insertion", "budget",
           "compte_rendu_financier"]  # what `from igloo_xl.excel.lite import *` brings into a workbook's main.py

FILES = "/data"  # xlwings Lite's Import/Export folder
OUTPUT_DIR = "Sorties"


def files_dir() -> Path:
    """Where the add-in's Python writes files staff can download (IGLOO_LITE_FILES for tests)."""
    return Path(os.environ.get("IGLOO_LITE_FILES", FILES))


def _origin(book) -> Path:
    return files_dir() / Path(book.name).name


def _run(book, action, *args, **kwargs):
    """One action on the open book; any problem becomes a French message, never an exception."""
    try:
        return action(book, *args, origin=_origin(book), **kwargs)
    except Exception as exc:  # noqa: BLE001 — nothing may reach Excel as a traceback
        E._alert(book, E.problem_text(exc))
        return None


@script(name="Valider le classeur")
def valider_le_classeur(book: xw.Book):
    """Contrôle tout le classeur (saisies non enregistrées comprises) : la feuille Contrôles liste
    chaque problème avec un lien vers sa cellule, les cellules en cause sont colorées."""
    _run(book, E.run_validate)


@script(name="Actualiser le tableau de bord")
def actualiser_le_tableau_de_bord(book: xw.Book):
    """Remet à jour les chiffres de la feuille Tableau de bord ; ses graphiques suivent."""
    _run(book, E.run_dashboard)


@script(name="Clauses d'insertion")
def clauses_d_insertion(book: xw.Book):
    """Un classeur d'échéancier des clauses d'insertion par bailleur, dans Sorties."""
    _run(book, E.run_clauses, files_dir() / OUTPUT_DIR, place=C.LITE_FILES)


@script(name="Budget")
def budget(book: xw.Book, financeur: str = "CAMSA", annee: int = 0):
    """Le tableau budgétaire d'un financeur (CAMSA, FSL…) pour une année, dans Sorties.
    Année 0 : un tableau par année financée."""
    _run(book, E.run_budget, financeur, files_dir() / OUTPUT_DIR, annee or None, place=C.LITE_FILES)


@script(name="Compte rendu financier")
def compte_rendu_financier(book: xw.Book, financeur: str = "CAMSA", annee: int = 0):
    """Le compte rendu financier d'un financeur pour une année, dans Sorties.
    Année 0 : un compte rendu par année financée."""
    _run(book, E.run_financial_report, financeur, files_dir() / OUTPUT_DIR, annee or None, place=C.LITE_FILES)
