"""LibreOffice headless, for tests: open a workbook, recalculate every formula, save it again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# LibreOffice keeps the cached values of an .xlsx unless told to recalculate on load (0 = always).
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated_copies(paths: list[Path], workdir: Path) -> dict[Path, Path]:
    """Each workbook opened by LibreOffice (recalculating everything) and saved as .xlsx in workdir/out."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "xlsx",
         "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )
    result = {p: out / (p.stem + ".xlsx") for p in paths}
    missing = [str(p) for p, q in result.items() if not q.exists()]
    assert not missing, f"LibreOffice did not convert: {missing}"
    return result


def recalc(path: Path, workdir: Path) -> Path:
    """One workbook recalculated by LibreOffice: the path of the recalculated .xlsx (in workdir/out)."""
    return recalculated_copies([Path(path)], Path(workdir))[Path(path)]


def recalculation_mismatches(original: Path, recalculated: Path, tolerance: float = 1e-6) -> tuple[int, list[str]]:
    """(formula cells checked, « Sheet!A1: stored X, LibreOffice Y » for each cached value that differs
    from LibreOffice's recalculation). Formulas found with openpyxl, values read with python-calamine."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    formulas = openpyxl.load_workbook(original)
    a, b = CalamineWorkbook.from_path(str(original)), CalamineWorkbook.from_path(str(recalculated))
    if a.sheet_names != b.sheet_names:
        return 0, [f"sheets: stored {a.sheet_names}, LibreOffice {b.sheet_names}"]
    checked, problems = 0, []
    for name in a.sheet_names:
        stored = a.get_sheet_by_name(name).to_python(skip_empty_area=False)
        again = b.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for row in formulas[name].iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                checked += 1
                s_val = stored[c.row - 1][c.column - 1] if c.row <= len(stored) else None
                r_val = again[c.row - 1][c.column - 1] if c.row <= len(again) else None
                same = (isinstance(s_val, (int, float)) and isinstance(r_val, (int, float))
                        and abs(s_val - r_val) <= tolerance) or s_val == r_val
                if not same:
                    problems.append(f"{name}!{c.coordinate}: stored {s_val!r}, LibreOffice {r_val!r}")
    return checked, problems
