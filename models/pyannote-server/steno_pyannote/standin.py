"""A stand-in for pyannote's pipeline, for tests on hosts without torch or weights.

It is called exactly as pyannote's is — pipeline({"waveform", "sample_rate"}, num_speakers=…,
min_speakers=…, max_speakers=…) — and answers in pyannote 4's shape (an object with
speaker_diarization and exclusive_speaker_diarization, read with itertracks(yield_label=True)),
or 3.1's (the Annotation itself) when legacy=True. It finds speech by energy and gives each
stretch of speech between pauses of at least `pause` seconds to the next speaker in turn, so
what it returns is predictable from the audio and the speaker count it was asked for.
It is NOT a diarizer: the server only uses it when STENO_PYANNOTE_STANDIN=1, and then says so
in every EngineInfo ("pyannote-standin").
"""

import math
import threading
import time
from array import array

FRAME = 0.05  # seconds per energy frame


class Segment:
    def __init__(self, start, end):
        self.start, self.end = start, end


class Annotation:
    def __init__(self, tracks):
        self._tracks = tracks  # [(start, end, label)]

    def itertracks(self, yield_label=False):
        for i, (start, end, label) in enumerate(self._tracks):
            yield (Segment(start, end), f"T{i}", label) if yield_label else (Segment(start, end), f"T{i}")


class Output:
    def __init__(self, regular, exclusive):
        self.speaker_diarization = regular
        self.exclusive_speaker_diarization = exclusive
        self.speaker_embeddings = None


class Waveform:
    """(1, samples) mono floats, what the real adapter would hand over as a torch tensor."""

    def __init__(self, samples):
        self.samples = samples
        self.shape = (1, len(samples))


def to_waveform(pcm):
    raw = array("h")
    raw.frombytes(pcm.data)
    c = pcm.channels
    mono = array("f", (sum(raw[i:i + c]) / (c * 32768.0) for i in range(0, len(raw), c)))
    return Waveform(mono)


class StandInPipeline:
    def __init__(self, pause=0.8, overlap=0.2, legacy=False, delay=0.0):
        self.pause, self.overlap, self.legacy, self.delay = pause, overlap, legacy, delay
        self.calls = []  # (sample_rate, shape, kwargs) of every call, for the tests
        self.fail = None  # an exception to raise on the next call
        self._lock = threading.Lock()

    def __call__(self, file, num_speakers=None, min_speakers=None, max_speakers=None):
        waveform, rate = file["waveform"], file["sample_rate"]
        kwargs = {k: v for k, v in (("num_speakers", num_speakers), ("min_speakers", min_speakers),
                                    ("max_speakers", max_speakers)) if v is not None}
        with self._lock:
            self.calls.append((rate, waveform.shape, kwargs))
            fail, self.fail = self.fail, None
        if self.delay:
            time.sleep(self.delay)
        if fail is not None:
            raise fail
        speakers = num_speakers or max(min_speakers or 2, 1)
        if max_speakers:
            speakers = min(speakers, max_speakers)
        regions = self._speech(waveform.samples, rate)
        exclusive = [(s, e, f"SPEAKER_{i % speakers:02d}") for i, (s, e) in enumerate(regions)]
        # The regular output lets each speaker run `overlap` seconds into the next one's turn.
        regular = [(s, min(e + self.overlap, regions[i + 1][1]) if i + 1 < len(regions) else e, label)
                   for i, (s, e, label) in enumerate(exclusive)]
        if self.legacy:
            return Annotation(regular)
        return Output(Annotation(regular), Annotation(exclusive))

    def _speech(self, samples, rate):
        n = max(1, int(FRAME * rate))
        energies = [math.sqrt(sum(x * x for x in samples[i:i + n]) / len(samples[i:i + n]))
                    for i in range(0, len(samples), n)]
        if not energies:
            return []
        threshold = max(0.01, 0.1 * max(energies))
        regions, start, last = [], None, None
        for k, e in enumerate(energies):
            if e >= threshold:
                if start is None:
                    start = k
                elif (k - last - 1) * FRAME >= self.pause:
                    regions.append((start, last + 1))
                    start = k
                last = k
        if start is not None:
            regions.append((start, last + 1))
        seconds = len(samples) / rate
        return [(round(a * FRAME, 3), round(min(b * FRAME, seconds), 3)) for a, b in regions if (b - a) * FRAME >= 0.2]
