"""The library calls behind each command and each Excel button: one call per command."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from igloo_xl.collector import collector_paused
from igloo_xl.package.journal import record
from igloo_xl.validation.engine import Report

def _checked_master(source, today: dt.date | None):
    """The master (read from a path, or as given) once it has no error; MasterHasErrors otherwise."""
    from igloo_xl.errors import MasterHasErrors
    from igloo_xl.model.master import Master
    from igloo_xl.validation.engine import load_and_validate, validate

    from igloo_xl.progress import shown

    with shown(), collector_paused():
        master, report = (source, validate(source, today)) if isinstance(source, Master) else load_and_validate(source, today)
    if not report.ok:
        raise MasterHasErrors(refusal(master, len(report.errors)), report.findings)
    return master


def refusal(master, errors: int) -> str:
    """« « x.xlsx » contient 1 erreur : corrigez-la … », with agreement, and where the list is."""
    name = f"« {master.path.name} »" if getattr(master, "path", None) else "Le classeur"
    if errors == 1:
        return (f"{name} contient 1 erreur : corrigez-la (elle est listée ci-dessus avec sa feuille et sa cellule) "
                "avant de générer les documents.")
    return (f"{name} contient {errors} erreurs : corrigez-les (elles sont listées ci-dessus avec leur feuille et "
            "leur cellule) avant de générer les documents.")


def init_master(path: str | os.PathLike) -> Path:
    """Write a new master holding the sample programme; never overwrites an existing file.
    A path ending in .xlsm gets the macro-enabled master with its buttons and dashboard."""
    from igloo_xl.errors import OutputExists, WrongExtension
    from igloo_xl.package.master_writer import write_master
    from igloo_xl.model.sample import parameters, programme

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise WrongExtension(f"« {path.name} » : le classeur maître doit porter l'extension .xlsx (ou .xlsm pour la version à boutons).")
    if path.exists():
        raise OutputExists(f"« {path} » existe déjà : igloo-xl ne l'écrase pas. Choisissez un autre nom ou supprimez-le.")
    if suffix == ".xlsm":
        return build_staff_workbook(path)
    return write_master(path, programme(), parameters(), overwrite=False)


def validate_file(path, today: dt.date | None = None) -> Report:
    """All findings of the master file (UnusableWorkbook when it cannot be read), or of a Master
    already read (the workbook open in Excel); either way one journal line."""
    from igloo_xl.model.master import Master
    from igloo_xl.progress import shown
    from igloo_xl.validation.engine import load_and_validate, validate

    if isinstance(path, Master):
        with collector_paused():
            report = validate(path, today)
        record(path.path, "validation", report)
        return report
    with shown(), collector_paused():
        report = load_and_validate(path, today)[1]
    record(Path(path), "validation", report)
    return report


def generate_clauses(source, out_dir: str | os.PathLike, today: dt.date | None = None) -> list[Path]:
    """One insertion-clause workbook per landlord with insertion lots, written into out_dir."""
    from igloo_xl.domain.insertion import schedules
    from igloo_xl.outputs.clauses import file_name, write_schedule
    from igloo_xl.package.output_guard import Written, guard_file, guard_folder, unique_names

    today = today or dt.date.today()
    out = guard_folder(out_dir)
    master = _checked_master(source, today)
    items = schedules(master, today)
    names, notes = unique_names([file_name(s.landlord) for s in items], [s.landlord for s in items])
    targets = [guard_file(out / n, [master.path]) for n in names]
    written = Written([write_schedule(s, t, today) for s, t in zip(items, targets)], notes)
    record(master.path, "clauses d'insertion", written=written)
    return written


def export_budget(source, funder: str, year: int, out: str | os.PathLike, today: dt.date | None = None) -> Path:
    """The budget table of one funder and year (an annex of ASLL measures for the FSL)."""
    from igloo_xl.outputs.budget_table import write_budget_table

    return _funder_document(write_budget_table, "budget", source, funder, year, out, today)


def _funder_document(writer, label: str, source, funder: str, year: int, out, today: dt.date | None) -> Path:
    """A funder's document for one year, written by `writer`, with its journal line."""
    master, name, budgets, measures, today = _funder_year(source, funder, year, out, today)
    written = writer(budgets, name, int(year), master.params.programme, master.params.coordinator,
                     Path(out), today, measures, _identity(master))
    record(master.path, f"{label} {name} {year}", written=[written])
    return written


