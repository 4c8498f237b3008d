"""What a run of simulated patients gives: the timed messages, the run's result, percentiles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Sample:
    """One message to the kernel, timed until the kernel was idle again.

    Attributes:
        patient: the simulated patient, from 1.
        step: the step on screen when it was sent (for `next`, the step being left).
        kind: what it was: kernel_info, states, prepare, answer, tick, choose, check, next.
        latency_ms: from sending until the iopub `status: idle` whose parent it is.
        sent_at: wall-clock time it was sent (seconds since the epoch).
    """

    patient: int
    step: int
    kind: str
    latency_ms: float
    sent_at: float


@dataclass(slots=True)
class RunResult:
    """What a run of `simulate` gave.

    Attributes:
        patients: how many patients were started.
        samples: every timed message, in the order they finished.
        errors: one short string per thing that went wrong, naming the patient and the step.
        refusals: pages answered with the "busy" page (503).
        completed: patients that walked all steps and left without an error.
        ready_ms: for each patient whose page became ready, the ms from asking for the page
            until every widget model was loaded (what a browser needs before the first step
            shows, less the browser's own work).
    """

    patients: int
    samples: list[Sample] = field(default_factory=list)
    ready_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refusals: int = 0
    completed: int = 0

    def latencies(self, kinds: Iterable[str] | None = None) -> list[float]:
        """The latencies in ms of the samples of the given kinds (all when None)."""
        wanted = None if kinds is None else frozenset(kinds)
        return [s.latency_ms for s in self.samples if wanted is None or s.kind in wanted]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100), interpolated between the closest ranks.

    Returns NaN for no values, so that a summary line can still be printed.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100 (got {q!r})")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
