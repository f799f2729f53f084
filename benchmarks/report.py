"""Figures and the table they are printed in.

Absolute times drift on a shared machine, so every figure is printed next to a
baseline measured in the same run (interleaved with it), and as a ratio or a
difference. Nothing here fails: a figure that misses its goal is marked, not
raised.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Result:
    what: str
    figure: str
    baseline: str = "–"
    compared: str = "–"
    goal: str = "–"
    meets: bool | None = None   # None: nothing to compare with a goal
    note: str = ""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def paired_ratio(values: Sequence[float], baselines: Sequence[float]) -> float:
    """Median of round-by-round ratios: each run is divided by the baseline run of its
    own round, so a busy moment on the machine touches both sides of a ratio."""
    return median([value / base for value, base in zip(values, baselines, strict=True)])


def paired_difference(values: Sequence[float], baselines: Sequence[float]) -> float:
    """Median of round-by-round differences."""
    return median([value - base for value, base in zip(values, baselines, strict=True)])


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 1000 values is the 990th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def seconds(value: float) -> str:
    if value >= 1.0:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.2f} ms"


def signed_ms(value: float) -> str:
    return f"{value * 1000:+.0f} ms"


def kib(value: float) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MiB"
    if value >= 1024:
        return f"{value / 1024:.1f} KiB"
    return f"{value:.0f} B"


def spread(values: Sequence[float]) -> str:
    """``n=7, 0.91–1.20 s``: how many runs, and their range."""
    return f"n={len(values)}, {seconds(min(values))}–{seconds(max(values))}"


def mark(meets: bool | None) -> str:
    return {True: "meets", False: "MISSES", None: ""}[meets]


def table(results: Sequence[Result]) -> str:
    header = ("what", "measured", "baseline (same run)", "compared", "goal", "")
    rows = [header, *((r.what, r.figure, r.baseline, r.compared, r.goal, mark(r.meets))
                      for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows[1:]]
    notes = [f"- {r.what}: {r.note}" for r in results if r.note]
    if notes:
        out += ["", "Notes:", *notes]
    return "\n".join(out)