def _funder_year(source, funder: str, year: int, out, today: dt.date | None):
    """The checked master, the funder's name, the form of each action it finances that year, the FSL's measures."""
    from igloo_xl.domain.asll_measures import measures_of_year
    from igloo_xl.domain.budget_form import action_budget, funded_actions, is_fsl, resolve_funder
    from igloo_xl.errors import NothingToGenerate
    from igloo_xl.package.output_guard import guard_file

    today = today or dt.date.today()
    guard_file(out, [_source_path(source)])
    master = _checked_master(source, today)
    name = resolve_funder(master, funder)
    actions = funded_actions(master, name, int(year))
    if not actions:
        raise NothingToGenerate(f"Aucun financement de « {name} » en {year} (hors demandes refusées) : pas de document à produire.")
    budgets = [action_budget(master, int(year), a, name) for a in actions]
    measures = measures_of_year(master, name, int(year)) if is_fsl(name, master) else None
    return master, name, budgets, measures, today


def _identity(master):
    from igloo_xl.domain.budget_form import identity

    return identity(master)


def build_staff_workbook(out: str | os.PathLike, source: str | os.PathLike | None = None) -> Path:
    """The macro-enabled master with its buttons (workbooks/igloo_master.xlsm), from a master .xlsx
    (by default a fresh sample)."""
    import tempfile

    from igloo_xl.package.xlsm_build import build_xlsm

    if source is not None:
        from igloo_xl.package.output_guard import guard_file

        guard_file(out, [source], refuse_masters=False)
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
    from igloo_xl.package.output_guard import guard_file

    guard_file(out, [_source_path(source)])
    master = _checked_master(source, today)
    written = run(dashboard_figures(master, today), master.params.coordinator, out)
    record(master.path, "rapport du comité de pilotage", written=[written])
    return written


def export_financial_report(source, funder: str, year: int, out: str | os.PathLike, today: dt.date | None = None) -> Path:
    """The compte rendu financier (Cerfa 15059) of one funder and year (an annex of ASLL measures for the FSL)."""
    from igloo_xl.outputs.financial_report import write_financial_report

    return _funder_document(write_financial_report, "compte rendu financier", source, funder, year, out, today)


def upgrade_master(path: str | os.PathLike):
    """Bring a master of an earlier contract version to the current one (nothing typed is changed);
    returns what was added (an empty list: nothing to do, nothing written)."""
    from igloo_xl.package.upgrade import upgrade_master as run

    result = run(path)
    if result.changed:
        record(Path(path), "mise à niveau", written=[result.path])
    return result


def _source_path(source) -> Path | None:
    """The file an input came from (a path, or a Master read from one)."""
    from igloo_xl.model.master import Master

    return source.path if isinstance(source, Master) else Path(source)


def dashboard_values(source, today: dt.date | None = None, clear_to: int | None = None):
    """What a front end writes into the « Tableau de bord » of the workbook open in Excel (the macro
    and xlwings Lite buttons: the file cannot be rewritten while open): `values` by range, blanks down
    to row `clear_to`, and the range each chart reads now (`charts`); one journal line, as `dashboard`."""
    from types import SimpleNamespace

    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import Master, load_master
    from igloo_xl.outputs.dashboard_sheet import chart_sources, dashboard_values as values_of

    master = source if isinstance(source, Master) else load_master(source)
    figures = dashboard_figures(master, today or dt.date.today())
    update = SimpleNamespace(values=values_of(figures, clear_to=clear_to), charts=chart_sources(figures))
    record(master.path, "tableau de bord")
    return update
