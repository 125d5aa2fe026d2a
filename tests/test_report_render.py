"""What people read, read back from the rendered PDFs (pdftotext): the steering committee's report and
the Tableau de bord sheet printed by LibreOffice in a French locale. French formats, counts that agree
between the two, no Excel day numbers, no chart cut by a page break."""

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from xlsx_compare import expected_lots, master_tables

from igloo_xl import api
from igloo_xl.outputs.dashboard_sheet import SHEET

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("soffice") is None,
                                reason="poppler-utils or LibreOffice absent")
TODAY = dt.date(2026, 11, 24)
FRENCH_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
</oor:items>
"""


def pages(pdf) -> list[str]:
    """Each page's text, spaces of every kind (« 10 000 » is written with a no-break space) made plain."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [re.sub(r"[\u00a0\u202f\u2009]", " ", p) for p in text.split("\f")]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def fr(value: float, decimals: int = 0) -> str:
    """Written here independently of the library: « 1 563 », « 89,8 »."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def not_french(text: str) -> list[str]:
    """Numbers a French reader would not write: 10000 (no separator; years apart), 89.80, 2009-06."""
    bad = [n for n in re.findall(r"(?<![\d/,.])\d{4,}(?![\d/,])", text) if not re.fullmatch(r"(19|20)\d\d", n)]
    bad += re.findall(r"\b\d+\.\d+\b", text)
    bad += re.findall(r"\b(?:19|20)\d\d-\d\d\b", text)
    return bad


@pytest.fixture(scope="module")
def data(sample_path):
    return master_tables(sample_path)


@pytest.fixture(scope="module")
def report_pages(sample_path, tmp_path_factory):
    pdf = api.write_report(sample_path, tmp_path_factory.mktemp("report") / "rapport.pdf", today=TODAY)
    return pages(pdf)


@pytest.fixture(scope="module")
def sheet_pages(sample_path, tmp_path_factory):
    """The Tableau de bord alone (spliced into a one-sheet workbook), printed by LibreOffice in French."""
    from igloo_xl.domain.figures import dashboard_figures
    from igloo_xl.model.master import load_master
    from igloo_xl.outputs.dashboard_sheet import fill_dashboard
    from igloo_xl.package.master_update import _scratch_sheet, splice_sheet

    tmp = tmp_path_factory.mktemp("sheet")
    figures = dashboard_figures(load_master(sample_path), TODAY)
    empty = openpyxl.Workbook()
    empty.active.title = "Vide"
    buf = io.BytesIO()
    empty.save(buf)
    path = tmp / "tableau.xlsx"
    path.write_bytes(splice_sheet(buf.getvalue(), _scratch_sheet(SHEET, lambda ws: fill_dashboard(ws, figures, TODAY)), SHEET))
    profile = tmp / "lo"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(FRENCH_LOCALE, encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(path)], check=True, capture_output=True, timeout=300)
    return path, pages(tmp / "tableau.pdf")


def test_report_writes_numbers_the_french_way(report_pages, data):
    text = "\n".join(report_pages)
    assert not_french(text) == []
    lots = expected_lots(data)
    owed = sum(x["owed"] for ls in lots.values() for x in ls.values())
    done = sum(x["done"] for ls in lots.values() for x in ls.values())
    assert f"{fr(owed)} h" in text and f"{fr(100 * done / owed, 1)} %" in text
    granted = sum(f["Montant accordé (€)"] or 0 for f in data["Financements"] if f["Statut"] != "Refusé")
    assert f"{fr(granted)} €" in text
    assert re.search(r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\.? 2009\b", text)


def test_report_and_sheet_count_the_same_housed_families(report_pages, sheet_pages, data):
    housed = sum(f["Statut"] == "Relogée" for f in data["Familles"])
    cover = flat(report_pages[0])
    assert re.search(rf"Familles relogées {housed}\b", cover)
    families_page = next(flat(p) for p in report_pages if "Familles relogées par quartier" in p)
    assert f"Familles relogées par quartier ({housed} familles)" in families_page
    path, _ = sheet_pages
    ws = openpyxl.load_workbook(path)[SHEET]
    key = {r[0]: r[1] for r in ws.iter_rows(min_row=6, max_row=20, max_col=2, values_only=True) if r[0]}
    assert key["Familles relogées"] == housed


def test_report_shows_the_landlord_behind(report_pages, data):
    lots = expected_lots(data)
    behind = {l: sum(x["done"] for x in ls.values()) / sum(x["owed"] for x in ls.values()) for l, ls in lots.items()}
    behind = {l: r for l, r in behind.items() if r < 0.8}
    assert behind  # the sample has one landlord at about half its hours
    page = next(flat(p) for p in report_pages if "Par bailleur" in p)
    for rate in behind.values():
        assert f"{fr(100 * rate, 1)} %" in page


def test_report_charts_stay_bounded_at_size(tmp_path):
    """Hundreds of dwellings: the report draws the ones furthest behind, and says out of how many."""
    from igloo_xl.domain.figures import TOP_DWELLINGS, dashboard_figures
    from igloo_xl.model.sample import parameters, programme
    from igloo_xl.outputs.report_pdf import write_report
    from igloo_xl.package.master_writer import write_master
    from igloo_xl.model.master import load_master

    path = tmp_path / "m.xlsx"
    write_master(path, programme(copies=5), parameters())
    figures = dashboard_figures(load_master(path), TODAY)
    text = flat("\n".join(pages(write_report(figures, "Espoir", tmp_path / "r.pdf"))))
    assert f"Les {TOP_DWELLINGS} logements les plus en retard (sur {len(figures.hours_by_dwelling)})" in text
    drawn = {d for d, _, _, _ in figures.hours_by_dwelling if re.search(rf"\b{d} \(", text)}
    assert len(drawn) == TOP_DWELLINGS


def test_sheet_prints_french_formats_and_no_day_numbers(sheet_pages, data):
    _, printed = sheet_pages
    text = "\n".join(printed)
    assert not re.search(r"\b(39|40)\d{3}\b", text)  # 39814 is 01/01/2009 to Excel
    granted = sum(f["Montant accordé (€)"] or 0 for f in data["Financements"] if f["Statut"] != "Refusé")
    lots = expected_lots(data)
    owed = sum(x["owed"] for ls in lots.values() for x in ls.values())
    done = sum(x["done"] for ls in lots.values() for x in ls.values())
    assert f"{fr(granted)} €" in text and f"{fr(owed)} h" in text and f"{fr(100 * done / owed, 1)} %" in text
    assert "01/01/2009" in text and "octobre 2009" in text
    assert not_french(text) == []


def test_sheet_gantt_title_does_not_claim_today_outside_its_axis(sheet_pages):
    _, printed = sheet_pages
    page = next(flat(p) for p in printed if "Calendrier du programme" in p)
    assert "aujourd" not in page.lower()


def test_no_chart_is_cut_by_a_page_break(sheet_pages):
    path, printed = sheet_pages
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        drawing = next(z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
        sheet = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet") and "colBreaks" in z.read(n).decode())
    # every chart's whole title on one printed page
    flat_pages = [flat(p) for p in printed]
    for xml in charts:
        title = flat("".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("plotArea")[0])))
        assert title and any(title in p for p in flat_pages), title  # a cut chart loses part of its title
    gantt = next(p for p in flat_pages if "Calendrier du programme" in p and "Étape" not in p)
    assert "Mise en place du coordonnateur" in gantt and "Réalisation des travaux" in gantt  # first and last bars
    # no manual break inside a chart's columns, and each chart narrower than its band
    breaks = [int(b) for b in re.findall(r'<brk id="(\d+)"', sheet)]
    for col in (int(c) for c in re.findall(r"<(?:xdr:)?from><(?:xdr:)?col>(\d+)<", drawing)):
        band_end = min(b for b in breaks if b > col)
        assert not [b for b in breaks if col < b < band_end]
