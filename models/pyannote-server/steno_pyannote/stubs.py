"""Python stubs of Steno's protos, generated from the repository's .proto files on first use.

Generated code is never committed: it must match the protobuf runtime installed beside it (code
from a newer protoc does not load on Debian's protobuf 3.21), so it is made by the grpc_tools that
comes with that runtime, into a build directory (STENO_PYANNOTE_STUBS, default ./build/stubs).
"""

import importlib
import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# The repository layout: models/pyannote-server/steno_pyannote → proto/src/main/proto.
DEFAULT_PROTO_DIR = _HERE.parent.parent.parent / "proto" / "src" / "main" / "proto"
PROTOS = ("steno/common/v1/audio.proto", "steno/speech/v1/speech_common.proto", "steno/speech/v1/diarizer.proto")


def _proto_dir():
    return Path(os.environ.get("STENO_PROTO_DIR", DEFAULT_PROTO_DIR))


def _stubs_dir():
    return Path(os.environ.get("STENO_PYANNOTE_STUBS", _HERE.parent / "build" / "stubs"))


def _stale(proto_dir, out):
    marker = out / "steno" / "speech" / "v1" / "diarizer_pb2_grpc.py"
    if not marker.exists():
        return True
    built = marker.stat().st_mtime
    return any((proto_dir / p).stat().st_mtime > built for p in PROTOS)


def generate():
    """Generates the stubs when missing or older than the protos; returns their directory."""
    proto_dir, out = _proto_dir(), _stubs_dir()
    missing = [p for p in PROTOS if not (proto_dir / p).is_file()]
    if missing:
        raise RuntimeError(f"proto files {missing} not found under {proto_dir}; set STENO_PROTO_DIR to the"
                           " repository's proto/src/main/proto")
    if _stale(proto_dir, out):
        try:
            from grpc_tools import protoc
        except ImportError as e:
            raise RuntimeError(f"grpc_tools is not installed for {sys.executable} (Debian: apt-get install"
                               " python3-grpc-tools; pip: pip install grpcio-tools)") from e
        out.mkdir(parents=True, exist_ok=True)
        # protoc's own well-known types (google/protobuf/duration.proto) ship inside grpc_tools.
        well_known = Path(protoc.__file__).parent / "_proto"
        args = ["protoc", f"-I{proto_dir}", f"-I{well_known}", f"--python_out={out}", f"--grpc_python_out={out}"]
        code = protoc.main(args + [str(proto_dir / p) for p in PROTOS])
        if code != 0:
            raise RuntimeError(f"protoc failed ({code}) generating stubs from {proto_dir} into {out}")
    return out


def load():
    """Generates if needed and imports the stub modules: (diarizer_pb2, diarizer_pb2_grpc, audio_pb2, common_pb2)."""
    out = str(generate())
    if out not in sys.path:
        sys.path.insert(0, out)
    return (importlib.import_module("steno.speech.v1.diarizer_pb2"),
            importlib.import_module("steno.speech.v1.diarizer_pb2_grpc"),
            importlib.import_module("steno.common.v1.audio_pb2"),
            importlib.import_module("steno.speech.v1.speech_common_pb2"))
