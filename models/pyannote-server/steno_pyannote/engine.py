"""The pyannote pipeline behind one small interface: PCM + speaker-count kwargs → turns.

The pipeline object is injected: load_pyannote() builds the real one (pyannote.audio + torch, on a
GPU host); the tests inject a stand-in with the same call shape (see standin.py).
"""

import logging
import os
import threading
from dataclasses import dataclass

LOG = logging.getLogger("steno_pyannote")
DEFAULT_MODEL = "pyannote/speaker-diarization-community-1"


@dataclass(frozen=True)
class Info:
    name: str
    version: str
    model: str


@dataclass(frozen=True)
class RawTurn:
    start: float
    end: float
    label: str  # the pipeline's own label, e.g. SPEAKER_00; only stable within one call


class Engine:
    """One pipeline, one call at a time: a pyannote pipeline is not documented as thread-safe and
    one GPU gains nothing from two concurrent runs, so calls queue on a lock."""

    def __init__(self, pipeline, to_waveform, info):
        self._pipeline = pipeline
        self._to_waveform = to_waveform
        self._lock = threading.Lock()
        self.info = info

    def diarize(self, pcm, exclusive=True, **speaker_kwargs):
        """Turns in start order, clipped to the audio. speaker_kwargs: num_speakers, min_speakers,
        max_speakers, passed to the pipeline unchanged."""
        waveform = self._to_waveform(pcm)
        with self._lock:
            output = self._pipeline({"waveform": waveform, "sample_rate": pcm.sample_rate}, **speaker_kwargs)
        annotation = pick_annotation(output, exclusive)
        turns = []
        for segment, _track, label in annotation.itertracks(yield_label=True):
            start, end = max(0.0, float(segment.start)), min(pcm.seconds, float(segment.end))
            if end > start:
                turns.append(RawTurn(start, end, str(label)))
        turns.sort(key=lambda t: (t.start, t.end, t.label))
        return turns


def pick_annotation(output, exclusive):
    """pyannote 4 returns DiarizeOutput (speaker_diarization, exclusive_speaker_diarization);
    3.1 returns the Annotation itself, which may overlap."""
    if hasattr(output, "speaker_diarization"):
        return output.exclusive_speaker_diarization if exclusive else output.speaker_diarization
    if hasattr(output, "itertracks"):
        return output
    raise TypeError(f"the pipeline returned {type(output).__name__}, neither a DiarizeOutput nor an Annotation")


def load_pyannote(model=None, token=None, device=None):
    """The real pipeline on this host's GPU (or CPU when told). Imports torch/pyannote only here."""
    import torch
    import pyannote.audio
    from pyannote.audio import Pipeline

    model = model or DEFAULT_MODEL
    token = token if token is not None else os.environ.get("HF_TOKEN")
    try:  # pyannote.audio 4.x names it token=, 3.x use_auth_token=
        pipeline = Pipeline.from_pretrained(model, token=token)
    except TypeError:
        pipeline = Pipeline.from_pretrained(model, use_auth_token=token)
    if pipeline is None:  # 3.x returns None when the gated model cannot be fetched
        raise RuntimeError(f"could not load {model}: accept its conditions on huggingface.co with the account"
                           " of HF_TOKEN, or point STENO_PYANNOTE_MODEL at a local copy")
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        LOG.warning("pyannote runs on the CPU: expect minutes per hour of audio, and streaming behind real time")
    pipeline.to(torch.device(device))

    def to_waveform(pcm):
        # (channels, samples) float32 in −1..1, downmixed here (pyannote would too) to halve the copy.
        samples = torch.frombuffer(bytearray(pcm.data), dtype=torch.int16).to(torch.float32) / 32768.0
        waveform = samples.reshape(-1, pcm.channels).T
        return waveform.mean(dim=0, keepdim=True) if pcm.channels > 1 else waveform

    return Engine(pipeline, to_waveform, Info("pyannote", pyannote.audio.__version__, model))
