"""The rolling-window logic of StreamingDiarize, against a scripted engine whose labels change
meaning on every run (as pyannote's do)."""

import itertools
import unittest

import support  # noqa: F401  (path set-up)
from steno_pyannote.contract import SpeakerCount
from steno_pyannote.engine import RawTurn
from steno_pyannote.streaming import RollingDiarizer

CHUNK = 3200  # 100 ms


class ScriptedEngine:
    """Answers the true turns (absolute times) that fall in the window it is given, under labels
    permuted on every call; `truth` may be replaced between calls to change its mind."""

    def __init__(self, truth, clock=None, run_cost=0.0):
        self.truth, self.clock, self.run_cost = truth, clock, run_cost
        self.stream = None
        self.calls = []
        self._perms = itertools.cycle([("X", "Y", "Z"), ("Z", "X", "Y"), ("Y", "Z", "X")])

    def diarize(self, pcm, exclusive=True, **kwargs):
        end = self.stream.seconds
        start = end - pcm.seconds
        self.calls.append((round(start, 3), round(end, 3), kwargs))
        names = dict(zip(("A", "B", "C"), next(self._perms)))
        if self.clock:
            self.clock.now += self.run_cost
        return [RawTurn(max(s, start) - start, min(e, end) - start, names[who])
                for s, e, who in self.truth if e > start and s < end]


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def feed(diarizer, seconds):
    updates = []
    for _ in range(round(seconds * 10)):
        updates += diarizer.accept(bytes(CHUNK))
    return updates


def stream(engine, count=SpeakerCount(), budget=2.0, **kw):
    d = RollingDiarizer(engine, count, budget, **kw)
    engine.stream = d
    return d


def finals(updates):
    return [(round(t.start, 2), round(t.end, 2), t.label) for t in updates if t.final and not t.withdrawn]


class RollingTest(unittest.TestCase):

    def test_labels_stay_stable_across_runs_and_every_turn_ends_final_once(self):
        # A and B alternate 4 s turns with 1 s pauses for two minutes; windows of 30 s.
        truth = [(5 * i, 5 * i + 4, "AB"[i % 2]) for i in range(24)]
        engine = ScriptedEngine(truth)
        d = stream(engine)
        updates = feed(d, 120) + d.flush()
        got = finals(updates)
        self.assertEqual([(float(s), float(e)) for s, e, _ in truth], [(s, e) for s, e, _ in got])
        self.assertEqual({"spk_0"}, {label for (_, _, who), (_, _, label) in zip(truth, got) if who == "A"})
        self.assertEqual({"spk_1"}, {label for (_, _, who), (_, _, label) in zip(truth, got) if who == "B"})
        self.assertEqual(len(truth), len({t.turn_id for t in updates if t.final}), "final once per turn")
        self.assertEqual(["spk_0", "spk_1"], d.labels)
        # Windows are 30 s at most; one run per second (half the 2 s budget).
        self.assertTrue(all(e - s <= 30.0 + 1e-9 for s, e, _ in engine.calls))
        self.assertEqual(120, len(engine.calls), "the flush finds no audio left to run on")

    def test_provisional_then_final_after_final_after_seconds(self):
        engine = ScriptedEngine([(1.0, 3.0, "A")])
        d = stream(engine)
        first = feed(d, 2)
        self.assertEqual([("t0", 0, False, 1.0, 2.0)], [(t.turn_id, t.revision, t.final, t.start, t.end) for t in first])
        grown = feed(d, 2)
        self.assertEqual([("t0", 1, False, 1.0, 3.0)], [(t.turn_id, t.revision, t.final, t.start, t.end) for t in grown])
        self.assertEqual([], feed(d, 8.9), "nothing changes until 10 s after the turn's end")
        final = feed(d, 0.1)
        self.assertEqual([("t0", 2, True)], [(t.turn_id, t.revision, t.final) for t in final])
        self.assertAlmostEqual(13.0, d.seconds)

    def test_revised_and_withdrawn_turns(self):
        engine = ScriptedEngine([(1.0, 2.0, "A"), (2.5, 3.0, "B")])
        d = stream(engine)
        feed(d, 3)
        engine.truth = [(1.0, 2.8, "A")]  # the next run merges B's short turn into A's
        changes = feed(d, 1)
        by_id = {t.turn_id: t for t in changes}
        self.assertEqual((1, False, False, 2.8), (by_id["t0"].revision, by_id["t0"].final, by_id["t0"].withdrawn,
                                                   by_id["t0"].end))
        self.assertEqual((1, True, True), (by_id["t1"].revision, by_id["t1"].final, by_id["t1"].withdrawn))
        self.assertEqual([("t0", True)], [(t.turn_id, t.final) for t in d.flush()])

    def test_a_turn_longer_than_the_window_keeps_its_start(self):
        engine = ScriptedEngine([(2.0, 70.0, "A")])
        d = stream(engine)
        updates = feed(d, 75) + d.flush()
        self.assertEqual([(2.0, 70.0, "spk_0")], finals(updates))
        self.assertEqual(1, len({t.turn_id for t in updates}))

    def test_run_rate_follows_the_run_cost_when_it_exceeds_half_the_budget(self):
        clock = Clock()
        engine = ScriptedEngine([(0.5, 19.5, "A")], clock=clock, run_cost=1.7)
        d = stream(engine, clock=clock)
        feed(d, 20)
        gaps = [b[1] - a[1] for a, b in zip(engine.calls, engine.calls[1:])]
        self.assertEqual(1.0, engine.calls[0][1], "the first run comes after half the budget")
        self.assertTrue(all(abs(g - 1.7) < 0.1 + 1e-9 for g in gaps), gaps)
        self.assertEqual([1.7] * len(d.run_durations), [round(x, 3) for x in d.run_durations])

    def test_memory_stays_bounded_over_a_long_stream(self):
        truth = [(3 * i, 3 * i + 2, "ABC"[i % 3]) for i in range(400)]  # 20 minutes
        d = stream(ScriptedEngine(truth), budget=10.0)
        for _ in range(12):
            feed(d, 100)
            self.assertLessEqual(len(d.buffer), 30 * 32000)
            self.assertLessEqual(len(d.turns), 30 // 3 + 2)
        self.assertEqual(["spk_0", "spk_1", "spk_2"], d.labels)

    def test_speaker_cap_and_window_kwargs(self):
        truth = [(0.5, 2.0, "A"), (2.5, 4.0, "B"), (4.5, 6.0, "C")]
        engine = ScriptedEngine(truth)
        d = stream(engine, count=SpeakerCount(exact=2))
        updates = feed(d, 7) + d.flush()
        self.assertEqual({"spk_0", "spk_1"}, {label for _, _, label in finals(updates)})
        self.assertEqual([{"max_speakers": 2}], [k for k in {str(c[2]): c[2] for c in engine.calls}.values()],
                         "a window is only bounded above: it may hold fewer voices than the meeting")
        open_ended = stream(ScriptedEngine(truth), count=SpeakerCount(min=2))
        feed(open_ended, 2)
        self.assertEqual({}, open_ended.engine.calls[0][2])

    def test_final_after_must_fit_the_window(self):
        with self.assertRaises(ValueError):
            RollingDiarizer(None, SpeakerCount(), 2.0, window=10.0, final_after=10.0)


if __name__ == "__main__":
    unittest.main()
