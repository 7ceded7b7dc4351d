"""python -m steno_pyannote as a process: configuration, the service token, shutdown."""

import os
import subprocess
import sys
import unittest

import grpc

from support import ROOT, SHORT, TIMEOUT, config, linear16_16k, pb, pb_grpc, pcm_of, wav_bytes

TOKEN = "s3cr3t-token-for-tests-only"


def launch(**env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("STENO_PYANNOTE_") or k == "STENO_PYANNOTE_STUBS"}
    full.update({"PYTHONPATH": str(ROOT), "STENO_PYANNOTE_LISTEN": "127.0.0.1:0"}, **env)
    return subprocess.Popen([sys.executable, "-m", "steno_pyannote"], env=full, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def address(process):
    line = process.stdout.readline()
    if not line.startswith("steno-pyannote listening on "):
        process.kill()
        raise AssertionError(f"no listening line; got {line!r}; stderr: {process.stderr.read()}")
    return line.split()[-1]


class ServerProcessTest(unittest.TestCase):

    def test_service_token_is_required_and_never_logged(self):
        process = launch(STENO_PYANNOTE_STANDIN="1", STENO_PYANNOTE_TOKEN=TOKEN)
        try:
            channel = grpc.insecure_channel(address(process))
            stub = pb_grpc.DiarizerStub(channel)
            request = pb.DiarizeRequest(config=config(), content=wav_bytes(pcm_of(SHORT)))
            stream = [pb.StreamingDiarizeRequest(config=config(audio_format=linear16_16k()))]
            for metadata, expected in [(None, "no service token presented; set models.remote-token"),
                                       ((("authorization", "Bearer wrong"),), "is not this sidecar's"),
                                       ((("authorization", TOKEN),), "is not this sidecar's")]:
                with self.subTest(expected=expected, metadata=metadata):
                    with self.assertRaises(grpc.RpcError) as unary:
                        stub.Diarize(request, timeout=TIMEOUT, metadata=metadata)
                    self.assertEqual((grpc.StatusCode.UNAUTHENTICATED, True),
                                     (unary.exception.code(), expected in unary.exception.details()))
                    with self.assertRaises(grpc.RpcError) as streaming:
                        list(stub.StreamingDiarize(iter(stream), timeout=TIMEOUT, metadata=metadata))
                    self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, streaming.exception.code())
            good = (("authorization", "Bearer " + TOKEN),)
            self.assertEqual(1, len(stub.Diarize(request, timeout=TIMEOUT, metadata=good).turns))
            started = list(stub.StreamingDiarize(iter(stream), timeout=TIMEOUT, metadata=good))
            self.assertEqual("started", started[0].WhichOneof("response"))
            channel.close()
        finally:
            process.terminate()
            out, err = process.communicate(timeout=TIMEOUT)
        self.assertEqual(0, process.returncode, err)
        self.assertIn("service token required", err)
        self.assertIn("refused /steno.speech.v1.Diarizer/Diarize: wrong token", err)
        self.assertNotIn(TOKEN, err + out)
        self.assertIn("TEST STAND-IN", err)

    def test_token_from_a_file(self):
        path = os.path.join(os.environ["STENO_PYANNOTE_STUBS"], "token")
        with open(path, "w") as f:
            f.write(TOKEN + "\n")
        process = launch(STENO_PYANNOTE_STANDIN="1", STENO_PYANNOTE_TOKEN_FILE=path)
        try:
            channel = grpc.insecure_channel(address(process))
            r = pb_grpc.DiarizerStub(channel).Diarize(pb.DiarizeRequest(config=config(), content=wav_bytes(pcm_of(SHORT))),
                                                      timeout=TIMEOUT, metadata=(("authorization", "Bearer " + TOKEN),))
            self.assertEqual("pyannote-standin", r.engine.name)
            channel.close()
        finally:
            process.terminate()
            process.communicate(timeout=TIMEOUT)

    def test_refuses_to_start_badly_configured(self):
        cases = [({"STENO_PYANNOTE_STANDIN": "1", "STENO_PYANNOTE_LISTEN": "0.0.0.0:0"},
                  "refusing to listen on 0.0.0.0:0 without a service token"),
                 ({"STENO_PYANNOTE_STANDIN": "1", "STENO_PYANNOTE_MAX_STREAMS": "many"},
                  "STENO_PYANNOTE_MAX_STREAMS='many' is not a valid int"),
                 ({"STENO_PYANNOTE_STANDIN": "1", "STENO_PYANNOTE_FINAL_AFTER_SECONDS": "40"},
                  "must be between 0 and STENO_PYANNOTE_WINDOW_SECONDS"),
                 ({"STENO_PYANNOTE_STANDIN": "1", "STENO_PYANNOTE_TLS_CERT": "/nonexistent.pem"},
                  "set both STENO_PYANNOTE_TLS_CERT and STENO_PYANNOTE_TLS_KEY"),
                 # No stand-in and no pyannote on this host: the real pipeline cannot load.
                 ({}, "install the requirements (pip install -r requirements.txt)")]
        for env, expected in cases:
            with self.subTest(expected=expected):
                process = launch(**env)
                out, err = process.communicate(timeout=TIMEOUT)
                self.assertNotEqual(0, process.returncode)
                self.assertIn(expected, err)
                self.assertEqual("", out)


if __name__ == "__main__":
    unittest.main()
