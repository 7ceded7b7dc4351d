"""load_pyannote() against stand-in torch / pyannote.audio modules: which from_pretrained call it
makes (4.x token=, 3.x use_auth_token=), where it puts the pipeline, what it says when it cannot.
The real modules are not installed here; their tensor code runs first on a GPU host."""

import sys
import types
import unittest
from unittest import mock

import support  # noqa: F401  (path set-up)
from steno_pyannote import engine as engines


def fake_modules(from_pretrained, cuda=True):
    torch = types.ModuleType("torch")
    torch.device = lambda name: ("device", name)
    torch.cuda = types.SimpleNamespace(is_available=lambda: cuda)
    pyannote = types.ModuleType("pyannote")
    audio = types.ModuleType("pyannote.audio")
    audio.__version__ = "4.0.1"
    audio.Pipeline = types.SimpleNamespace(from_pretrained=from_pretrained)
    pyannote.audio = audio
    return {"torch": torch, "pyannote": pyannote, "pyannote.audio": audio}


class Pipeline:
    def __init__(self):
        self.devices = []

    def to(self, device):
        self.devices.append(device)
        return self


class LoadTest(unittest.TestCase):

    def test_pyannote_4_token_and_gpu(self):
        calls, pipeline = [], Pipeline()

        def from_pretrained(model, token=None):
            calls.append((model, token))
            return pipeline

        with mock.patch.dict(sys.modules, fake_modules(from_pretrained)), mock.patch.dict("os.environ", {"HF_TOKEN": "hf_x"}):
            engine = engines.load_pyannote()
        self.assertEqual([("pyannote/speaker-diarization-community-1", "hf_x")], calls)
        self.assertEqual([("device", "cuda")], pipeline.devices)
        self.assertEqual(engines.Info("pyannote", "4.0.1", "pyannote/speaker-diarization-community-1"), engine.info)

    def test_pyannote_3_use_auth_token_and_cpu_when_told(self):
        calls, pipeline = [], Pipeline()

        def from_pretrained(model, use_auth_token=None):
            calls.append((model, use_auth_token))
            return pipeline

        with mock.patch.dict(sys.modules, fake_modules(from_pretrained, cuda=False)):
            with self.assertLogs("steno_pyannote", "WARNING") as logs:
                engines.load_pyannote("pyannote/speaker-diarization-3.1", token="hf_y")
        self.assertEqual([("pyannote/speaker-diarization-3.1", "hf_y")], calls)
        self.assertEqual([("device", "cpu")], pipeline.devices)
        self.assertIn("runs on the CPU", logs.output[0])

    def test_a_gated_model_that_does_not_load_is_named(self):
        with mock.patch.dict(sys.modules, fake_modules(lambda model, use_auth_token=None: None)):
            with self.assertRaises(RuntimeError) as caught:
                engines.load_pyannote("pyannote/speaker-diarization-3.1", token="")
        self.assertIn("could not load pyannote/speaker-diarization-3.1: accept its conditions", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
