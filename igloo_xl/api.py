"""The library calls behind each command and each Excel button: one call per command."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from igloo_xl.package.journal import record
from igloo_xl.validation.engine import Report

Source = "str | os.PathLike | Master"


def _checked_master(source, today: dt.date | None):
    """The master (read from a path, or as given) once it has no error; MasterHasErrors otherwise."""
    from igloo_xl.errors import MasterHasErrors
    from igloo_xl.model.master import Master, load_master
    from igloo_xl.validation.engine import validate

    master = source if isinstance(source, Master) else load_master(source)
    report = validate(master, today)
    if not report.ok:
        n = len(report.errors)
        raise MasterHasErrors(
            f"Le classeur contient {n} erreur{'s' if n > 1 else ''} : corrigez-les (voir le rapport) avant de générer les documents.",
            report.findings,
        )
    return master


def init_master(path: str | os.PathLike) -> Path:
    """Write a new master holding the sample programme; never overwrites an existing file.
    A path ending in .xlsm gets the macro-enabled master with its buttons and dashboard."""
    from igloo_xl.errors import BadArgument, OutputExists
    from igloo_xl.package.master_writer import write_master
    from igloo_xl.model.sample import parameters, programme

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise BadArgument(f"« {path.name} » : le classeur maître doit porter l'extension .xlsx (ou .xlsm pour la version à boutons).")
    if path.exists():
        raise OutputExists(f"« {path} » existe déjà : igloo-xl ne l'écrase pas. Choisissez un autre nom ou supprimez-le.")
    if suffix == ".xlsm":
        return build_staff_workbook(path)
    return write_master(path, programme(), parameters(), overwrite=False)


def validate_file(path, today: dt.date | None = None) -> Report:
    """All findings of the master file (UnusableWorkbook when it cannot be read), or of a Master
    already read (the workbook open in Excel); either way one journal line."""
    from igloo_xl.model.master import Master
    from igloo_xl.validation.engine import validate, validate_file as run

    if isinstance(path, Master):
        report = validate(path, today)
        record(path.path, "validation", report)
        return report
    report = run(path, today)
    record(Path(path), "validation", report)
    return report


def generate_clauses(source, out_dir: str | os.PathLike, today: dt.date | None = None) -> list[Path]:
    """One insertion-clause workbook per landlord with insertion lots, written into out_dir."""
    from igloo_xl.domain.insertion import schedules
    from igloo_xl.outputs.clauses import file_name, write_schedule

    today = today or dt.date.today()
    master = _checked_master(source, today)
    out = Path(out_dir)
    written = [write_schedule(s, master, out / file_name(s.landlord), today) for s in schedules(master)]
    record(master.path, "clauses d'insertion", written=written)
    return written


def export_budget(source, funder: str, year: int, out: str | os.PathLike, today: dt.date | None = None) -> Path:
    """The budget table of one funder and year (an annex of families for the FSL)."""
    from igloo_xl.domain.budget_form import action_budget, funded_actions, is_fsl, resolve_funder, supported_families
    from igloo_xl.errors import BadArgument
    from igloo_xl.outputs.budget_table import write_budget_table

    today = today or dt.date.today()
    master = _checked_master(source, today)
    name = resolve_funder(master, funder)
    actions = funded_actions(master, name, int(year))
    if not actions:
        raise BadArgument(f"Aucun financement de « {name} » en {year} (hors demandes refusées) : pas de tableau à produire.")
    budgets = [action_budget(master, int(year), a) for a in actions]
    families = supported_families(master, int(year)) if is_fsl(name, master) else None
    written = write_budget_table(budgets, name, int(year), master.params.programme, master.params.coordinator,
                                 Path(out), today, families)
    record(master.path, f"budget {name} {year}", written=[written])
    return written


def build_staff_workbook(out: str | os.PathLike, source: str | os.PathLike | None = None) -> Path:
    """The macro-enabled master with its buttons (workbooks/igloo_master.xlsm), from a master .xlsx
    (by default a fresh sample)."""
    import tempfile

    from igloo_xl.package.xlsm_build import build_xlsm

    if source is not None:
        return build_xlsm(source, out)
    with tempfile.TemporaryDirectory() as tmp:
        sample = init_master(Path(tmp) / "igloo_master.xlsx")
        epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds: the day the dashboard is dated
        _splice_dashboard(sample, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else None)
        return build_xlsm(sample, out)


def _splice_dashboard(path, today: dt.date | None) -> Path:
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import load_master
    from igloo_xl.outputs.dashboard_sheet import SHEET, fill_dashboard
    from igloo_xl.package.master_update import replace_sheet

    figures = dashboard_figures(load_master(path), today)
    return replace_sheet(path, SHEET, lambda ws: fill_dashboard(ws, figures, today), before="Familles")


def refresh_dashboard(path: str | os.PathLike, today: dt.date | None = None) -> Path:
    """(Re)build the « Tableau de bord » sheet in the master (backup kept, nothing else changed)."""
    written = _splice_dashboard(path, today)
    record(Path(path), "tableau de bord", written=[written])
    return written


def write_report(source, out: str | os.PathLike, today: dt.date | None = None) -> Path:
    """The steering committee's PDF report (refused while the master has errors)."""
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.outputs.report_pdf import write_report as run

    master = _checked_master(source, today)
    written = run(dashboard_figures(master, today), master.params.coordinator, out)
    record(master.path, "rapport du comité de pilotage", written=[written])
    return written


def dashboard_values(source, today: dt.date | None = None) -> dict:
    """The « Tableau de bord » values by range, for a front end that writes them into the workbook
    open in Excel (the macro and xlwings Lite buttons: the file cannot be rewritten while open);
    one journal line, as `dashboard`."""
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import Master, load_master
    from igloo_xl.outputs.dashboard_sheet import dashboard_values as values_of

    master = source if isinstance(source, Master) else load_master(source)
    values = values_of(dashboard_figures(master, today or dt.date.today()))
    record(master.path, "tableau de bord")
    return values
