"""Benchmark of `igloo-xl validate` (run: .venv/bin/python benchmarks/bench_validate.py).

Every figure is the median wall time of whole processes, as a person clicking or typing waits for them:
- `igloo-xl --help`                          target < 0.3 s
- `igloo-xl validate` on the 18-family sample, cold process          target < 1 s
- the sample copied 100 times (~1,800 families): validate vs python-calamine alone reading every
  sheet of the same file (both whole processes)                       target ratio ≤ 2
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CALAMINE_ONLY = (
    "import sys, python_calamine as pc\n"
    "b = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
    "[b.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in b.sheet_names]\n"
)


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(path: Path, runs: int) -> tuple[float, float]:
    """Median in-process time of the library's validate_file and of calamine reading every sheet."""
    import python_calamine as pc

    from igloo_xl.validation.engine import validate_file

    def timed(fn):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def calamine():
        book = pc.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    return timed(lambda: validate_file(path)), timed(calamine)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=100)
    args = ap.parse_args()

    from igloo_xl.api import init_master
    from igloo_xl.package.master_writer import write_master
    from igloo_xl.model.sample import parameters, programme

    py = sys.executable
    cli = [py, "-m", "igloo_xl"]
    with tempfile.TemporaryDirectory() as tmp:
        small = init_master(Path(tmp) / "sample.xlsx")
        big = Path(tmp) / f"sample_x{args.copies}.xlsx"
        t0 = time.perf_counter()
        rows = programme(copies=args.copies)
        write_master(big, rows, parameters())
        built = time.perf_counter() - t0
        families = len(rows["Familles"])
        total_rows = sum(len(v) for v in rows.values())

        help_s = wall([*cli, "--help"], args.runs)
        small_s = wall([*cli, "validate", str(small)], args.runs)
        big_s = wall([*cli, "validate", str(big)], args.runs)
        calamine_s = wall([py, "-c", CALAMINE_ONLY, str(big)], args.runs)
        import_s = wall([py, "-c", "import igloo_xl.api, igloo_xl.validation.engine, pandera.pandas"], args.runs)
        inproc_s, inproc_cal = in_process(big, args.runs)

    print(f"igloo-xl --help                         {help_s:6.3f} s   (target < 0.3 s)")
    print(f"validate sample (18 families), cold     {small_s:6.3f} s   (target < 1 s)")
    print(f"validate x{args.copies} ({families} families, {total_rows} rows) {big_s:6.3f} s")
    print(f"python-calamine alone, same file        {calamine_s:6.3f} s")
    print(f"ratio validate / calamine               {big_s / calamine_s:6.2f}     (target ≤ 2)")
    print(f"  of which interpreter + imports (pandas, pandera)  {import_s:6.3f} s")
    print(f"in-process (after imports): validate {inproc_s:.3f} s vs calamine read {inproc_cal:.3f} s "
          f"= {inproc_s / inproc_cal:.2f}x")
    print(f"(building the x{args.copies} master took {built:.1f} s, not measured above)")


if __name__ == "__main__":
    main()
