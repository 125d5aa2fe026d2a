"""igloo-journal.csv: one line per validation or generation, append-only, Excel-friendly."""

import csv
import datetime as dt
import hashlib
import threading

from igloo_xl import api
from igloo_xl.package.journal import HEADER, JOURNAL, record


def read(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))


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
