"""python -m steno_pyannote: serve the Diarizer contract over pyannote until SIGTERM/SIGINT.

Configuration comes from the environment (see README.md); the first line on stdout,
"steno-pyannote listening on HOST:PORT", tells a supervisor (or a test) the port actually bound.
"""

import ipaddress
import logging
import os
import signal
import sys
import threading

from . import engine as engines

LOG = logging.getLogger("steno_pyannote")


def _env(name, default, kind=str):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        sys.exit(f"steno-pyannote: {name}={raw!r} is not a valid {kind.__name__}")


def _token():
    token = os.environ.get("STENO_PYANNOTE_TOKEN", "")
    path = os.environ.get("STENO_PYANNOTE_TOKEN_FILE", "")
    if path:
        try:
            with open(path, encoding="ascii") as f:
                token = f.read().strip()
        except (OSError, UnicodeDecodeError) as e:
            sys.exit(f"steno-pyannote: cannot read STENO_PYANNOTE_TOKEN_FILE {path}: {e}")
    if token and not all(0x20 < ord(c) < 0x7F for c in token):
        sys.exit("steno-pyannote: the service token must be printable ASCII without spaces")
    return token


def _loopback(listen):
    host = listen.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        sys.exit(f"steno-pyannote: cannot read {path}: {e}")


def main():
    logging.basicConfig(level=os.environ.get("STENO_PYANNOTE_LOG", "INFO"), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from . import service  # generates the stubs from the repository's protos on first start

    listen = _env("STENO_PYANNOTE_LISTEN", "127.0.0.1:50051")
    token = _token()
    if not token and not _loopback(listen) and os.environ.get("STENO_PYANNOTE_ALLOW_ANONYMOUS") != "1":
        sys.exit(f"steno-pyannote: refusing to listen on {listen} without a service token: set STENO_PYANNOTE_TOKEN"
                 " (the Steno side sends it with models.remote-token), or STENO_PYANNOTE_ALLOW_ANONYMOUS=1 on a"
                 " network you trust")
    cert, key = os.environ.get("STENO_PYANNOTE_TLS_CERT", ""), os.environ.get("STENO_PYANNOTE_TLS_KEY", "")
    if bool(cert) != bool(key):
        sys.exit("steno-pyannote: set both STENO_PYANNOTE_TLS_CERT and STENO_PYANNOTE_TLS_KEY, or neither")
    settings = service.Settings(
        listen=listen,
        max_streams=_env("STENO_PYANNOTE_MAX_STREAMS", 8, int),
        max_message_bytes=_env("STENO_PYANNOTE_MAX_MESSAGE_MB", 64, int) * 1024 * 1024,
        max_audio_seconds=_env("STENO_PYANNOTE_MAX_AUDIO_SECONDS", 4 * 3600.0, float),
        window_seconds=_env("STENO_PYANNOTE_WINDOW_SECONDS", 30.0, float),
        final_after_seconds=_env("STENO_PYANNOTE_FINAL_AFTER_SECONDS", 10.0, float),
        service_token=token,
        tls_cert=_read(cert) if cert else b"", tls_key=_read(key) if key else b"")
    if not 0 < settings.final_after_seconds < settings.window_seconds:
        sys.exit("steno-pyannote: STENO_PYANNOTE_FINAL_AFTER_SECONDS must be between 0 and"
                 " STENO_PYANNOTE_WINDOW_SECONDS")

    if os.environ.get("STENO_PYANNOTE_STANDIN") == "1":
        from . import standin
        LOG.warning("STENO_PYANNOTE_STANDIN=1: serving the energy-based TEST STAND-IN, not pyannote;"
                    " for tests only")
        engine = engines.Engine(standin.StandInPipeline(), standin.to_waveform,
                                engines.Info("pyannote-standin", "0", _env("STENO_PYANNOTE_MODEL", engines.DEFAULT_MODEL)))
    else:
        try:
            engine = engines.load_pyannote(_env("STENO_PYANNOTE_MODEL", engines.DEFAULT_MODEL),
                                           device=_env("STENO_PYANNOTE_DEVICE", None))
        except ImportError as e:
            sys.exit(f"steno-pyannote: {e}; install the requirements (pip install -r requirements.txt)")
        except Exception as e:
            sys.exit(f"steno-pyannote: cannot load the pipeline: {type(e).__name__}: {e}")

    server, port = service.serve(engine, settings)
    host = listen.rsplit(":", 1)[0]
    LOG.info("serving %s %s (%s) on %s:%d; %s; %s", engine.info.name, engine.info.version, engine.info.model,
             host, port, "service token required" if token else "no service token", "TLS" if cert else "plaintext")
    print(f"steno-pyannote listening on {host}:{port}", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    LOG.info("stopping: letting running calls finish for up to 5 s")
    server.stop(grace=5).wait()


if __name__ == "__main__":
    main()
