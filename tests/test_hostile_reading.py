"""Hostile files at the reading stage: each is refused in French (exit 2) or becomes a finding on its
cell (exit 0/1); never a traceback, a hang or an exhausted memory. The files are built here."""

import json
import os
import re
import struct
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from igloo_xl.read.cell_scan import MAX_COLUMNS
from igloo_xl.read.reader import MAX_PART_BYTES, MAX_RATIO, RATIO_FLOOR


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "igloo_xl", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def findings(res):
    return {(f["sheet"], f["cell"], f["code"], f["severity"]) for f in json.loads(res.stdout)["findings"]}


def assert_refused_in_french(res):
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert res.stdout == "" and "Traceback" not in res.stderr and "panicked" not in res.stderr
    # French only: none of the parsers' English words
    assert not re.search(r"\b(error|entity|invalid|unexpected|expected|failed)\b", res.stderr, re.I), res.stderr


def sheet_part(path, sheet):
    from igloo_xl.read.cell_scan import sheet_parts

    with zipfile.ZipFile(path) as zf:
        return sheet_parts(zf)[sheet]


def replace_part(src, dst, part, transform):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, transform(data) if info.filename == part else data)
    return dst


def test_zip_bomb_refused_from_the_index(sample_path, tmp_path):
    """A sheet inflating far beyond its zipped size (ratio above the limit) is refused before inflating."""
    part = sheet_part(sample_path, "Accompagnement")
    row = b'<row><c t="inlineStr"><is><t>xxxxxxxxxxxxxxxxxxxx</t></is></c></row>'
    size = RATIO_FLOOR + (1 << 20)

    def bomb(data):
        head, _, tail = data.partition(b"</sheetData>")
        return head + row * (size // len(row)) + b"</sheetData>" + tail

    path = replace_part(sample_path, tmp_path / "bombe.xlsx", part, bomb)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
        assert info.file_size / info.compress_size > MAX_RATIO
    res = run("validate", path, "--format", "json")
    assert_refused_in_french(res)
    assert "Mio" in res.stderr


def _announce_size(path, part, size):
    """Rewrite the zip's index so that `part` announces `size` inflated bytes (a 1.5 Gio sheet, as
    the index of a real bomb says, without writing 1.5 Gio in a test)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


def test_sheet_announcing_one_and_a_half_gib_refused(sample_path, tmp_path):
    path = tmp_path / "enorme.xlsx"
    path.write_bytes(sample_path.read_bytes())
    size = 3 * (1 << 29)  # 1.5 Gio
    assert size > MAX_PART_BYTES
    _announce_size(path, sheet_part(sample_path, "Familles"), size)
    res = run("validate", path, "--format", "json")
    assert_refused_in_french(res)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_named_pipe_refused_without_waiting(tmp_path):
    pipe = tmp_path / "maitre.xlsx"
    os.mkfifo(pipe)
    res = run("validate", pipe, "--format", "json", timeout=60)  # the old reader blocked here forever
    assert_refused_in_french(res)
    assert "ordinaire" in res.stderr


@pytest.mark.parametrize("where", ["Familles", "xl/workbook.xml"])
def test_billion_laughs_refused_in_french(sample_path, tmp_path, where):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]>"
    )
    part = where if "/" in where else sheet_part(sample_path, where)

    def attack(data):
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return laughs + body.replace(b"<v>", b"<v>&lol9;", 1).replace(b'name="Accueil"', b'name="&lol9;"', 1)

    path = replace_part(sample_path, tmp_path / "rires.xlsx", part, attack)
    res = run("validate", path, "--format", "json")
    assert_refused_in_french(res)


def test_note_in_xfd60000_is_a_warning_on_its_cell(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    wb["Accompagnement"]["XFD60000"] = "note perdue"
    wb["Familles"].cell(3, MAX_COLUMNS + 1, "autre note")
    path = tmp_path / "note.xlsx"
    wb.save(path)
    res = run("validate", path, "--format", "json")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    found = findings(res)
    assert ("Accompagnement", "XFD60000", "far-outside-cell", "warning") in found
    far_letter = openpyxl.utils.get_column_letter(MAX_COLUMNS + 1)
    assert ("Familles", f"{far_letter}3", "far-outside-cell", "warning") in found
    assert not {f for f in found if f[3] == "error"}


def test_huge_negative_in_a_date_cell_is_a_finding_on_that_cell(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Familles"]
    date_col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(1, c).value).startswith("Date"))
    cell = ws.cell(3, date_col)
    cell.value = -1e12
    cell.number_format = "dd/mm/yyyy"
    path = tmp_path / "date.xlsx"
    wb.save(path)
    res = run("validate", path, "--format", "json")
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stderr and "panicked" not in res.stderr
    assert ("Familles", cell.coordinate, "not-a-date", "error") in findings(res)


def test_every_row_is_read_up_to_excels_last(sample_path, tmp_path):
    """No silent stop after 100,000 rows: a bad value in row 150,000 is reported on its cell."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["Accompagnement"]
    first = [c.value for c in ws[2]]
    ws.cell(150_000, 1, first[0])
    for c, value in enumerate(first[1:], start=2):
        ws.cell(150_000, c, value)
    date_col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(1, c).value).startswith("Date"))
    ws.cell(150_000, date_col, "pas une date")
    path = tmp_path / "long.xlsx"
    wb.save(path)
    res = run("validate", path, "--format", "json", timeout=300)
    assert "Traceback" not in res.stderr
    cell = f"{openpyxl.utils.get_column_letter(date_col)}150000"
    assert ("Accompagnement", cell, "not-a-date", "error") in findings(res)


@pytest.mark.parametrize("where", ["début", "milieu", "fin"])
def test_a_sheet_whose_compressed_bytes_are_altered_is_refused_in_french(sample_path, tmp_path, where):
    """A copy damaged on its way (bytes of a sheet's deflate stream changed) is an unusable workbook, exit 2,
    whatever part of the stream is hit: never « Erreur inattendue »."""
    part = sheet_part(sample_path, "Accompagnement")
    data = bytearray(sample_path.read_bytes())
    with zipfile.ZipFile(sample_path) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    offset = {"début": 40, "milieu": info.compress_size // 2, "fin": info.compress_size - 24}[where]
    for i in range(16):
        data[start + offset + i] ^= 0x5A
    damaged = tmp_path / "abime.xlsx"
    damaged.write_bytes(bytes(data))
    res = run("validate", str(damaged))
    assert res.returncode == 2, res.stderr
    assert_refused_in_french(res)
    assert damaged.read_bytes() == bytes(data)
