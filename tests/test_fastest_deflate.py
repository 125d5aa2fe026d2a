"""Generated workbooks are deflated at zlib's fastest level, their parts unchanged."""

import zipfile
import zlib

import pytest

from igloo_xl.outputs.quick_cells import QUICK
from igloo_xl.outputs.xlsx import new_workbook


def written(path, fastest: bool):
    book = new_workbook(path)
    ws = book.sheet("Suivi", "Suivi des heures", ["ligne de titre"])
    for row in range(5, 400):
        ws.write_row(row, 0, [f"F{row:03d}", "Plâtrerie – isolation", row * 1.5])
    if fastest:
        book.close()
    else:
        book.wb.close()  # XlsxWriter's own packaging, default level
    return path


def raw_deflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with open(zf.filename, "rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(30)
        fh.seek(info.header_offset + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little"))
        return fh.read(info.compress_size)


@pytest.mark.skipif(not QUICK, reason="only XlsxWriter 3.3's packaging is known")
def test_parts_are_deflated_at_level_one_and_read_back_the_same(tmp_path):
    fast, usual = written(tmp_path / "fast.xlsx", True), written(tmp_path / "usual.xlsx", False)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(usual) as b:
        assert a.namelist() == b.namelist()
        for info in a.infolist():
            data = a.read(info)
            if info.filename != "docProps/core.xml":  # holds the time of writing
                assert data == b.read(info.filename), info.filename
            level_one = zlib.compressobj(1, zlib.DEFLATED, -15)
            assert raw_deflate(a, info) == level_one.compress(data) + level_one.flush(), info.filename
        sheet = "xl/worksheets/sheet1.xml"
        assert a.getinfo(sheet).compress_size > b.getinfo(sheet).compress_size


def test_the_packaging_is_given_back_after_a_close(tmp_path):
    import xlsxwriter.workbook

    own = xlsxwriter.workbook.ZipInfo
    written(tmp_path / "fast.xlsx", True)
    assert xlsxwriter.workbook.ZipInfo is own
