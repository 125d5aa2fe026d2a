"""Build the benchmark masters: the sample programme repeated 1, 10, 100 and 1000 times.

Run: .venv/bin/python benchmarks/build_masters.py [--sizes 1 10 100 1000] [--dir benchmarks/masters]
Each master is built once and kept (benchmarks/masters/ is ignored by git); --force rebuilds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE / "masters"
SIZES = (1, 10, 100, 1000)


def master_path(copies: int, folder: Path = DEFAULT_DIR) -> Path:
    return folder / f"master_x{copies}.xlsx"


def build(copies: int, folder: Path = DEFAULT_DIR, force: bool = False) -> Path:
    import igloo_xl.api  # noqa: F401  (loads the package in its usual order)
    from igloo_xl.model.sample import parameters, programme
    from igloo_xl.package.master_writer import write_master

    path = master_path(copies, folder)
    if path.exists() and not force:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    write_master(path, programme(copies=copies), parameters())
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    for copies in args.sizes:
        start = time.perf_counter()
        path = build(copies, args.dir, args.force)
        print(f"x{copies}: {path} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
