"""Charts of the weekly report as inline SVG, drawn with matplotlib's Agg/SVG backends.

Deterministic output: no date metadata, a fixed hash salt for element ids, text drawn as
paths (no font needed by the reader, WeasyPrint included). Each chart returns the bare
``<svg>`` element, ready to inline in HTML.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402 - the backend is chosen first
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from exporter.weekly_ladder import ROMAN  # noqa: E402

RC = {"svg.hashsalt": "pantau-weekly", "svg.fonttype": "path", "font.family": "DejaVu Sans", "font.size": 7}
LEVEL_COLOURS = ("#9e9e9e", "#f2c94c", "#f2994a", "#d64541", "#8e2a2a", "#5a1a1a")
OK_COLOUR = "#2e7d32"
LAG_COLOUR = "#d64541"


def _svg(fig: Figure, prefix: str) -> str:
    """The bare <svg> element; its ids carry ``prefix`` so several charts can share one page."""
    buffer = io.StringIO()
    with rc_context(RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):].strip()
    return (text.replace(' id="', f' id="{prefix}').replace("url(#", f"url(#{prefix}")
            .replace('href="#', f'href="#{prefix}'))


def _short(week: str) -> str:
    return week.split("-")[1]  # 2026-W47 -> W47


def trend_svg(weeks: list[str], rows: list[dict], prefix: str = "tren-") -> str:
    """A unit's composite score over ``weeks``: a line, red dots on lagging weeks, gaps without data."""
    by_week = {row["week"]: row for row in rows}
    with rc_context(RC):
        fig = Figure(figsize=(1.9, 0.55))
        ax = fig.add_axes((0.02, 0.08, 0.96, 0.84))
        xs = list(range(len(weeks)))
        ys = [by_week[w]["composite"] if w in by_week and by_week[w]["has_data"] else None for w in weeks]
        ax.plot(xs, [float("nan") if y is None else y for y in ys], color="#555555", linewidth=0.9)
        for x, week in zip(xs, weeks):
            row = by_week.get(week)
            if row is None or not row["has_data"]:
                continue
            ax.plot([x], [row["composite"]], marker="o", markersize=2.6, linestyle="none",
                    color=LAG_COLOUR if row["lagging"] else OK_COLOUR)
        ax.set_xlim(-0.5, len(weeks) - 0.5)
        ax.set_ylim(-8, 108)
        ax.axhline(50, color="#dddddd", linewidth=0.5, zorder=0)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        return _svg(fig, prefix)


def summary_svg(counts: list[dict], levels: int, prefix: str = "ringkasan-") -> str:
    """Lagging units per week, stacked by reprimand level, with the number judged on top."""
    with rc_context(RC):
        fig = Figure(figsize=(6.0, 2.0))
        ax = fig.add_axes((0.07, 0.16, 0.7, 0.74))
        xs = list(range(len(counts)))
        bottom = [0] * len(counts)
        for level in range(levels + 1):
            heights = [c["levels"].get(level, 0) for c in counts]
            if not any(heights):
                continue
            label = f"Teguran {ROMAN[level]}" if level else "Tertinggal, belum ditegur"
            ax.bar(xs, heights, bottom=bottom, color=LEVEL_COLOURS[level], width=0.6, label=label)
            bottom = [b + h for b, h in zip(bottom, heights)]
        for x, c in zip(xs, counts):
            ax.text(x, bottom[x] + 0.1, f"{c['lagging']}/{c['judged']}" if c["judged"] else "-",
                    ha="center", va="bottom", fontsize=6)
        ax.set_xticks(xs, [_short(c["week"]) for c in counts])
        top = max([c["judged"] for c in counts] + [1])
        ax.set_ylim(0, max(max(bottom) * 1.3, 1) if bottom else 1)
        ax.set_ylabel("unit tertinggal")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"Unit tertinggal per minggu (angka: tertinggal/dinilai, paling banyak {top})", fontsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="center right", fontsize=6, frameon=False)
        return _svg(fig, prefix)
