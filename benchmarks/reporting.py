"""What both reports share: the machine they ran on, medians and percentiles, how a figure is
written; and the progress lines printed while a benchmark runs."""

from __future__ import annotations

import platform
import statistics
from datetime import datetime
from importlib.metadata import version
from pathlib import Path


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile, nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def say(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    return {
        "cpu": cpu, "cores": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "voila": version("voila"), "ipywidgets": version("ipywidgets"), "plotly": version("plotly"),
    }


def fmt(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "KB":
        return f"{value:,.0f} KB" if value >= 100 else f"{value:.1f} KB"
    return f"{value:.2f} {unit}".strip()


def ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.2f}×"
