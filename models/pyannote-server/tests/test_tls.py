"""The sidecar serving TLS (STENO_PYANNOTE_TLS_CERT/_KEY), as Steno's models.remote-tls expects."""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import grpc

from support import SHORT, TIMEOUT, Sidecar, config, pb, pb_grpc, pcm_of, standin_engine, wav_bytes


def self_signed(directory):
    """A certificate for localhost/127.0.0.1 made by openssl (Debian's, a dependency of postgresql's ssl-cert)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise AssertionError("openssl is needed to make the test certificate: apt-get install -y openssl")
    cert, key = Path(directory, "cert.pem"), Path(directory, "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert.read_bytes(), key.read_bytes()


class TlsTest(unittest.TestCase):

    def test_tls_round_trip_and_a_plaintext_client_refused(self):
        with tempfile.TemporaryDirectory() as d:
            cert, key = self_signed(d)
        engine, _ = standin_engine()
        sidecar = Sidecar(engine, tls_cert=cert, tls_key=key)
        try:
            request = pb.DiarizeRequest(config=config(), content=wav_bytes(pcm_of(SHORT)))
            with grpc.secure_channel(f"localhost:{sidecar.port}", grpc.ssl_channel_credentials(cert)) as channel:
                r = pb_grpc.DiarizerStub(channel).Diarize(request, timeout=TIMEOUT)
                self.assertEqual(1, len(r.turns))
            with self.assertRaises(grpc.RpcError) as plaintext:
                sidecar.stub.Diarize(request, timeout=5)  # the support channel is plaintext
            self.assertEqual(grpc.StatusCode.UNAVAILABLE, plaintext.exception.code())
        finally:
            sidecar.close()


if __name__ == "__main__":
    unittest.main()
