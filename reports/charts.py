"""Geometry of simple charts drawn as inline SVG by templates: no JavaScript chart library, so
the charts work offline, print, and render the same in the PDF reports (WeasyPrint)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .analytics import YearExits

SERIES = (
    ("resignation", "Resignations"),
    ("retirement", "Retirements"),
    ("other", "Other exits"),
)


@dataclass(frozen=True)
class Segment:
    series: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    x: float
    width: float
    segments: list[Segment]
    partial: bool

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def top(self) -> float:
        """Where the bar's total is written above it."""
        return min(segment.y for segment in self.segments) if self.segments else 0


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class StackedBarChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    series: tuple[tuple[str, str], ...]
    title: str = ""

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def has_partial(self) -> bool:
        return any(bar.partial for bar in self.bars)

    @property
    def first_label(self) -> str:
        return self.bars[0].label if self.bars else ""

    @property
    def last_label(self) -> str:
        return self.bars[-1].label if self.bars else ""


def _nice_step(maximum: int, ticks: int = 4) -> int:
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            return max(1, int(step))
    return int(10 * magnitude)


def exits_chart(years: list[YearExits], *, partial_year: int | None = None) -> StackedBarChart:
    """Stacked bars of exits per year (resignations, retirements, other), the y axis on round
    numbers. `partial_year` marks the year still running."""
    return stacked_bar_chart(
        [(str(year.year), year.counts, year.year == partial_year) for year in years], series=SERIES
    )


def stacked_bar_chart(
    bars: list[tuple[str, dict[str, int], bool]], *, series: tuple[tuple[str, str], ...], title: str = ""
) -> StackedBarChart:
    """Bars of (label, {series key: value}, partial) stacked in the order of `series`."""
    width, height, left, right, top, bottom = 640, 240, 36, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(counts.get(key, 0) for key, _ in series) for _, counts, _ in bars]
    step = _nice_step(max(totals, default=0))
    top_value = max(step, math.ceil(max(totals, default=0) / step) * step)
    scale = plot_h / top_value
    slot = plot_w / max(len(bars), 1)
    bar_w = slot * 0.62
    drawn = []
    for i, ((label, counts, partial), total) in enumerate(zip(bars, totals, strict=True)):
        x = left + i * slot + (slot - bar_w) / 2
        y = height - bottom
        segments = []
        for key, name in series:
            value = counts.get(key, 0)
            if not value:
                continue
            h = value * scale
            y -= h
            segments.append(Segment(key, name, value, round(y, 1), round(h, 1)))
        drawn.append(Bar(label, total, round(x, 1), round(bar_w, 1), segments, partial))
    ticks = [Tick(v, round(height - bottom - v * scale, 1)) for v in range(0, top_value + 1, step)]
    return StackedBarChart(width, height, left, right, top, bottom, drawn, ticks, series, title)
