"""Diarize (whole files) over a real localhost socket, with the stand-in pipeline injected."""

import unittest

import grpc
from google.protobuf import duration_pb2

from support import (OTHER, SHORT, TIMEOUT, Sidecar, audio_pb, config, conversation, decimate, linear16_16k, pb,
                     pcm_of, seconds, standin_engine, stereo, wav_bytes)


class DiarizeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.engine, cls.pipeline = standin_engine()
        cls.sidecar = Sidecar(cls.engine, max_message_bytes=4 * 1024 * 1024, max_audio_seconds=120)
        # Three stretches of speech, apart by 1.5 s: the stand-in gives them to speakers in turn.
        cls.three = conversation(pcm_of(SHORT), 1.5, pcm_of(OTHER), 1.5, pcm_of(SHORT))

    @classmethod
    def tearDownClass(cls):
        cls.sidecar.close()

    def setUp(self):
        self.pipeline.calls.clear()

    def diarize(self, content, cfg=None, **fields):
        request = pb.DiarizeRequest(config=cfg or config(), content=content, **fields)
        return self.sidecar.stub.Diarize(request, timeout=TIMEOUT)

    def assertInvalid(self, content, expected, cfg=None, code=grpc.StatusCode.INVALID_ARGUMENT, **fields):
        with self.assertRaises(grpc.RpcError) as caught:
            self.diarize(content, cfg, **fields)
        self.assertEqual(code, caught.exception.code(), caught.exception.details())
        self.assertIn(expected, caught.exception.details())
        return caught.exception.details()

    def test_wav_turns_speakers_and_times(self):
        cfg = config(stream_id="m/t/1", media_start=duration_pb2.Duration(seconds=60),
                     speaker_count=pb.SpeakerCountHint(exact_speakers=2))
        r = self.diarize(wav_bytes(self.three), cfg)
        self.assertEqual("m/t/1", r.stream_id)
        self.assertEqual(("pyannote-standin", "pyannote/speaker-diarization-community-1"), (r.engine.name, r.engine.model))
        self.assertAlmostEqual(len(self.three) / 32000, seconds(r.audio_duration), places=3)
        got = [(t.turn_id, t.speaker_label, round(seconds(t.start_offset), 2), round(seconds(t.end_offset), 2))
               for t in r.turns]
        # speech at 0.25–2.8, then 4.49 + 0.25–2.9 and 9.28 + 0.25–2.8, on the stand-in's 50 ms frames
        self.assertEqual([("t0", "spk_0", 0.25, 2.8), ("t1", "spk_1", 4.75, 7.35), ("t2", "spk_0", 9.55, 12.05)], got)
        for t in r.turns:
            self.assertTrue(t.is_final)
            self.assertEqual(0, t.revision)
            self.assertAlmostEqual(60 + seconds(t.start_offset), seconds(t.media_start), places=6)
            self.assertAlmostEqual(60 + seconds(t.end_offset), seconds(t.media_end), places=6)
        self.assertEqual([("spk_0", 2), ("spk_1", 1)], [(s.speaker_label, s.turn_count) for s in r.speakers])
        self.assertAlmostEqual(2.55 + 2.5, seconds(r.speakers[0].total_speech), places=3)

    def test_speaker_counts_are_passed_through(self):
        wav = wav_bytes(self.three)
        # (hint, what pyannote is called with, how many speakers the stand-in then finds)
        cases = [(None, {}, 2),
                 (pb.SpeakerCountHint(), {}, 2),
                 (pb.SpeakerCountHint(exact_speakers=3), {"num_speakers": 3}, 3),
                 (pb.SpeakerCountHint(exact_speakers=3, min_speakers=3, max_speakers=3), {"num_speakers": 3}, 3),
                 (pb.SpeakerCountHint(min_speakers=3, max_speakers=4), {"min_speakers": 3, "max_speakers": 4}, 3),
                 (pb.SpeakerCountHint(min_speakers=2), {"min_speakers": 2}, 2),
                 (pb.SpeakerCountHint(max_speakers=1), {"max_speakers": 1}, 1)]
        for hint, kwargs, found in cases:
            with self.subTest(hint=hint):
                self.pipeline.calls.clear()
                r = self.diarize(wav, config(speaker_count=hint) if hint is not None else config())
                self.assertEqual([(16000, (1, len(self.three) // 2), kwargs)], self.pipeline.calls)
                self.assertEqual(found, len(r.speakers))

    def test_speaker_count_contradictions_are_refused(self):
        wav = wav_bytes(self.three)
        for hint, expected in [(pb.SpeakerCountHint(min_speakers=4, max_speakers=2), "min_speakers 4 is greater than max_speakers 2"),
                               (pb.SpeakerCountHint(exact_speakers=3, min_speakers=2), "exact_speakers 3 conflicts with min 2"),
                               (pb.SpeakerCountHint(exact_speakers=3, max_speakers=5), "exact_speakers 3 conflicts"),
                               (pb.SpeakerCountHint(max_speakers=65), "counts must be 0–64")]:
            with self.subTest(hint=hint):
                self.assertInvalid(wav, expected, config(speaker_count=hint))
        self.assertEqual([], self.pipeline.calls, "a refused request never reaches the pipeline")

    def test_other_formats(self):
        pcm = pcm_of(SHORT)
        raw = self.diarize(pcm, config(audio_format=linear16_16k()))
        self.assertEqual([(0.25, 2.8)], [(seconds(t.start_offset), seconds(t.end_offset)) for t in raw.turns])
        # 8 kHz and stereo reach pyannote as they are: it resamples and downmixes itself.
        self.diarize(wav_bytes(decimate(pcm, 2), rate=8000))
        self.diarize(stereo(pcm), config(audio_format=audio_pb.AudioFormat(
            encoding=audio_pb.AUDIO_ENCODING_LINEAR16, sample_rate_hz=16000, channels=2)))
        self.assertEqual([(8000, (1, len(pcm) // 4)), (16000, (1, len(pcm) // 2))],
                         [(rate, shape) for rate, shape, _ in self.pipeline.calls[1:]])
        self.assertEqual([(0.25, 2.8)], [(seconds(t.start_offset), seconds(t.end_offset)) for t in raw.turns])

    def test_bad_audio(self):
        pcm = pcm_of(SHORT)
        lin = audio_pb.AUDIO_ENCODING_LINEAR16
        cases = [
            (b"", None, "content is empty"),
            (b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", None, "not a readable WAV file"),
            (b"just some notes about the budget" * 10, config(audio_format=audio_pb.AudioFormat(
                encoding=audio_pb.AUDIO_ENCODING_WAV)), "not a readable WAV file"),
            (wav_bytes(pcm[:1000], width=1), None, "WAV with 8-bit samples is not supported"),
            (wav_bytes(b""), None, "holds no samples"),
            (wav_bytes(pcm[:32000], rate=96000), None, "WAV sample rate 96000 Hz is not accepted"),
            (wav_bytes(pcm[:32000]), config(audio_format=audio_pb.AudioFormat(sample_rate_hz=8000)),
             "sample_rate_hz 8000 disagrees with the WAV header's 16000"),
            (pcm[:1001], config(audio_format=audio_pb.AudioFormat(encoding=lin, sample_rate_hz=16000)),
             "1001 bytes is not a whole number"),
            (pcm, config(audio_format=audio_pb.AudioFormat(encoding=lin)), "LINEAR16 sample rate 0 Hz is not accepted"),
            (pcm, config(audio_format=audio_pb.AudioFormat(encoding=lin, sample_rate_hz=4000)), "4000 Hz"),
            (pcm[:18000], config(audio_format=audio_pb.AudioFormat(encoding=lin, sample_rate_hz=16000, channels=9)),
             "9 channels is not accepted"),
            (pcm, None, "no WAV header and audio_format is unset"),
            (pcm, config(audio_format=audio_pb.AudioFormat(encoding=audio_pb.AUDIO_ENCODING_OGG_OPUS)),
             "OGG_OPUS 0 Hz 0 channel(s) is not supported by the pyannote sidecar"),
        ]
        for content, cfg, expected in cases:
            with self.subTest(expected=expected):
                self.assertInvalid(content, expected, cfg)
        self.assertEqual([], self.pipeline.calls)

    def test_requests_the_contract_refuses(self):
        wav = wav_bytes(pcm_of(SHORT))
        with self.assertRaises(grpc.RpcError) as no_config:
            self.sidecar.stub.Diarize(pb.DiarizeRequest(content=wav), timeout=TIMEOUT)
        self.assertEqual((grpc.StatusCode.INVALID_ARGUMENT, "config is required"),
                         (no_config.exception.code(), no_config.exception.details()))
        self.assertInvalid(wav, "stream_id must be 1–256 characters, got 0", config(stream_id=""))
        self.assertInvalid(wav, "stream_id must be 1–256 characters, got 257", config(stream_id="x" * 257))
        self.assertInvalid(wav, "unknown model 'pyannote/speaker-diarization-3.0'; this pyannote sidecar serves"
                                " 'pyannote/speaker-diarization-community-1'",
                           config(model="pyannote/speaker-diarization-3.0"))
        self.assertInvalid(wav, "unknown custom_options ['beam']", config(custom_options={"beam": "5"}))
        self.assertInvalid(wav, "exclusive must be true or false", config(custom_options={"exclusive": "maybe"}))
        self.assertInvalid(wav, "media_start must be a non-negative duration",
                           config(media_start=duration_pb2.Duration(seconds=-1)))
        with self.assertRaises(grpc.RpcError) as uri:
            self.sidecar.stub.Diarize(pb.DiarizeRequest(config=config(), uri="s3://bucket/meetings/m/mixed.ogg"),
                                      timeout=TIMEOUT)
        self.assertIn("uri 's3://bucket/meetings/m/mixed.ogg' is not served", uri.exception.details())
        self.assertEqual([], self.pipeline.calls)
        # The model named explicitly is accepted.
        self.diarize(wav, config(model="pyannote/speaker-diarization-community-1"))

    def test_too_large(self):
        # Over the message limit: gRPC refuses it before the service sees it.
        too_big = wav_bytes(conversation(140.0))  # 4.5 MB
        self.assertInvalid(too_big, "", code=grpc.StatusCode.RESOURCE_EXHAUSTED)
        # Under the message limit but over the audio limit (8 kHz makes 4 MiB last 4 min).
        long_8k = wav_bytes(bytes(2 * 8000 * 121), rate=8000)
        self.assertInvalid(long_8k, "audio of 121 s exceeds this sidecar's limit of 120 s")
        self.assertEqual([], self.pipeline.calls)

    def test_exclusive_or_overlapping_turns(self):
        wav = wav_bytes(self.three)
        exclusive = self.diarize(wav)
        overlapping = self.diarize(wav, config(custom_options={"exclusive": "false"}))
        ends = lambda r: [round(seconds(t.end_offset), 2) for t in r.turns]
        self.assertEqual([2.8, 7.35, 12.05], ends(exclusive))
        self.assertEqual([3.0, 7.55, 12.05], ends(overlapping), "each speaker runs 0.2 s into the next")

    def test_pyannote_3_1_output_shape(self):
        engine, _ = standin_engine(legacy=True)
        legacy = Sidecar(engine)
        try:
            r = legacy.stub.Diarize(pb.DiarizeRequest(config=config(), content=wav_bytes(self.three)), timeout=TIMEOUT)
            self.assertEqual(["spk_0", "spk_1", "spk_0"], [t.speaker_label for t in r.turns])
        finally:
            legacy.close()

    def test_engine_failures_end_the_call_not_the_server(self):
        wav = wav_bytes(pcm_of(SHORT))
        self.pipeline.fail = RuntimeError("CUDA error: an illegal memory access was encountered")
        details = self.assertInvalid(wav, "diarization failed: RuntimeError: CUDA error", code=grpc.StatusCode.INTERNAL)
        self.assertNotIn("Traceback", details)

        class OutOfMemoryError(RuntimeError):
            pass

        self.pipeline.fail = OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        self.assertInvalid(wav, "ran out of (GPU) memory; retry later", code=grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertEqual(1, len(self.diarize(wav).turns), "the server keeps serving")

    def test_deadline_and_concurrency_limit(self):
        engine, pipeline = standin_engine(delay=1.5)
        slow = Sidecar(engine, max_streams=2)
        try:
            request = pb.DiarizeRequest(config=config(), content=wav_bytes(pcm_of(SHORT)))
            with self.assertRaises(grpc.RpcError) as late:
                slow.stub.Diarize(request, timeout=0.3)
            self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, late.exception.code())
            # Two calls run (one at a time on the engine); a third gets RESOURCE_EXHAUSTED at once.
            calls = [slow.stub.Diarize.future(request, timeout=TIMEOUT) for _ in range(3)]
            codes = sorted(str(c.exception().code()) if c.exception() else "OK" for c in calls)
            self.assertIn("StatusCode.RESOURCE_EXHAUSTED", codes)
            self.assertEqual(1, len(slow.stub.Diarize(request, timeout=TIMEOUT).turns))
        finally:
            slow.close()


if __name__ == "__main__":
    unittest.main()
