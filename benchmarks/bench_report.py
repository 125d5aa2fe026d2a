"""Time the steering committee's report and the Tableau de bord at 1× and 100× the sample.

Run: .venv/bin/python benchmarks/bench_report.py [--sizes 1 100] [--runs 3]
Masters are built in a temporary folder (the sample programme repeated, as benchmarks/build_masters.py
does). Printed per size: reading the master, computing the figures, drawing the PDF, splicing the
sheet (in-process medians), then the whole `igloo-xl report` and `igloo-xl dashboard` commands.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


from bench import timed as median_time  # noqa: E402  (benchmarks/ is the script's own folder)


def build(copies: int, folder: Path) -> Path:
    import igloo_xl.api  # noqa: F401  (loads the package in its usual order)
    from igloo_xl.model.sample import parameters, programme
    from igloo_xl.package.master_writer import write_master

    path = folder / f"master_x{copies}.xlsx"
    write_master(path, programme(copies=copies), parameters())
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import load_master
    from igloo_xl.outputs.dashboard_sheet import SHEET, fill_dashboard
    from igloo_xl.outputs.report_pdf import write_report
    from igloo_xl.package.master_update import _scratch_sheet, splice_sheet

    cli = [str(Path(sys.executable).with_name("igloo-xl"))]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for copies in args.sizes:
            path = build(copies, folder)
            master = load_master(path)
            figures = dashboard_figures(master)
            read = median_time(lambda: load_master(path), args.runs)
            compute = median_time(lambda: dashboard_figures(master), args.runs)
            draw = median_time(lambda: write_report(figures, "Espoir", folder / "r.pdf"), args.runs)
            data = path.read_bytes()
            splice = median_time(lambda: splice_sheet(data, _scratch_sheet(SHEET, lambda ws: fill_dashboard(ws, figures)), SHEET),
                                 args.runs)
            copy = folder / "copie.xlsx"
            shutil.copy(path, copy)
            report = median_time(lambda: subprocess.run([*cli, "report", str(path), "--out", str(folder / "r2.pdf")],
                                                        check=False, capture_output=True), args.runs)
            dashboard = median_time(lambda: subprocess.run([*cli, "dashboard", str(copy)], check=False, capture_output=True),
                                    args.runs)
            rows.append((copies, len(figures.hours_by_dwelling), read, compute, draw, splice, report, dashboard))
    print("| size | dwellings | read | figures | report PDF | sheet splice | `report` (process) | `dashboard` (process) |")
    print("|---|---|---|---|---|---|---|---|")
    for copies, dwellings, *times in rows:
        print(f"| {copies}× | {dwellings} | " + " | ".join(f"{t:.2f} s" for t in times) + " |")


if __name__ == "__main__":
    main()
