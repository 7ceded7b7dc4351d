"""Audio as the Diarizer contract carries it → 16-bit PCM with its rate and channel count.

Decoding stays in the standard library (wave, array) so that it is tested here without torch;
pyannote downmixes and resamples the waveform it is given to what its models need (16 kHz mono).
"""

import io
import wave
from dataclasses import dataclass

MIN_RATE, MAX_RATE = 8000, 48000
MAX_CHANNELS = 8


class BadAudio(ValueError):
    """Audio the caller must fix; the message says what was wrong and what is accepted."""


@dataclass(frozen=True)
class Pcm:
    data: bytes  # signed 16-bit little-endian, channels interleaved
    sample_rate: int
    channels: int

    @property
    def frames(self):
        return len(self.data) // (2 * self.channels)

    @property
    def seconds(self):
        return self.frames / self.sample_rate


def is_riff(content):
    return len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WAVE"


def from_wav(content):
    try:
        with wave.open(io.BytesIO(content), "rb") as w:
            width, rate, channels, frames = w.getsampwidth(), w.getframerate(), w.getnchannels(), w.getnframes()
            if width != 2:
                raise BadAudio(f"WAV with {8 * width}-bit samples is not supported; send 16-bit PCM"
                               " (ffmpeg -i in -ac 1 -ar 16000 -c:a pcm_s16le out.wav)")
            data = w.readframes(frames)
    except BadAudio:
        raise
    except Exception as e:  # wave raises wave.Error, EOFError, RuntimeError… on bytes that are not a WAV
        raise BadAudio(f"content is not a readable WAV file ({e}); send a 16-bit PCM WAV or raw LINEAR16") from e
    pcm = Pcm(data[: len(data) - len(data) % (2 * max(channels, 1))], rate, channels)
    check_layout(pcm.sample_rate, pcm.channels, "WAV")
    if pcm.frames == 0:
        raise BadAudio("the WAV file holds no samples; send audio with speech in it")
    return pcm


def from_linear16(content, sample_rate, channels):
    channels = channels or 1
    check_layout(sample_rate, channels, "LINEAR16")
    if len(content) % (2 * channels):
        raise BadAudio(f"LINEAR16 content of {len(content)} bytes is not a whole number of 16-bit"
                       f" {channels}-channel frames")
    return Pcm(bytes(content), sample_rate, channels)


def check_layout(sample_rate, channels, what):
    if not MIN_RATE <= sample_rate <= MAX_RATE:
        raise BadAudio(f"{what} sample rate {sample_rate} Hz is not accepted; send {MIN_RATE}–{MAX_RATE} Hz"
                       " (16000 Hz mono is what the model uses)")
    if not 1 <= channels <= MAX_CHANNELS:
        raise BadAudio(f"{what} with {channels} channels is not accepted; send 1–{MAX_CHANNELS} channels")
