"""The « Tableau de bord » sheet: data blocks at fixed places and native charts that read them.

Each block has a fixed number of rows (padded with blanks), so its cells never move: the Excel
button rewrites the values only (`dashboard_values`) and the charts follow. Charts read the rows
in use when the sheet was built; `igloo-xl dashboard` rebuilds the sheet when counts change.
The sheet carries no cell styles (it is spliced into the master, see master_update), so dates are
written as Excel day numbers for the Gantt chart and as text for people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties

from igloo_xl.package.cell_text import write_value
from igloo_xl.validation.findings import display
from igloo_xl.domain.figures import DashboardFigures

SHEET = "Tableau de bord"
FIRST_ROW = 4
CHART_COLUMN = "H"
EXCEL_EPOCH = dt.date(1899, 12, 30)
AXIS_COLORS = {
    "Foncier / Bailleurs": "1F4E78",
    "Familles": "C55A11",
    "Insertion professionnelle": "548235",
    "Accompagnement": "7030A0",
    "Conception": "BF8F00",
    "Travaux": "2E75B6",
    "Aujourd'hui": "FF0000",
}


@dataclass
class Block:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    size: int  # rows reserved

    @property
    def used(self) -> int:
        return max(1, min(len(self.rows), self.size))


def serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def _calendar_rows(f: DashboardFigures) -> list[list]:
    rows = [[step, axis, serial(start), days, display(start), display(end)] for step, axis, start, end, days in f.calendar]
    if f.calendar:
        first = min(c[2] for c in f.calendar)
        last = max(c[3] for c in f.calendar)
        if first <= f.today <= last:
            rows.append(["Aujourd'hui", "Aujourd'hui", serial(f.today), 1, display(f.today), display(f.today)])
    return rows


def blocks(f: DashboardFigures) -> list[Block]:
    return [
        Block("key", "Chiffres clés", ["Indicateur", "Valeur"], [[k, v] for k, v in f.key], 12),
        Block("calendar", "Calendrier du programme", ["Étape", "Axe", "Début (jour n°)", "Durée (jours)", "Début", "Fin"],
              _calendar_rows(f), 20),
        Block("statuses", "Familles par statut", ["Statut", "Familles"], [list(r) for r in f.statuses], 4),
        Block("quarters", "Familles logées par quartier", ["Quartier", "Familles"], [list(r) for r in f.quarters], 6),
        Block("landlords", "Heures d'insertion par bailleur", ["Bailleur", "Heures dues", "Heures réalisées"],
              [list(r) for r in f.hours_by_landlord], 10),
        Block("dwellings", "Heures d'insertion par logement", ["Logement", "Bailleur", "Heures dues", "Heures réalisées"],
              [list(r) for r in f.hours_by_dwelling], 40),
        Block("funding", "Financements par financeur et par année",
              ["Libellé", "Année", "Financeur", "Demandé (€)", "Accordé (€)", "Versé (€)"],
              [[f"{y} – {n}", y, n, r, g, p] for y, n, r, g, p in f.funding], 40),
        Block("balance", "Équilibre du budget par action (charges et produits, contributions en nature comprises)",
              ["Libellé", "Année", "Action", "Charges (€)", "Produits (€)", "Écart (€)"],
              [[f"{y} – {a}", y, a, c, p, g] for y, a, c, p, g in f.balance], 20),
        Block("support", "Accompagnement social par mois", ["Mois", "Rencontres", "Heures", "Participants CSM"],
              [list(r) for r in f.support], 36),
    ]


def _layout(f: DashboardFigures) -> list[tuple[Block, int]]:
    """Each block with its title row (1-based); header on the next row, data below."""
    out, row = [], FIRST_ROW
    for b in blocks(f):
        out.append((b, row))
        row += 2 + b.size + 2
    return out


def _range(row: int, width: int, height: int) -> str:
    from igloo_xl.read.grid import letter

    return f"A{row}:{letter(width - 1)}{row + height - 1}"


def dashboard_values(f: DashboardFigures) -> dict[str, list[list]]:
    """{A1 range: values} of every block's data rows, padded to the block's size: what the button rewrites."""
    out = {}
    for b, row in _layout(f):
        width = len(b.headers)
        rows = [list(r) + [""] * (width - len(r)) for r in b.rows[: b.size]]
        rows += [[""] * width for _ in range(b.size - len(rows))]
        out[_range(row + 2, width, b.size)] = rows
    return out


def _ref(ws, col: int, first: int, last: int, max_col: int | None = None):
    return Reference(ws, min_col=col, max_col=max_col or col, min_row=first, max_row=last)


def _axes(chart) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _gantt(ws, b: Block, row: int, f: DashboardFigures):
    first, last = row + 2, row + 1 + b.used
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Calendrier du programme" + (
        "" if any(r[0] == "Aujourd'hui" for r in b.rows) else f" (aujourd'hui : {display(f.today)})")
    chart.add_data(_ref(ws, 3, row + 1, last), titles_from_data=True)
    chart.add_data(_ref(ws, 4, row + 1, last), titles_from_data=True)
    chart.set_categories(_ref(ws, 1, first, last))
    start, span = chart.series
    start.graphicalProperties = GraphicalProperties(noFill=True)
    start.graphicalProperties.line.noFill = True
    for i, r in enumerate(b.rows[: b.used]):
        point = DataPoint(idx=i)
        point.graphicalProperties = GraphicalProperties(solidFill=AXIS_COLORS.get(r[1], "808080"))
        span.dPt.append(point)
    chart.x_axis.scaling.orientation = "maxMin"
    if b.rows:
        chart.y_axis.scaling.min = min(r[2] for r in b.rows)
        chart.y_axis.scaling.max = max(r[2] + r[3] for r in b.rows)
    chart.y_axis.number_format = "mm/yyyy"
    chart.y_axis.majorUnit = 91
    chart.legend = None
    chart.height, chart.width = 10, 24
    _axes(chart)
    return chart


def _bars(ws, b: Block, row: int, title: str, value_cols: list[int], category_col: int = 1, horizontal=False):
    first, last = row + 2, row + 1 + b.used
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = title
    for col in value_cols:
        chart.add_data(_ref(ws, col, row + 1, last), titles_from_data=True)
    chart.set_categories(_ref(ws, category_col, first, last))
    chart.height, chart.width = 8, 18
    _axes(chart)
    return chart


def _pie(ws, b: Block, row: int, title: str):
    first, last = row + 2, row + 1 + b.used
    chart = PieChart()
    chart.title = title
    chart.add_data(_ref(ws, 2, row + 1, last), titles_from_data=True)
    chart.set_categories(_ref(ws, 1, first, last))
    chart.height, chart.width = 8, 12
    return chart


def _line(ws, b: Block, row: int, title: str, col: int):
    first, last = row + 2, row + 1 + b.used
    chart = LineChart()
    chart.title = title
    chart.add_data(_ref(ws, col, row + 1, last), titles_from_data=True)
    chart.set_categories(_ref(ws, 1, first, last))
    chart.height, chart.width = 8, 18
    _axes(chart)
    return chart


def fill_dashboard(ws, f: DashboardFigures, today: dt.date | None = None) -> None:
    """Title, blocks and charts on a fresh worksheet."""
    ws["A1"] = f"Tableau de bord – {f.programme}"
    ws["A2"] = f"Situation au {display(today or f.today)}, calculée par igloo-xl à partir du classeur maître."
    layout = _layout(f)
    values = dashboard_values(f)
    for (b, row), (address, rows) in zip(layout, values.items()):
        ws.cell(row, 1, b.title)
        for j, h in enumerate(b.headers, start=1):
            ws.cell(row + 1, j, h)
        for i, r in enumerate(rows):
            for j, v in enumerate(r, start=1):
                if v != "":
                    write_value(ws, row + 2 + i, j, v)
    charts = []
    at = {b.key: (b, row) for b, row in layout}
    charts.append((_gantt(ws, *at["calendar"], f), at["calendar"][1]))
    charts.append((_bars(ws, *at["statuses"], "Familles par statut", [2]), at["statuses"][1]))
    charts.append((_pie(ws, *at["quarters"], "Familles logées par quartier"), at["quarters"][1]))
    charts.append((_bars(ws, *at["landlords"], "Heures d'insertion dues et réalisées, par bailleur", [2, 3]), at["landlords"][1]))
    charts.append((_bars(ws, *at["dwellings"], "Heures d'insertion dues et réalisées, par logement", [3, 4]), at["dwellings"][1]))
    charts.append((_bars(ws, *at["funding"], "Financements demandés, accordés, versés", [4, 5, 6], horizontal=True), at["funding"][1]))
    charts.append((_bars(ws, *at["balance"], "Charges et produits par action", [4, 5], horizontal=True), at["balance"][1]))
    charts.append((_bars(ws, *at["support"], "Rencontres et heures d'accompagnement par mois", [2, 3]), at["support"][1]))
    charts.append((_line(ws, *at["support"], "Participants au groupe de parole (CSM) par mois", 4), at["support"][1] + 18))
    row = FIRST_ROW
    for chart, _ in charts:  # stacked beside the tables, each below the previous one
        ws.add_chart(chart, f"{CHART_COLUMN}{row}")
        row += int(chart.height * 2) + 2
    for col, width in zip("ABCDEF", (44, 22, 16, 16, 16, 14)):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
