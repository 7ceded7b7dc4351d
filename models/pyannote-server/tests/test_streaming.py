"""StreamingDiarize over a real localhost socket, with the stand-in pipeline injected."""

import unittest

import grpc
from google.protobuf import duration_pb2

from support import (OTHER, SHORT, TIMEOUT, Sidecar, audio_pb, common_pb, config, conversation, linear16_16k, pb, pcm_of,
                     seconds, standin_engine)


def chunks(pcm, size=3200):
    return [pb.StreamingDiarizeRequest(audio=pcm[i:i + size]) for i in range(0, len(pcm), size)]


def start(cfg=None):
    return pb.StreamingDiarizeRequest(config=cfg or config(audio_format=linear16_16k()))


def flush(flush_id):
    return pb.StreamingDiarizeRequest(flush=common_pb.Flush(id=flush_id))


class StreamingTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.engine, cls.pipeline = standin_engine()
        cls.sidecar = Sidecar(cls.engine, window_seconds=30.0, final_after_seconds=10.0)
        cls.talk = conversation(pcm_of(SHORT), 1.5, pcm_of(OTHER), 1.5, pcm_of(SHORT))  # 12.27 s

    @classmethod
    def tearDownClass(cls):
        cls.sidecar.close()

    def setUp(self):
        self.pipeline.calls.clear()

    def run_stream(self, requests):
        return list(self.sidecar.stub.StreamingDiarize(iter(requests), timeout=TIMEOUT))

    def assertRefused(self, requests, expected, code=grpc.StatusCode.INVALID_ARGUMENT):
        got = []
        with self.assertRaises(grpc.RpcError) as caught:
            for r in self.sidecar.stub.StreamingDiarize(iter(requests), timeout=TIMEOUT):
                got.append(r)
        self.assertEqual(code, caught.exception.code(), caught.exception.details())
        self.assertIn(expected, caught.exception.details())
        return got

    def test_started_turns_flush_and_end_of_audio(self):
        cfg = config(stream_id="m/room-mic/0", audio_format=linear16_16k(),
                     media_start=duration_pb2.Duration(seconds=100), speaker_count=pb.SpeakerCountHint(max_speakers=3))
        half = 6 * 32000
        responses = self.run_stream([start(cfg)] + chunks(self.talk[:half]) + [flush("f1")] + chunks(self.talk[half:]))
        self.assertEqual("started", responses[0].WhichOneof("response"))
        self.assertEqual("pyannote-standin", responses[0].started.engine.name)
        self.assertTrue(all(r.stream_id == "m/room-mic/0" for r in responses))
        kinds = [r.WhichOneof("response") for r in responses]
        self.assertEqual(1, kinds.count("flush_done"))
        done_at = kinds.index("flush_done")
        done = responses[done_at].flush_done
        self.assertEqual(("f1", 6.0, 106.0), (done.id, seconds(done.offset), seconds(done.media_time)))
        # Before the flush's acknowledgement every turn up to 6 s is final.
        latest = {}
        for r in responses[:done_at]:
            for t in r.turns.turns:
                latest[t.turn_id] = t
        self.assertTrue(all(t.is_final for t in latest.values()), latest)
        for r in responses[done_at + 1:]:
            for t in r.turns.turns:
                latest[t.turn_id] = t
        turns = sorted((t for t in latest.values() if not t.withdrawn), key=lambda t: seconds(t.start_offset))
        self.assertTrue(all(t.is_final for t in turns), "the end of the audio finalises everything")
        # The flush at 6 s cut the second stretch of speech (from 4.75 s) into two turns, both the same
        # speaker's: the run after the flush saw one voice there, overlapping the finalised spk_1 turn.
        self.assertEqual([(0.25, 2.8, "spk_0"), (4.75, 6.0, "spk_1"), (6.0, 7.35, "spk_1"), (9.55, 12.05, "spk_0")],
                         [(round(seconds(t.start_offset), 2), round(seconds(t.end_offset), 2), t.speaker_label)
                          for t in turns])
        for t in turns:
            self.assertAlmostEqual(100 + seconds(t.start_offset), seconds(t.media_start), places=6)
        processed = [seconds(r.audio_processed) for r in responses]
        self.assertEqual(processed, sorted(processed))
        self.assertAlmostEqual(len(self.talk) / 32000, processed[-1], places=3)
        self.assertGreater(len(self.pipeline.calls), 10)
        for rate, shape, kwargs in self.pipeline.calls:
            self.assertEqual((16000, {"max_speakers": 3}), (rate, kwargs))
            self.assertLessEqual(shape[1], 30 * 16000)

    def test_provisional_turns_come_within_the_latency_budget(self):
        cfg = config(audio_format=linear16_16k(), latency_budget=duration_pb2.Duration(seconds=1))
        responses = self.run_stream([start(cfg)] + chunks(self.talk))
        first_seen = {}
        for r in responses:
            for t in r.turns.turns:
                first_seen.setdefault(t.turn_id, (seconds(r.audio_processed), seconds(t.start_offset), t.is_final))
        # Each turn is reported (provisional) within 0.5 s of audio after it starts, i.e. the next run.
        for processed, turn_start, final in first_seen.values():
            self.assertLessEqual(processed - turn_start, 0.5 + 0.2 + 1e-6)
            self.assertFalse(final)

    def test_protocol_errors(self):
        lin = linear16_16k()
        cases = [
            ([pb.StreamingDiarizeRequest(audio=bytes(3200))], "audio arrived before the config"),
            ([flush("x")], "a flush marker arrived before the config"),
            ([start(), start()], "config was already sent"),
            ([], "the stream ended without a config"),
            ([pb.StreamingDiarizeRequest()], "request carries none of config, audio or flush"),
            ([start(config(audio_format=audio_pb.AudioFormat(encoding=audio_pb.AUDIO_ENCODING_LINEAR16,
                                                             sample_rate_hz=8000)))],
             "audio_format LINEAR16 8000 Hz 0 channel(s) is not supported for streaming; only LINEAR16 16000 Hz mono is"),
            ([start(config())], "audio_format (unset) is not supported for streaming"),
            ([start(), pb.StreamingDiarizeRequest(audio=bytes(32002))], "chunk of 32002 bytes exceeds 32000"),
            ([start(), pb.StreamingDiarizeRequest(audio=bytes(3201))], "3201 bytes is not a whole number"),
            ([start(), flush("")], "flush id must be 1–64 printable ASCII characters"),
            ([start(), flush("é")], "flush id must be 1–64 printable ASCII characters"),
            ([start(config(audio_format=lin, latency_budget=duration_pb2.Duration(seconds=31)))],
             "latency_budget must be 500 ms–30 s"),
            ([start(config(audio_format=lin, speaker_count=pb.SpeakerCountHint(min_speakers=3, max_speakers=2)))],
             "min_speakers 3 is greater than max_speakers 2"),
            ([start(config(audio_format=lin, custom_options={"onset": "0.5"}))], "unknown custom_options ['onset']"),
        ]
        for requests, expected in cases:
            with self.subTest(expected=expected):
                got = self.assertRefused(requests, expected)
                self.assertTrue(all(r.WhichOneof("response") == "started" for r in got))

    def test_engine_failure_mid_stream_then_the_server_serves_on(self):
        self.pipeline.fail = RuntimeError("cuDNN error: CUDNN_STATUS_INTERNAL_ERROR")
        got = self.assertRefused([start()] + chunks(self.talk), "diarization failed: RuntimeError: cuDNN error",
                                 code=grpc.StatusCode.INTERNAL)
        self.assertEqual("started", got[0].WhichOneof("response"))
        self.assertGreater(len(self.run_stream([start()] + chunks(self.talk))), 1)

    def test_client_cancel_and_deadline(self):
        engine, pipeline = standin_engine(delay=0.5)
        slow = Sidecar(engine, max_streams=2)
        try:
            call = slow.stub.StreamingDiarize(iter([start()] + chunks(self.talk)), timeout=TIMEOUT)
            self.assertEqual("started", next(call).WhichOneof("response"))
            call.cancel()
            with self.assertRaises(grpc.RpcError) as late:
                list(slow.stub.StreamingDiarize(iter([start()] + chunks(self.talk)), timeout=1.0))
            self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, late.exception.code())
            # Both calls are over: the two workers are free again.
            pipeline.delay = 0
            for _ in range(2):
                self.assertGreater(len(list(slow.stub.StreamingDiarize(iter([start()] + chunks(self.talk[:64000])),
                                                                       timeout=TIMEOUT))), 1)
        finally:
            slow.close()


if __name__ == "__main__":
    unittest.main()
