"""StreamingDiarize by re-running the whole-file pipeline on a rolling window.

pyannote has no streaming mode. Every `step` seconds of new audio the pipeline runs again on the
last `window` seconds; its labels, which mean nothing from one run to the next, are mapped onto
the stream's own (spk_0, spk_1, …) by how much they overlap the turns already reported. Turns
stay provisional (revised, or withdrawn, by later runs) until they end `final_after` seconds
before the newest audio; then they are final and nothing before them changes again.

Latency: a turn is first reported at most `step` + one run after its audio arrived, where
step = max(latency_budget / 2, the previous run's duration). The second term is what keeps a
stream in real time when a run takes longer than half the budget: runs then cover more audio
each instead of falling behind. A turn is final `final_after` (default 10 s) after it ends, or at
a flush.
"""

import time
from dataclasses import dataclass, replace

from .audio import Pcm

BYTES_PER_SECOND = 32_000  # LINEAR16 16 kHz mono, the only streaming format
EDGE = 0.05  # seconds: a turn touching the window's start may have begun before it
MIN_TURN = 0.01


@dataclass
class Turn:
    turn_id: str
    label: str
    start: float
    end: float
    revision: int = 0
    final: bool = False
    withdrawn: bool = False


class RollingDiarizer:
    def __init__(self, engine, count, latency_budget, window=30.0, final_after=10.0, exclusive=True,
                 clock=time.monotonic):
        if not 0 < final_after < window:
            raise ValueError(f"final_after ({final_after} s) must be between 0 and the window ({window} s)")
        self.engine, self.count, self.exclusive, self.clock = engine, count, exclusive, clock
        self.step, self.window, self.final_after = latency_budget / 2, window, final_after
        self.buffer = bytearray()
        self.total_bytes = 0
        self.unrun_bytes = 0
        self.last_run_seconds = 0.0
        self.run_durations = []  # wall seconds of each run, for logs and the tests
        self.turns = []  # provisional turns, and final ones still inside the window (label mapping)
        self.horizon = 0.0  # everything before it is final
        self.labels = []
        self._next_id = 0

    @property
    def seconds(self):
        return self.total_bytes / BYTES_PER_SECOND

    def accept(self, chunk):
        """A chunk of LINEAR16 16 kHz mono; returns the turns created, revised or withdrawn."""
        self.buffer += chunk
        keep = int(self.window * BYTES_PER_SECOND) & ~1
        if len(self.buffer) > keep:
            del self.buffer[: len(self.buffer) - keep]
        self.total_bytes += len(chunk)
        self.unrun_bytes += len(chunk)
        if self.unrun_bytes / BYTES_PER_SECOND < max(self.step, self.last_run_seconds):
            return []
        changes = {}
        self._run(changes)
        self._finalize(self.seconds - self.final_after, changes)
        return _ordered(changes)

    def flush(self):
        """Everything so far becomes final (a flush marker, or the end of the audio)."""
        changes = {}
        if self.unrun_bytes:
            self._run(changes)
        self._finalize(self.seconds, changes)
        return _ordered(changes)

    def _run(self, changes):
        window_start = (self.total_bytes - len(self.buffer)) / BYTES_PER_SECOND
        began = self.clock()
        raw = self.engine.diarize(Pcm(bytes(self.buffer), 16000, 1), exclusive=self.exclusive,
                                  **self.count.window_kwargs())
        self.last_run_seconds = self.clock() - began
        self.run_durations.append(self.last_run_seconds)
        self.unrun_bytes = 0
        shifted = [(t.start + window_start, t.end + window_start, t.label) for t in raw]
        mapping = self._map_labels(shifted)
        candidates = sorted((max(s, self.horizon), e, mapping[l]) for s, e, l in shifted
                            if e - max(s, self.horizon) > MIN_TURN)
        open_turns = [t for t in self.turns if not t.final]
        matched = set()
        for start, end, label in candidates:
            best, best_overlap = None, 0.0
            for t in open_turns:
                if t.label != label or t.turn_id in matched:
                    continue
                ov = _overlap(t.start, t.end, start, end)
                if ov > best_overlap:
                    best, best_overlap = t, ov
            if best is None:
                turn = Turn(self._new_id(), label, start, end)
                self.turns.append(turn)
                changes[turn.turn_id] = turn
                matched.add(turn.turn_id)
                continue
            matched.add(best.turn_id)
            # The window cut off the start of a turn that began before it: keep the start seen then.
            if best.start < start <= max(window_start, self.horizon) + EDGE:
                start = best.start
            if abs(best.start - start) > 1e-3 or abs(best.end - end) > 1e-3:
                self._touch(best, changes)
                best.start, best.end = start, end
        for t in open_turns:
            if t.turn_id not in matched:
                self._touch(t, changes)
                t.final = t.withdrawn = True
        self.turns = [t for t in self.turns if not t.withdrawn]

    def _finalize(self, until, changes):
        if until <= self.horizon:
            return
        still_open = []
        for t in self.turns:
            if t.final:
                continue
            if t.end <= until:
                self._touch(t, changes)
                t.final = True
            else:
                still_open.append(t.start)
        self.horizon = max(self.horizon, min([until] + still_open))
        # Final turns that the next window cannot reach no longer matter for label mapping.
        oldest = self.seconds - self.window
        self.turns = [t for t in self.turns if not (t.final and t.end < oldest)]

    def _map_labels(self, shifted):
        """The run's labels → the stream's: greedy by overlap with the turns already known, one to
        one; a label with no overlap is a new speaker while the speaker cap allows."""
        overlap = {}
        for s, e, local in shifted:
            for t in self.turns:
                ov = _overlap(s, e, t.start, t.end)
                if ov > 0:
                    overlap[(local, t.label)] = overlap.get((local, t.label), 0.0) + ov
        mapping, taken = {}, set()
        for (local, known), _ in sorted(overlap.items(), key=lambda kv: -kv[1]):
            if local not in mapping and known not in taken:
                mapping[local] = known
                taken.add(known)
        for s, e, local in shifted:  # in order of appearance, so new labels number by first speech
            if local in mapping:
                continue
            if len(self.labels) < self.count.cap:
                mapping[local] = f"spk_{len(self.labels)}"
                self.labels.append(mapping[local])
            else:  # the cap is reached: the known speaker this run has not used, else the first
                free = [k for k in self.labels if k not in taken]
                mapping[local] = free[0] if free else self.labels[0]
            taken.add(mapping[local])
        return mapping

    def _touch(self, turn, changes):
        """One revision per turn per response, however many changes it had in between."""
        if turn.turn_id not in changes:
            turn.revision += 1
            changes[turn.turn_id] = turn

    def _new_id(self):
        self._next_id += 1
        return f"t{self._next_id - 1}"


def _overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def _ordered(changes):
    return [replace(t) for t in sorted(changes.values(), key=lambda t: (t.start, t.turn_id))]
