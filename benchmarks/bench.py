"""Issue 14's goals, measured: prints one table (Markdown) with each goal, its figure and its verdict.

Run: .venv/bin/python benchmarks/bench.py [--runs 3] [--big 1000] [--skip-commands]
The masters come from benchmarks/build_masters.py (built on first use, kept in benchmarks/masters/).

Figures are medians. Whole-process figures are CPU seconds (user + system) of the child process, as
`/usr/bin/time` reports them: on a shared machine wall time measures the neighbours. In-process figures
are wall seconds after imports and a warm-up run. The floor is python-calamine reading every sheet of
the same file (`to_python`), in the same conditions.

igloo-xl's own modules are compiled to bytecode first, as an installed package has them: on a machine
that sets PYTHONDONTWRITEBYTECODE (this one does) an editable checkout would otherwise compile them from
source at every run, ~0.06 s of CPU no user pays.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_masters import build  # noqa: E402

PY = sys.executable
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the Excel click runs xlwings in-process
CLI = [PY, "-m", "igloo_xl"]
FLOOR = (
    "import sys, python_calamine as pc\n"
    "b = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
    "[b.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in b.sheet_names]\n"
)
# pandas, numpy, pandera (without hypothesis, as igloo-xl imports it), with the cycle collector handled as the
# command line handles it (off while importing, no pass at exit): the least these imports cost
IMPORTS = "import gc; gc.disable(); import igloo_xl.pandera_light; gc.freeze()"
# the least memory a validation that holds one sheet's values at a time can peak at: the imports, and the
# biggest sheet as calamine holds it while it hands its values to Python
BIGGEST_SHEET = (
    "import sys, zipfile, igloo_xl.pandera_light, python_calamine as pc\n"
    "from igloo_xl.read.cell_scan import sheet_parts\n"
    "z = zipfile.ZipFile(sys.argv[1]); parts = sheet_parts(z)\n"
    "name = max(parts, key=lambda n: z.getinfo(parts[n]).file_size)\n"
    "rows = pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
)


def child(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall s, cpu s, peak RSS bytes, exit code) of one child process, as /usr/bin/time reports them
    (a forked child's own rusage would count the benchmark's memory before exec)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        proc = subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M %x", *cmd],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"})
        fields = report.read().split()[-5:]
    wall, user, system, rss_kb, code = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3]), int(fields[4])
    return wall, user + system, rss_kb * 1024, code if proc.returncode == code else proc.returncode


def median_child(make_cmd, runs: int) -> tuple[float, float, int, int]:
    results = [child(make_cmd()) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results), results[-1][3])


def timed(fn, runs: int, clock=time.perf_counter) -> float:
    """Median seconds of `fn()` in this process by `clock` (wall by default), after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def floor_in_process(path: Path) -> None:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def excel_click(path: Path, runs: int) -> float:
    """The « Valider » button on the JSON book xlwings' remote clients send (building the book not timed)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from xlwings_payload import open_book, payload

    import igloo_xl.excel as excel

    data = payload(path)
    times = []
    for _ in range(runs + 1):
        open_book(data)  # the caller the button reads
        with contextlib.redirect_stdout(io.StringIO()):  # the button's message box, printed without Excel
            start = time.perf_counter()
            report = excel.validate()
            times.append(time.perf_counter() - start)
        assert report is not None, "the button failed"
    return statistics.median(times[1:])


def command_lines(master: Path, tmp: Path) -> dict[str, callable]:
    """Each output command, as a fresh command line per run (outputs never overwrite)."""
    counter = iter(range(10**6))

    def fresh(suffix=""):
        return tmp / f"out{next(counter)}{suffix}"

    def dashboard():
        copy = fresh(".xlsx")
        shutil.copy(master, copy)
        return [*CLI, "dashboard", str(copy)]

    lines = {
        "validate": lambda: [*CLI, "validate", str(master), "--format", "json"],
        "clauses": lambda: [*CLI, "clauses", str(master), "--out", str(fresh())],
        "budget": lambda: [*CLI, "budget", str(master), "--funder", "CAMSA", "--year", "2009", "--out", str(fresh(".xlsx"))],
        "financial-report": lambda: [*CLI, "financial-report", str(master), "--funder", "CAMSA", "--year", "2009",
                                     "--out", str(fresh(".xlsx"))],
        "dashboard": dashboard,
        "report": lambda: [*CLI, "report", str(master), "--out", str(fresh(".pdf"))],
    }
    help_text = subprocess.run([*CLI, "--help"], capture_output=True, text=True).stdout
    return {name: make for name, make in lines.items() if name == "validate" or name in help_text}


def row(goal: str, figure: str, target: str, ok: bool | None) -> str:
    verdict = "–" if ok is None else ("oui" if ok else "**non**")
    return f"| {goal} | {figure} | {target} | {verdict} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", type=int, default=1000, help="the largest size measured (1000 = the issue's)")
    ap.add_argument("--skip-commands", action="store_true", help="only validate (the output commands take long)")
    args = ap.parse_args()
    sizes = [1, 100, args.big]
    masters = {k: build(k) for k in sizes}
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "igloo_xl"), quiet=1)
    out = ["| goal | measured | target | met |", "|---|---|---|---|"]

    # cold sample: CPU of the whole process; which heavy modules a plain run imports
    _, cpu1, _, _ = median_child(lambda: [*CLI, "validate", str(masters[1]), "--format", "json"], args.runs)
    out.append(row("`validate` 1× (sample), cold process, CPU", f"{cpu1:.2f} s", "≤ 0.5 s", cpu1 <= 0.5))
    # what no validation with pandera can go below: starting Python and importing pandas and pandera
    _, cpu_imports, _, _ = median_child(lambda: [PY, "-c", IMPORTS], args.runs)
    out.append(row("  of which: starting Python + importing pandas and pandera, nothing else (CPU)",
                   f"{cpu_imports:.2f} s", "", None))
    loaded = subprocess.run(
        [PY, "-c", "import sys, runpy; sys.argv=['igloo-xl','validate',sys.argv[1],'--format','json'];"
         "import igloo_xl.cli as c\ntry: c.main()\nexcept SystemExit: pass\n"
         "print(','.join(m for m in ('hypothesis','matplotlib','openpyxl','xlwings','pandera') if sys.modules.get(m) is not None), file=sys.stderr)",
         str(masters[1])], capture_output=True, text=True).stderr.strip().splitlines()[-1:]
    heavy = loaded[0] if loaded else ""
    out.append(row("heavy modules a plain `validate` imports", heavy or "none", "no hypothesis",
                   "hypothesis" not in heavy))

    # whole process at 100x against the floor
    k = 100
    wall_v, cpu_v, _, _ = median_child(lambda: [*CLI, "validate", str(masters[k]), "--format", "json"], args.runs)
    wall_f, cpu_f, _, _ = median_child(lambda: [PY, "-c", FLOOR, str(masters[k])], args.runs)
    out.append(row(f"`validate` {k}×, whole process / floor (CPU)", f"{cpu_v:.2f} s / {cpu_f:.2f} s = {cpu_v / cpu_f:.2f}×",
                   "≤ 2×", cpu_v / cpu_f <= 2))
    out.append(row("  same, wall time", f"{wall_v:.2f} s / {wall_f:.2f} s = {wall_v / wall_f:.2f}×", "", None))
    out.append(row("  floor + importing pandas and pandera (CPU), the least a pandera validation costs",
                   f"{cpu_f + cpu_imports:.2f} s = {(cpu_f + cpu_imports) / cpu_f:.2f}× the floor", "", None))

    # in-process at 100x and big: the library call the command line and the Excel button make
    from igloo_xl.api import validate_file

    for k in (100, args.big):
        t_v = timed(lambda: validate_file(masters[k]), args.runs)
        t_f = timed(lambda: floor_in_process(masters[k]), args.runs)
        out.append(row(f"`validate` {k}×, in-process / floor", f"{t_v:.2f} s / {t_f:.2f} s = {t_v / t_f:.2f}×",
                       "≤ 1.5×", t_v / t_f <= 1.5))
        c_v = timed(lambda: validate_file(masters[k]), args.runs, clock=time.process_time)
        c_f = timed(lambda: floor_in_process(masters[k]), args.runs, clock=time.process_time)
        out.append(row("  same, CPU of all threads (the stages overlap, the work is not less)",
                       f"{c_v:.2f} s / {c_f:.2f} s = {c_v / c_f:.2f}×", "", None))
    (masters[1].parent / "igloo-journal.csv").unlink(missing_ok=True)  # the journal line of each validation

    # peak memory at big
    size = masters[args.big].stat().st_size
    _, _, rss, _ = median_child(lambda: [*CLI, "validate", str(masters[args.big]), "--format", "json"], 1)
    _, _, rss_f, _ = median_child(lambda: [PY, "-c", FLOOR, str(masters[args.big])], 1)
    _, _, rss_one, _ = median_child(lambda: [PY, "-c", BIGGEST_SHEET, str(masters[args.big])], 1)
    out.append(row(f"peak memory, `validate` {args.big}× ({size / 1e6:.1f} MB file)",
                   f"{rss / 1e6:.0f} MB = {rss / size:.1f}× (floor {rss_f / 1e6:.0f} MB = {rss_f / size:.1f}×)",
                   "≤ 10×", rss / size <= 10))
    out.append(row("  least possible: pandas and pandera imported, the biggest sheet read into Python values",
                   f"{rss_one / 1e6:.0f} MB = {rss_one / size:.1f}×", "", None))

    # Excel « Valider » click on the JSON book
    for k, target in ((1, 0.05), (100, 0.5)):
        t = excel_click(masters[k], args.runs)
        out.append(row(f"Excel « Valider » click, JSON book {k}×, in-process", f"{t * 1000:.0f} ms",
                       f"≤ {target * 1000:.0f} ms", t <= target))

    # every command at 100x and big, and the growth ratio
    targets = {"validate": None, "clauses": 2, "budget": 2, "financial-report": 2, "dashboard": 2, "report": 3}
    names = ["validate"] if args.skip_commands else list(targets)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines = {k: command_lines(masters[k], tmp) for k in (100, args.big)}
        for name in names:
            if name not in lines[100]:
                out.append(row(f"`{name}`", "absent from this branch", "", None))
                continue
            w100, c100, _, code = median_child(lines[100][name], args.runs)
            wbig, cbig, _, code_big = median_child(lines[args.big][name], 1)
            target = targets[name]
            ratio = cbig / c100
            out.append(row(f"`{name}` {100}× CPU (exit {code})", f"{c100:.2f} s (wall {w100:.2f} s)",
                           f"≤ {target} s" if target else "", None if target is None else c100 <= target))
            out.append(row(f"`{name}` growth {args.big}×/100× (CPU; exit {code_big})", f"{cbig:.2f} s / {c100:.2f} s = {ratio:.1f}",
                           "≤ 11", ratio <= 11))
    print("\n".join(out))


if __name__ == "__main__":
    main()
