"""Tableau de bord: the programme at a glance (sheet in the master with live charts, and a PDF report)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def refresh_dashboard(path, today: dt.date | None = None) -> Path:
    """(Re)build the « Tableau de bord » sheet of the master file, after Accueil; nothing else changes."""
    from ..master import load_master
    from ..master_update import replace_sheet
    from .figures import dashboard_figures
    from .sheet import SHEET, fill_dashboard

    master = load_master(path)
    figures = dashboard_figures(master, today)
    return replace_sheet(path, SHEET, lambda ws: fill_dashboard(ws, figures, today), before="Familles")
