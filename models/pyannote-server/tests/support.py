"""Shared by the sidecar's tests: stubs generated into a temporary directory, a real server on a
localhost port, test audio. Missing Debian packages make the tests fail, never skip."""

import atexit
import io
import os
import shutil
import sys
import tempfile
import wave
from array import array
from pathlib import Path

try:
    import grpc  # noqa: F401
    import google.protobuf  # noqa: F401
    import grpc_tools  # noqa: F401
except ImportError as e:
    raise ImportError(f"{e.name} is missing for {sys.executable}: the pyannote sidecar's tests need Debian's"
                      " python3-grpcio python3-protobuf python3-grpc-tools (./steno test installs them;"
                      " or: apt-get install -y python3-grpcio python3-protobuf python3-grpc-tools)") from e

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "STENO_PYANNOTE_STUBS" not in os.environ:  # never into the source tree
    _stubs = tempfile.mkdtemp(prefix="steno-pyannote-stubs-")
    atexit.register(shutil.rmtree, _stubs, True)
    os.environ["STENO_PYANNOTE_STUBS"] = _stubs

from steno_pyannote import engine as engines, standin  # noqa: E402
from steno_pyannote import service  # noqa: E402  (generates the stubs)

pb, pb_grpc, audio_pb, common_pb = service.pb, service.pb_grpc, service.audio_pb, service.common_pb
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
SHORT = LIBRIVOX / "sense_and_sensibility_01_austen_64kb-0880.wav"  # 2.99 s, speech 0.25–2.8 s
OTHER = LIBRIVOX / "sense_and_sensibility_01_austen_64kb-0930.wav"  # 3.29 s, speech 0.25–2.9 s
TIMEOUT = 20  # seconds: the deadline of every call in these tests


def pcm_of(path):
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def silence(seconds, rate=16000):
    return bytes(2 * int(seconds * rate))


def conversation(*parts):
    """Concatenated 16 kHz mono PCM: bytes parts as they are, numbers as that much silence."""
    return b"".join(p if isinstance(p, bytes) else silence(p) for p in parts)


def wav_bytes(pcm, rate=16000, channels=1, width=2):
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


def decimate(pcm16k, factor):
    """Every factor-th sample: crude, but the stand-in only looks at energy."""
    a = array("h")
    a.frombytes(pcm16k)
    return a[::factor].tobytes()


def stereo(pcm):
    a = array("h")
    a.frombytes(pcm)
    out = array("h", bytes(4 * len(a)))
    out[0::2] = a
    out[1::2] = a
    return out.tobytes()


def standin_engine(**kwargs):
    pipeline = standin.StandInPipeline(**kwargs)
    return engines.Engine(pipeline, standin.to_waveform,
                          engines.Info("pyannote-standin", "0", engines.DEFAULT_MODEL)), pipeline


class Sidecar:
    """A real server on 127.0.0.1:<free port> and a channel to it."""

    def __init__(self, engine, **settings):
        self.settings = service.Settings(listen="127.0.0.1:0", **settings)
        self.server, self.port = service.serve(engine, self.settings)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}",
                                             options=[("grpc.max_send_message_length", 256 * 1024 * 1024)])
        self.stub = pb_grpc.DiarizerStub(self.channel)

    def close(self):
        self.channel.close()
        self.server.stop(grace=None).wait(5)


def config(stream_id="meeting-1/track-1/0", **kwargs):
    return pb.DiarizationConfig(stream_id=stream_id, **kwargs)


def linear16_16k():
    return audio_pb.AudioFormat(encoding=audio_pb.AUDIO_ENCODING_LINEAR16, sample_rate_hz=16000, channels=1)


def seconds(d):
    return d.seconds + d.nanos / 1e9
