"""The rules of diarizer.proto that a request must meet, as one place that says no.

Every rejection is an InvalidRequest whose message says what was wrong and what is accepted; the
service turns it into INVALID_ARGUMENT. The limits are those of the contract and of Steno's
builtin diarizer, so a caller sees the same answer whichever engine serves it.
"""

from dataclasses import dataclass

SPEAKER_LIMIT = 64
MAX_CHUNK_BYTES = 32_000  # 1 s of LINEAR16 16 kHz mono, under the contract's other limit of 32 KiB
DEFAULT_LATENCY_SECONDS = 2.0
OPTIONS = {"exclusive": "true: turns never overlap (pyannote's exclusive_speaker_diarization, the default);"
                        " false: overlapping speech gives overlapping turns (speaker_diarization)"}


class InvalidRequest(ValueError):
    pass


@dataclass(frozen=True)
class SpeakerCount:
    min: int = 0
    max: int = 0
    exact: int = 0

    def __post_init__(self):
        values = (self.min, self.max, self.exact)
        if any(v < 0 or v > SPEAKER_LIMIT for v in values):
            raise InvalidRequest(f"speaker_count: counts must be 0–{SPEAKER_LIMIT}, got min {self.min},"
                                 f" max {self.max}, exact {self.exact}")
        if self.exact and ((self.min and self.min != self.exact) or (self.max and self.max != self.exact)):
            raise InvalidRequest(f"speaker_count: exact_speakers {self.exact} conflicts with min {self.min} /"
                                 f" max {self.max}; set min and max to 0 or to the exact count")
        if self.max and self.min > self.max:
            raise InvalidRequest(f"speaker_count: min_speakers {self.min} is greater than max_speakers {self.max}")

    def whole_file_kwargs(self):
        """pyannote's own parameters: num_speakers when exact, else the bounds that are set."""
        if self.exact:
            return {"num_speakers": self.exact}
        return {k: v for k, v in (("min_speakers", self.min), ("max_speakers", self.max)) if v}

    def window_kwargs(self):
        """For one window of a stream only the upper bound holds: a 30 s window of a four-person
        meeting may well hold one voice, and forcing four there would split it."""
        upper = self.exact or self.max
        return {"max_speakers": upper} if upper else {}

    @property
    def cap(self):
        """Most distinct labels a stream may hand out."""
        return self.exact or self.max or SPEAKER_LIMIT


def speaker_count(config):
    if not config.HasField("speaker_count"):
        return SpeakerCount()
    h = config.speaker_count
    return SpeakerCount(h.min_speakers, h.max_speakers, h.exact_speakers)


def check_common(config, model):
    """stream_id, model, custom_options, media_start; returns the options (exclusive: bool)."""
    if not 1 <= len(config.stream_id) <= 256:
        raise InvalidRequest(f"stream_id must be 1–256 characters, got {len(config.stream_id)}")
    if config.model and config.model != model:
        raise InvalidRequest(f"unknown model '{config.model}'; this pyannote sidecar serves '{model}'"
                             " (or leave it empty)")
    options = dict(config.custom_options)
    if len(options) > 32:
        raise InvalidRequest(f"at most 32 custom_options, got {len(options)}")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise InvalidRequest(f"unknown custom_options {unknown}; the pyannote sidecar takes: "
                             + "; ".join(f"{k} ({v})" for k, v in OPTIONS.items()))
    exclusive = options.get("exclusive", "true").strip().lower()
    if exclusive not in ("true", "false"):
        raise InvalidRequest(f"custom_options exclusive must be true or false, got '{options['exclusive']}'")
    if config.HasField("media_start"):
        check_duration("media_start", config.media_start)
    return exclusive == "true"


def check_streaming_format(config, audio_pb2):
    f = config.audio_format
    ok = (config.HasField("audio_format") and f.encoding == audio_pb2.AUDIO_ENCODING_LINEAR16
          and f.sample_rate_hz == 16000 and f.channels in (0, 1))
    if not ok:
        raise InvalidRequest(f"audio_format {describe(config, audio_pb2)} is not supported for streaming;"
                             " only LINEAR16 16000 Hz mono is")


def latency_budget(config):
    if not config.HasField("latency_budget"):
        return DEFAULT_LATENCY_SECONDS
    check_duration("latency_budget", config.latency_budget)
    seconds = config.latency_budget.seconds + config.latency_budget.nanos / 1e9
    if seconds == 0:
        return DEFAULT_LATENCY_SECONDS
    if not 0.5 <= seconds <= 30:
        raise InvalidRequest(f"latency_budget must be 500 ms–30 s (or 0 for the default 2 s), got {seconds:g} s")
    return seconds


def check_flush_id(flush_id):
    if not 1 <= len(flush_id) <= 64 or not all(0x20 <= ord(c) < 0x7F for c in flush_id):
        raise InvalidRequest(f"flush id must be 1–64 printable ASCII characters, got '{flush_id}'")


def check_duration(field, d):
    if d.seconds < 0 or d.nanos < 0 or d.nanos > 999_999_999:
        raise InvalidRequest(f"{field} must be a non-negative duration")


def describe(config, audio_pb2):
    if not config.HasField("audio_format"):
        return "(unset)"
    f = config.audio_format
    name = audio_pb2.AudioEncoding.Name(f.encoding).replace("AUDIO_ENCODING_", "")
    return f"{name} {f.sample_rate_hz} Hz {f.channels} channel(s)"
