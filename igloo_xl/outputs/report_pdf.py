"""The steering committee's A4 report: the dashboard's figures drawn with matplotlib, in French."""

from __future__ import annotations

from pathlib import Path

from igloo_xl.package.atomic import atomic_target
from igloo_xl.validation.findings import display
from igloo_xl.domain.figures import DashboardFigures
from igloo_xl.outputs.dashboard_sheet import AXIS_COLORS

A4_LANDSCAPE = (11.69, 8.27)
BLUE, ORANGE, GREEN = "#2E75B6", "#ED7D31", "#70AD47"


def _page(pdf, title: str, f: DashboardFigures, rows=1, cols=1):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(rows, cols, figsize=A4_LANDSCAPE, squeeze=False)
    fig.suptitle(title, fontsize=16, fontweight="bold", color="#1F4E78")
    fig.text(0.01, 0.01, f"{f.programme} — situation au {display(f.today)} — igloo-xl", fontsize=7, color="#555555")
    return fig, axes


def _save(pdf, fig) -> None:
    import matplotlib.pyplot as plt

    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    pdf.savefig(fig)
    plt.close(fig)


def _cover(pdf, f: DashboardFigures, coordinator: str) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=A4_LANDSCAPE)
    fig.text(0.06, 0.85, "Comité de pilotage IGLOO", fontsize=26, fontweight="bold", color="#1F4E78")
    fig.text(0.06, 0.79, f.programme, fontsize=13, style="italic")
    fig.text(0.06, 0.75, f"Coordination : {coordinator} — situation au {display(f.today)}", fontsize=11)
    fig.text(0.06, 0.66, "Chiffres clés", fontsize=15, fontweight="bold")
    for i, (label, value) in enumerate(f.key):
        shown = display(float(value)) if isinstance(value, (int, float)) else str(value)
        fig.text(0.08, 0.61 - i * 0.045, label, fontsize=12)
        fig.text(0.55, 0.61 - i * 0.045, shown, fontsize=12, fontweight="bold", ha="right")
    pdf.savefig(fig)
    plt.close(fig)


def _gantt(pdf, f: DashboardFigures) -> None:
    import matplotlib.dates as mdates

    fig, axes = _page(pdf, "Calendrier du programme", f)
    ax = axes[0][0]
    steps = list(reversed(f.calendar))
    for i, (step, axis, start, end, days) in enumerate(steps):
        ax.barh(i, days, left=mdates.date2num(start), color="#" + AXIS_COLORS.get(axis, "808080"), height=0.6)
    ax.set_yticks(range(len(steps)), [s[0] for s in steps], fontsize=8)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    if f.calendar and min(c[2] for c in f.calendar) <= f.today <= max(c[3] for c in f.calendar):
        ax.axvline(mdates.date2num(f.today), color="red", linestyle="--", label="Aujourd'hui")
    handles = [__import__("matplotlib.patches", fromlist=["Patch"]).Patch(color="#" + c, label=a)
               for a, c in AXIS_COLORS.items() if any(x[1] == a for x in f.calendar)]
    ax.legend(handles=handles, fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    _save(pdf, fig)


def _families(pdf, f: DashboardFigures) -> None:
    fig, axes = _page(pdf, "Les familles", f, 1, 2)
    labels, values = zip(*f.statuses) if f.statuses else ((), ())
    axes[0][0].bar(labels, values, color=BLUE)
    axes[0][0].set_title("Familles par statut")
    for x, v in enumerate(values):
        axes[0][0].text(x, v, str(v), ha="center", va="bottom")
    quarters = [(q, n) for q, n in f.quarters if n]
    if quarters:
        axes[0][1].pie([n for _, n in quarters], labels=[q for q, _ in quarters], autopct="%1.0f %%")
    axes[0][1].set_title("Familles logées par quartier")
    _save(pdf, fig)


def _grouped(ax, labels, series: dict[str, list], title: str, horizontal=False) -> None:
    import numpy as np

    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for i, ((name, values), color) in enumerate(zip(series.items(), (BLUE, ORANGE, GREEN))):
        if horizontal:
            ax.barh(x + i * width, values, width, label=name, color=color)
        else:
            ax.bar(x + i * width, values, width, label=name, color=color)
    if horizontal:
        ax.set_yticks(x + width * (len(series) - 1) / 2, labels, fontsize=7)
        ax.invert_yaxis()
    else:
        ax.set_xticks(x + width * (len(series) - 1) / 2, labels, fontsize=7, rotation=45, ha="right")
    ax.set_title(title)
    ax.legend(fontsize=8)


def _hours(pdf, f: DashboardFigures) -> None:
    fig, axes = _page(pdf, "Clauses d'insertion : heures dues et réalisées", f, 1, 2)
    _grouped(axes[0][0], [l for l, _, _ in f.hours_by_landlord],
             {"Heures dues": [o for _, o, _ in f.hours_by_landlord], "Heures réalisées": [d for _, _, d in f.hours_by_landlord]},
             "Par bailleur")
    _grouped(axes[0][1], [d for d, _, _, _ in f.hours_by_dwelling],
             {"Heures dues": [o for _, _, o, _ in f.hours_by_dwelling], "Heures réalisées": [d for _, _, _, d in f.hours_by_dwelling]},
             "Par logement")
    _save(pdf, fig)


def _funding(pdf, f: DashboardFigures) -> None:
    fig, axes = _page(pdf, "Financements et équilibre du budget", f, 1, 2)
    _grouped(axes[0][0], [f"{y} – {n}" for y, n, _, _, _ in f.funding],
             {"Demandé": [r for *_, r, _, _ in f.funding], "Accordé": [g for *_, g, _ in f.funding], "Versé": [p for *_, p in f.funding]},
             "Par financeur et par année (€)", horizontal=True)
    _grouped(axes[0][1], [f"{y} – {a}" for y, a, _, _, _ in f.balance],
             {"Charges": [c for _, _, c, _, _ in f.balance], "Produits": [p for _, _, _, p, _ in f.balance]},
             "Charges et produits par action (€)", horizontal=True)
    _save(pdf, fig)


def _support(pdf, f: DashboardFigures) -> None:
    fig, axes = _page(pdf, "Accompagnement social", f, 1, 2)
    months = [m for m, *_ in f.support]
    _grouped(axes[0][0], months, {"Rencontres": [n for _, n, _, _ in f.support], "Heures": [h for _, _, h, _ in f.support]},
             "Rencontres et heures par mois")
    axes[0][1].plot(months, [a for *_, a in f.support], marker="o", color=GREEN)
    axes[0][1].set_title("Participants au groupe de parole (CSM) par mois")
    axes[0][1].tick_params(axis="x", labelrotation=45, labelsize=7)
    _save(pdf, fig)


def write_report(f: DashboardFigures, coordinator: str, out_pdf) -> Path:
    """The PDF, written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    out_pdf = Path(out_pdf)
    with atomic_target(out_pdf) as tmp:
        with PdfPages(tmp, metadata={"Title": "Tableau de bord IGLOO", "Creator": "igloo-xl"}) as pdf:
            _cover(pdf, f, coordinator)
            _gantt(pdf, f)
            _families(pdf, f)
            _hours(pdf, f)
            _funding(pdf, f)
            _support(pdf, f)
    return out_pdf
