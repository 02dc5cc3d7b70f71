"""The class report's plots: plain data in, one inline SVG string out (German labels).

Figures are built with ``matplotlib.figure.Figure`` directly, without pyplot, so no global state
or GUI backend is involved. Text stays text in the SVG (``svg.fonttype: none``): smaller pages,
searchable labels, and the browser renders umlauts with its own fonts.
"""

from __future__ import annotations

import functools
import io
import math
import matplotlib
from matplotlib.figure import Figure

_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "graders-report", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
_BLUE, _RED, _GREEN, _GREY = "#2f6db5", "#b3261e", "#1b7f3b", "#8a8a8a"
_MAX_LABEL = 70  # characters of a failure message on the plot's axis; the table beside it has all of it
_MAX_ANNOTATED = 600  # heat map cells labelled with their number; beyond, the table under the plot has them


def _styled(plot):
    """Run ``plot`` under the report's style without touching matplotlib's global settings."""
    @functools.wraps(plot)
    def styled(*args, **kwargs) -> str:
        with matplotlib.rc_context(_STYLE):
            return plot(*args, **kwargs)
    return styled


def _svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), ready to inline into HTML."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


@_styled
def score_distribution(scores: list[float], max_score: float) -> str:
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    bins = max(1, min(20, math.ceil(max_score))) if max_score > 0 else 1
    ax.hist(scores, bins=bins, range=(0, max_score or 1), color=_BLUE, edgecolor="white")
    mean = sum(scores) / len(scores)
    ax.axvline(mean, color=_RED, linestyle="--", label=f"Mittelwert {mean:.1f}")
    ax.set_xlim(0, max_score or 1)
    ax.set_xlabel(f"Punkte (von {max_score:g})")
    ax.set_ylabel("Anzahl Abgaben")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False)
    return _svg(fig)


@_styled
def pass_rates(labels: list[str], rates: list[float]) -> str:
    """Horizontal bars: share of submissions that passed each graded cell, in notebook order."""
    fig = _figure(7, 0.8 + 0.32 * len(labels))
    ax = fig.add_subplot()
    y = range(len(labels))
    colours = [_GREEN if r >= 0.8 else _BLUE if r >= 0.5 else _RED for r in rates]
    ax.barh(y, [100 * r for r in rates], color=colours)
    for i, rate in enumerate(rates):
        ax.text(100 * rate + 1, i, f"{100 * rate:.0f} %", va="center")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xlabel("bestanden (% der Abgaben)")
    return _svg(fig)


@_styled
def failure_groups(labels: list[str], counts: list[int]) -> str:
    fig = _figure(8, 0.8 + 0.36 * max(1, len(labels)))
    ax = fig.add_subplot()
    if not labels:
        ax.text(0.5, 0.5, "Keine Fehlermeldungen: alle Zellen bestanden.", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return _svg(fig)
    short = [t if len(t) <= _MAX_LABEL else t[:_MAX_LABEL - 1] + "…" for t in labels]
    y = range(len(labels))
    ax.barh(y, counts, color=_RED)
    ax.set_yticks(list(y), short)
    ax.invert_yaxis()
    ax.set_xlabel("Anzahl (Zelle × Abgabe)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _svg(fig)


@_styled
def heatmap(rows: list[str], columns: list[str], values: list[list[float]], *, colorbar: str) -> str:
    """Rows × columns of shares in [0, 1] (NaN: no data), red to green, each cell labelled in %."""
    fig = _figure(max(5.0, 1.6 + 0.55 * len(columns)), max(2.2, 1.4 + 0.3 * len(rows)))
    ax = fig.add_subplot()
    image = ax.imshow([[100 * v for v in row] for row in values], vmin=0, vmax=100, aspect="auto",
                      cmap=matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd"), interpolation="nearest")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    if len(rows) * len(columns) <= _MAX_ANNOTATED:
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if not math.isnan(value):  # in_layout=False: inside the axes, so no need to measure them
                    ax.text(j, i, f"{100 * value:.0f}", ha="center", va="center", fontsize=7, in_layout=False,
                            color="black" if 0.25 < value < 0.8 else "white")
    fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    return _svg(fig)


@_styled
def grading_time(students: list[str], wall_s: list[float], code_s: list[float]) -> str:
    """Per submission: the time of the student's own code and the rest of the grading (stacked)."""
    fig = _figure(7, 0.9 + 0.3 * len(students))
    ax = fig.add_subplot()
    y = range(len(students))
    overhead = [max(0.0, w - c) for w, c in zip(wall_s, code_s)]
    ax.barh(y, code_s, color=_BLUE, label="Code der Abgabe")
    ax.barh(y, overhead, left=code_s, color=_GREY, label="Bewertung (Start, Vergleich, Schreiben)")
    ax.set_yticks(list(y), students)
    ax.invert_yaxis()
    ax.set_xlabel("Sekunden")
    ax.legend(frameon=False, loc="lower right")
    return _svg(fig)


@_styled
def regrade_history(series: dict[str, list[float]], max_score: float) -> str:
    """Score of each student over their grading runs (1st, 2nd, ...); changed scores in colour."""
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    for student, scores in sorted(series.items()):
        changed = len(set(scores)) > 1
        ax.plot(range(1, len(scores) + 1), scores, marker="o", alpha=1.0 if changed else 0.35,
                color=None if changed else _GREY, label=student if changed else None)
    runs = max(map(len, series.values()))
    ax.set_xlim(0.5, runs + 0.5)
    ax.set_xticks(range(1, runs + 1))
    ax.set_ylim(-0.05 * max_score, 1.05 * max_score or 1)
    ax.set_ylabel(f"Punkte (von {max_score:g})")
    ax.set_xlabel("Bewertungslauf")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, title="Punkte geändert", fontsize=7)
    return _svg(fig)


@_styled
def score_boxes(labels: list[str], shares: list[list[float]]) -> str:
    """One box per assignment: the distribution of the students' scores in % of the maximum."""
    fig = _figure(max(5.0, 1.5 + 0.6 * len(labels)), 3.4)
    ax = fig.add_subplot()
    ax.boxplot([[100 * s for s in group] for group in shares], tick_labels=labels, showmeans=True)
    ax.set_ylim(-5, 105)
    ax.set_ylabel("Punkte (% des Maximums)")
    ax.tick_params(axis="x", rotation=45)
    return _svg(fig)
