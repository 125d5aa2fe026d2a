"""igloo-journal.csv: one line per validation or generation, append-only, Excel-friendly."""

import csv
import datetime as dt
import hashlib
import io
import threading

from igloo_xl import api
from igloo_xl.package.journal import HEADER, JOURNAL, record


def read(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_each_run_appends_one_line(sample_path, tmp_path):
    master = tmp_path / "maitre.xlsx"
    master.write_bytes(sample_path.read_bytes())
    api.validate_file(master)
    api.generate_clauses(master, tmp_path / "Sorties", today=dt.date(2026, 11, 24))
    api.export_budget(master, "FSL", 2009, tmp_path / "Sorties" / "fsl.xlsx", today=dt.date(2026, 11, 24))
    rows = read(tmp_path / JOURNAL)
    assert rows[0] == HEADER and len(rows) == 4
    sha = hashlib.sha256(master.read_bytes()).hexdigest()
    assert [r[2] for r in rows[1:]] == ["validation", "clauses d'insertion", "budget Conseil Général (FSL) 2009"]
    assert all(r[3] == "maitre.xlsx" and r[4] == sha for r in rows[1:])
    assert rows[1][5:7] == ["0", "0"]
    assert "Clauses_insertion_Neolia.xlsx" in rows[2][7] and rows[3][7] == "fsl.xlsx"


def test_concurrent_appends_stay_whole_lines(sample_path, tmp_path):
    master = tmp_path / "maitre.xlsx"
    master.write_bytes(sample_path.read_bytes())
    threads = [threading.Thread(target=lambda: [record(master, "validation") for _ in range(20)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = read(tmp_path / JOURNAL)
    assert len(rows) == 81 and all(len(r) == len(HEADER) for r in rows)


def test_unwritable_folder_does_not_fail(tmp_path):
    assert record(tmp_path / "absent" / "maitre.xlsx", "validation") is None


def test_fields_a_spreadsheet_would_run_are_neutralised(tmp_path, monkeypatch):
    """A master named =HYPERLINK(...).xlsx, a login name starting with @: CSV injection in Excel."""
    from igloo_xl.package import journal

    monkeypatch.setattr(journal, "user_name", lambda: "@SUM(1+1)*cmd|' /C calc'!A0")
    master = tmp_path / '=HYPERLINK("exemple.invalid";"x").xlsx'
    master.write_bytes(b"PK")
    for action in ("validation", "+action", "-action", "\tonglet", "\rretour"):
        record(master, action, written=["=cmd.xlsx"])
    rows = read(tmp_path / JOURNAL)[1:]
    assert len(rows) == 5
    fields = [f for r in rows for f in r]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert rows[0][1] == "'@SUM(1+1)*cmd|' /C calc'!A0" and rows[0][3] == "'" + master.name
    assert [r[2] for r in rows] == ["validation", "'+action", "'-action", "'\tonglet", "'\rretour"]
    assert rows[0][7] == "'=cmd.xlsx"


def test_journal_is_created_as_the_umask_says(tmp_path):
    import os

    master = tmp_path / "maitre.xlsx"
    master.write_bytes(b"PK")
    old = os.umask(0o002)
    try:
        record(master, "validation")
    finally:
        os.umask(old)
    assert (tmp_path / JOURNAL).stat().st_mode & 0o777 == 0o664


def test_a_line_that_cannot_be_written_is_a_french_warning(tmp_path, capsys):
    master = tmp_path / "maitre.xlsx"
    master.write_bytes(b"PK")
    (tmp_path / JOURNAL).mkdir()  # whatever the user's rights (root included), this cannot be appended to
    assert record(master, "validation") is None
    err = capsys.readouterr().err
    assert JOURNAL in err and err.startswith("Avertissement")


def test_a_journal_failure_never_fails_the_command(sample_path, tmp_path):
    import subprocess
    import sys

    master = tmp_path / "maitre.xlsx"
    master.write_bytes(sample_path.read_bytes())
    (tmp_path / JOURNAL).mkdir()
    res = subprocess.run([sys.executable, "-m", "igloo_xl", "validate", str(master)], capture_output=True, text=True)
    assert res.returncode == 0 and JOURNAL in res.stderr
