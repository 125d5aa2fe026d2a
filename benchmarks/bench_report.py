"""Time the steering committee's report and the Tableau de bord, stage by stage, at several sizes.

Run: .venv/bin/python benchmarks/bench_report.py [--sizes 1 100 1000] [--runs 3]
Masters: benchmarks/masters/master_x{k}.xlsx when present (read only: each is copied into a temporary
folder, since a command writes its journal beside the master), otherwise built there from the sample
programme repeated (as benchmarks/build_masters.py does).

Every figure is CPU seconds (user + system), a median: on a shared machine wall time measures the
neighbours. Printed per size: reading the master, computing the figures, importing the PDF module
and matplotlib (in a fresh process that has already loaded the package, as `report` does), drawing the seven pages (first
drawing of a process, fonts loaded), splicing the sheet, then the whole `igloo-xl report` and
`igloo-xl dashboard` commands; then the growth of each from the second-largest size to the largest.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import child, timed  # noqa: E402  (benchmarks/ is the script's own folder)

HERE = Path(__file__).resolve().parent
MPL_IMPORT = (
    "import time, igloo_xl.api, pandas\n"
    "start = time.process_time()\n"
    "from igloo_xl.outputs import report_pdf\n"
    "report_pdf.load_matplotlib()\n"
    "print(time.process_time() - start)\n"
)
FIRST_DRAWING = (
    "import sys, time, igloo_xl.api\n"
    "from igloo_xl.domain.figures import dashboard_figures\n"
    "from igloo_xl.model.master import load_master\n"
    "from igloo_xl.outputs import report_pdf\n"
    "figures = dashboard_figures(load_master(sys.argv[1]))\n"
    "report_pdf.load_matplotlib()\n"
    "start = time.process_time()\n"
    "report_pdf.write_report(figures, 'Espoir', sys.argv[2])\n"
    "print(time.process_time() - start)\n"
)


def cpu(fn, runs: int) -> float:
    """Median CPU seconds of `fn()` in this process, after one warm-up call."""
    return timed(fn, runs, clock=time.process_time)


def child_seconds(code: str, args: list[str], runs: int) -> float:
    """Median of the seconds a fresh interpreter running `code` prints."""
    return statistics.median(float(subprocess.run([sys.executable, "-c", code, *args], check=True,
                                                  capture_output=True, text=True).stdout.split()[-1])
                             for _ in range(runs))


def master_path(copies: int, folder: Path) -> Path:
    path = folder / f"master_x{copies}.xlsx"
    kept = HERE / "masters" / path.name
    if kept.exists():
        shutil.copy(kept, path)
        return path
    import igloo_xl.api  # noqa: F401  (loads the package in its usual order)
    from igloo_xl.model.sample import parameters, programme
    from igloo_xl.package.master_writer import write_master

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
    from igloo_xl.package.master_update import _scratch_sheet, splice_sheet

    cli = str(Path(sys.executable).with_name("igloo-xl"))
    columns = ["read", "figures", "matplotlib import", "drawing", "sheet splice", "`report` (process)",
               "`dashboard` (process)"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for copies in args.sizes:
            path = master_path(copies, folder)
            master = load_master(path)
            figures = dashboard_figures(master)
            read = cpu(lambda: load_master(path), args.runs)
            compute = cpu(lambda: dashboard_figures(master), args.runs)
            mpl = child_seconds(MPL_IMPORT, [], args.runs)
            draw = child_seconds(FIRST_DRAWING, [str(path), str(folder / "r.pdf")], args.runs)
            data = path.read_bytes()
            splice = cpu(lambda: splice_sheet(data, _scratch_sheet(SHEET, lambda ws: fill_dashboard(ws, figures)), SHEET),
                         args.runs)
            copy = folder / "copie.xlsx"
            shutil.copy(path, copy)
            report = statistics.median(child([cli, "report", str(path), "--out", str(folder / "r2.pdf")])[1]
                                       for _ in range(args.runs))
            dashboard = statistics.median(child([cli, "dashboard", str(copy)])[1] for _ in range(args.runs))
            rows.append((copies, len(figures.hours_by_dwelling), (read, compute, mpl, draw, splice, report, dashboard)))
    print("CPU seconds (user + system), medians of", args.runs, "runs")
    print("| size | dwellings | " + " | ".join(columns) + " | matplotlib + figures + drawing |")
    print("|---|---|" + "---|" * (len(columns) + 1))
    for copies, dwellings, times in rows:
        print(f"| {copies}× | {dwellings} | " + " | ".join(f"{t:.2f} s" for t in times) + f" | {sum(times[1:4]):.2f} s |")
    if len(rows) > 1:
        (small, _, before), (big, _, after) = rows[-2], rows[-1]
        print(f"| {big}× / {small}× | | " + " | ".join(f"{a / b:.1f}" if b else "–" for a, b in zip(after, before))
              + f" | {sum(after[1:4]) / sum(before[1:4]):.1f} |")


if __name__ == "__main__":
    main()
