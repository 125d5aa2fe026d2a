"""The reader's overlapped stages (raw-XML survey, calamine's parse of the next sheet, each sheet's own
rules run as soon as it is typed) give what running them in turn gives, and leave no thread behind."""

import datetime as dt
import threading

import openpyxl
import pytest

from igloo_xl.errors import UnusableWorkbook
from igloo_xl.model.master import load_master
from igloo_xl.read.reader import iter_sheets
from igloo_xl.validation.engine import load_and_validate, validate

TODAY = dt.date(2026, 11, 24)
BAD_CELLS = {  # at least one per-sheet rule broken in most sheets, plus cross-sheet ones
    "Familles": {"C3": "deux", "A5": "F01"},
    "Logements": {"H4": -20},
    "Lots": {"F3": "cher", "E6": "peut-être"},
    "Parcours": {"C2": "Vacances"},
    "Budget": {"E3": -5},
    "Accompagnement": {"E2": 40, "A7": "F99"},
    "Heures": {"D2": 500},
}


def readers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("igloo-survey", "igloo-calamine"))]


def as_dicts(report):
    return [f.to_dict() for f in report.findings]


@pytest.fixture
def dirty_path(sample_path, tmp_path):
    book = openpyxl.load_workbook(sample_path)
    for sheet, cells in BAD_CELLS.items():
        for ref, value in cells.items():
            book[sheet][ref] = value
    path = tmp_path / "dirty.xlsx"
    book.save(path)
    return path


@pytest.fixture
def twin_path(sample_path, tmp_path):
    """A later sheet folding to « Familles », bigger (so read first), with its own errors: only the
    first one in the workbook counts, findings included."""
    book = openpyxl.load_workbook(sample_path)
    twin = book.create_sheet("Famillés")
    twin.append([cell.value for cell in book["Familles"][1]])
    for n in range(3000):
        twin.append([f"X{n:04d}", "autre", "n'importe quoi"])
    path = tmp_path / "twin.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("which", ["sample_path", "dirty_path", "twin_path"])
def test_rules_run_while_reading_find_what_rules_run_after_reading_find(which, request):
    path = request.getfixturevalue(which)
    master, early = load_and_validate(path, TODAY)
    late = validate(load_master(path), TODAY)
    assert as_dicts(early) == as_dicts(late)
    if which == "dirty_path":
        cells = {(f.sheet, f.cell) for f in early.findings}
        assert {("Familles", "C3"), ("Lots", "F3"), ("Accompagnement", "E2"), ("Heures", "D2")} <= cells
    if which == "twin_path":
        assert not master.frame("Familles")["id"].str.startswith("X").any()


def test_a_reader_closed_early_stops_its_threads(sample_path):
    sheets = iter_sheets(sample_path, largest_first=True)
    assert next(sheets).rows
    sheets.close()
    assert readers_alive() == []


def test_an_error_in_the_caller_stops_the_threads(sample_path):
    with pytest.raises(RuntimeError):
        for n, _raw in enumerate(iter_sheets(sample_path)):
            if n == 2:
                raise RuntimeError("the caller fails on the third sheet")
    assert readers_alive() == []


def test_a_damaged_sheet_surveyed_ahead_is_refused_in_french(sample_path, tmp_path):
    """The survey thread meets the damage while earlier sheets are being typed: the caller still gets
    the « endommagé » refusal, not the worker's zlib error."""
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(sample_path) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as zf:
        info = zf.getinfo("xl/worksheets/sheet3.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 20:start + 60] = b"\xff" * 40
    damaged.write_bytes(bytes(data))
    with pytest.raises(UnusableWorkbook) as refused:
        load_master(damaged)
    assert "endommagé" in str(refused.value)
    assert readers_alive() == []


def test_the_command_line_asks_glibc_for_one_arena():
    import sys

    from igloo_xl.malloc_arenas import single_arena

    if not sys.platform.startswith("linux"):
        assert single_arena() is False
        return
    import ctypes

    if not hasattr(ctypes.CDLL(None), "gnu_get_libc_version"):
        pytest.skip("not glibc")
    assert single_arena() is True


def test_a_sheet_name_with_a_character_reference_is_still_surveyed_first(sample_path, tmp_path):
    """`Familles&#x1c;` is « Familles\\x1c » for calamine as for the survey: its -1e12 date (which makes
    calamine panic) is rewritten before calamine reads the sheet, and reported on its cell."""
    import zipfile

    book = openpyxl.load_workbook(sample_path)
    ws = book["Familles"]
    column = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(1, c).value).startswith("Date"))
    ws.cell(3, column).value = -1e12
    ws.cell(3, column).number_format = "dd/mm/yyyy"
    plain, hostile = tmp_path / "plain.xlsx", tmp_path / "hostile.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="Familles"', b'name="Familles&#x1c;"')
            out.writestr(info.filename, data)
    report = validate(load_master(hostile), TODAY)
    letter = openpyxl.utils.get_column_letter(column)
    assert ("Familles\x1c", f"{letter}3", "not-a-date") in {(f.sheet, f.cell, f.code) for f in report.findings}


def test_sheets_to_rewrite_share_one_copy_of_the_package(sample_path, tmp_path, monkeypatch):
    """Notes typed far to the right on several sheets: one rewritten copy of the package for all of them."""
    import igloo_xl.read.reader as reader

    book = openpyxl.load_workbook(sample_path)
    for sheet in ("Familles", "Logements", "Lots", "Accompagnement"):
        book[sheet]["KO40"] = "note loin à droite"
    path = tmp_path / "far.xlsx"
    book.save(path)
    copies = []
    real = reader._patched_package
    monkeypatch.setattr(reader, "_patched_package", lambda zf, replaced: copies.append(sorted(replaced)) or real(zf, replaced))
    master = load_master(path)
    assert len(copies) == 1 and len(copies[0]) == 4
    far = {f.sheet for f in master.findings if f.code == "far-outside-cell"}
    assert far == {"Familles", "Logements", "Lots", "Accompagnement"}
    assert readers_alive() == []
