"""The steno.speech.v1.Diarizer gRPC service over an Engine, and the server that hosts it."""

import hmac
import logging
import time
from concurrent import futures
from dataclasses import dataclass

import grpc
from google.protobuf import duration_pb2

from . import audio, contract, stubs
from .contract import InvalidRequest
from .streaming import BYTES_PER_SECOND, RollingDiarizer

LOG = logging.getLogger("steno_pyannote")
pb, pb_grpc, audio_pb, common_pb = stubs.load()


@dataclass(frozen=True)
class Settings:
    listen: str = "127.0.0.1:50051"
    max_streams: int = 8  # concurrent calls; more get RESOURCE_EXHAUSTED at once
    max_message_bytes: int = 64 * 1024 * 1024  # inline Diarize content (≈ 35 min of 16 kHz mono)
    max_audio_seconds: float = 4 * 3600.0
    window_seconds: float = 30.0
    final_after_seconds: float = 10.0
    service_token: str = ""  # when set, every call must carry "authorization: Bearer <token>"
    tls_cert: bytes = b""
    tls_key: bytes = b""


class Abort(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def duration(seconds):
    nanos = round(seconds * 1e9)
    return duration_pb2.Duration(seconds=nanos // 1_000_000_000, nanos=nanos % 1_000_000_000)


def seconds_of(d):
    return d.seconds + d.nanos / 1e9


class DiarizerService(pb_grpc.DiarizerServicer):

    def __init__(self, engine, settings=Settings()):
        self.engine, self.settings = engine, settings
        self.engine_info = common_pb.EngineInfo(name=engine.info.name, version=engine.info.version,
                                                model=engine.info.model)

    # ---- Diarize: one whole file -------------------------------------------------------------

    def Diarize(self, request, context):
        try:
            return self._diarize(request)
        except InvalidRequest as e:
            failure = Abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        except audio.BadAudio as e:
            failure = Abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        except Exception as e:  # the engine's failure ends this call, never the server
            failure = self._engine_failure(request.config.stream_id, e)
        context.abort(failure.code, failure.message)

    def _diarize(self, request):
        if not request.HasField("config"):
            raise InvalidRequest("config is required")
        config = request.config
        exclusive = contract.check_common(config, self.engine.info.model)
        count = contract.speaker_count(config)
        pcm = self._decode(request)
        began = time.monotonic()
        turns = self.engine.diarize(pcm, exclusive=exclusive, **count.whole_file_kwargs())
        LOG.info("diarized %s: %.1f s of audio in %.2f s, %d turns", config.stream_id, pcm.seconds,
                 time.monotonic() - began, len(turns))
        return self._response(config, turns, pcm.seconds)

    def _decode(self, request):
        if request.WhichOneof("audio_source") == "uri":
            raise InvalidRequest(f"uri '{request.uri}' is not served by the pyannote sidecar; send the audio"
                                 f" inline in content (≤ {self.settings.max_message_bytes // (1024 * 1024)} MiB)")
        content = request.content
        if not content:
            raise InvalidRequest("content is empty; send the audio (WAV, or raw LINEAR16 with its sample rate)")
        f = request.config.audio_format
        if f.encoding == audio_pb.AUDIO_ENCODING_WAV or (f.encoding == audio_pb.AUDIO_ENCODING_UNSPECIFIED
                                                         and audio.is_riff(content)):
            pcm = audio.from_wav(content)
            for field, given, actual in (("sample_rate_hz", f.sample_rate_hz, pcm.sample_rate),
                                         ("channels", f.channels, pcm.channels)):
                if given and given != actual:
                    raise InvalidRequest(f"audio_format {field} {given} disagrees with the WAV header's {actual};"
                                         " set it to 0 or to the header's value")
        elif f.encoding == audio_pb.AUDIO_ENCODING_LINEAR16:
            pcm = audio.from_linear16(content, f.sample_rate_hz, f.channels)
        elif f.encoding == audio_pb.AUDIO_ENCODING_UNSPECIFIED:
            raise InvalidRequest("content has no WAV header and audio_format is unset; send a WAV file, or set"
                                 " encoding LINEAR16 with its sample_rate_hz")
        else:
            raise InvalidRequest(f"audio_format {contract.describe(request.config, audio_pb)} is not supported by"
                                 " the pyannote sidecar; send WAV or LINEAR16 (e.g. ffmpeg -i in -ac 1 -ar 16000"
                                 " -c:a pcm_s16le out.wav)")
        if pcm.seconds > self.settings.max_audio_seconds:
            raise InvalidRequest(f"audio of {pcm.seconds:.0f} s exceeds this sidecar's limit of"
                                 f" {self.settings.max_audio_seconds:.0f} s; split it")
        return pcm

    def _response(self, config, turns, seconds):
        labels = {}
        out = pb.DiarizeResponse(stream_id=config.stream_id, audio_duration=duration(seconds),
                                 engine=self.engine_info)
        totals = {}
        for n, t in enumerate(turns):
            label = labels.setdefault(t.label, f"spk_{len(labels)}")
            out.turns.append(self._turn(config, f"t{n}", 0, True, False, label, t.start, t.end))
            total = totals.setdefault(label, [0.0, 0])
            total[0] += t.end - t.start
            total[1] += 1
        for label, (speech, count) in totals.items():
            out.speakers.append(pb.DiarizedSpeaker(speaker_label=label, total_speech=duration(speech),
                                                   turn_count=count))
        return out

    @staticmethod
    def _turn(config, turn_id, revision, final, withdrawn, label, start, end):
        # confidence stays 0 ("unknown"): pyannote gives no per-turn score.
        t = pb.SpeakerTurn(turn_id=turn_id, revision=revision, is_final=final, withdrawn=withdrawn,
                           speaker_label=label, start_offset=duration(start), end_offset=duration(end))
        if config.HasField("media_start"):
            base = seconds_of(config.media_start)
            t.media_start.CopyFrom(duration(base + start))
            t.media_end.CopyFrom(duration(base + end))
        return t

    # ---- StreamingDiarize: config, audio chunks and flush markers -----------------------------

    def StreamingDiarize(self, requests, context):
        # A generator: gRPC reads the next request only when we ask for it, so while a window runs
        # the client is held back by HTTP/2 flow control instead of queueing audio here.
        state = {"config": None, "session": None}
        try:
            for request in requests:
                yield from self._stream_message(state, request)
                if not context.is_active():
                    return
            if state["session"] is None:
                raise InvalidRequest("the stream ended without a config; the first message must be a"
                                     " DiarizationConfig")
            yield from self._turn_updates(state, state["session"].flush())
            return
        except (InvalidRequest, audio.BadAudio) as e:
            failure = Abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        except Exception as e:
            if not context.is_active():  # the caller cancelled or its deadline passed: nobody to tell
                return
            failure = self._engine_failure(state["config"].stream_id if state["config"] else "?", e)
        context.abort(failure.code, failure.message)

    def _stream_message(self, state, request):
        kind = request.WhichOneof("request")
        if kind == "config":
            if state["config"] is not None:
                raise InvalidRequest("config was already sent; send it once, as the first message, then audio"
                                     " and flush markers")
            c = request.config
            exclusive = contract.check_common(c, self.engine.info.model)
            contract.check_streaming_format(c, audio_pb)
            count = contract.speaker_count(c)
            budget = contract.latency_budget(c)
            state["session"] = RollingDiarizer(self.engine, count, budget, self.settings.window_seconds,
                                               self.settings.final_after_seconds, exclusive)
            state["config"] = c
            yield self._stream_response(state, started=pb.DiarizationStarted(engine=self.engine_info))
        elif kind == "audio":
            self._require_config(state, "audio")
            chunk = request.audio
            if len(chunk) > contract.MAX_CHUNK_BYTES:
                raise InvalidRequest(f"chunk of {len(chunk)} bytes exceeds {contract.MAX_CHUNK_BYTES} (1 s of"
                                     " LINEAR16 16000 Hz mono); send ≤ 100 ms (3200 bytes) per chunk")
            if len(chunk) % 2:
                raise InvalidRequest(f"chunk of {len(chunk)} bytes is not a whole number of 16-bit mono samples")
            yield from self._turn_updates(state, state["session"].accept(chunk))
        elif kind == "flush":
            self._require_config(state, "a flush marker")
            contract.check_flush_id(request.flush.id)
            session = state["session"]
            yield from self._turn_updates(state, session.flush())
            done = common_pb.FlushDone(id=request.flush.id, offset=duration(session.seconds))
            if state["config"].HasField("media_start"):
                done.media_time.CopyFrom(duration(seconds_of(state["config"].media_start) + session.seconds))
            yield self._stream_response(state, flush_done=done)
        else:
            raise InvalidRequest("request carries none of config, audio or flush")

    @staticmethod
    def _require_config(state, what):
        if state["config"] is None:
            raise InvalidRequest(f"{what} arrived before the config; the first message must be a DiarizationConfig")

    def _turn_updates(self, state, changes):
        if changes:
            update = pb.SpeakerTurnUpdate(turns=[
                self._turn(state["config"], t.turn_id, t.revision, t.final, t.withdrawn, t.label, t.start, t.end)
                for t in changes])
            yield self._stream_response(state, turns=update)

    @staticmethod
    def _stream_response(state, **payload):
        processed = state["session"].total_bytes / BYTES_PER_SECOND
        return pb.StreamingDiarizeResponse(stream_id=state["config"].stream_id, audio_processed=duration(processed),
                                           **payload)

    @staticmethod
    def _engine_failure(stream_id, e):
        # CUDA out of memory is load, not a bug: the caller may retry later or with less audio.
        if "OutOfMemory" in type(e).__name__ or "out of memory" in str(e).lower():
            LOG.warning("diarization of %s ran out of memory: %s", stream_id, e)
            return Abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "the diarization model ran out of (GPU) memory;"
                         " retry later or send shorter audio")
        LOG.exception("diarization of %s failed", stream_id)
        return Abort(grpc.StatusCode.INTERNAL, f"diarization failed: {type(e).__name__}: {e}")


class TokenCheck(grpc.ServerInterceptor):
    """The same credential Steno's roles present to each other (org.steno.access.ServiceToken): a
    bearer secret in the authorization header of every call, compared in constant time."""

    def __init__(self, token):
        self._expected = ("Bearer " + token).encode()

    def intercept_service(self, continuation, details):
        presented = dict(details.invocation_metadata).get("authorization")
        handler = continuation(details)
        if handler is None or (presented is not None and hmac.compare_digest(presented.encode(), self._expected)):
            return handler
        why = ("no service token presented; set models.remote-token to this sidecar's STENO_PYANNOTE_TOKEN"
               if presented is None else "the service token presented is not this sidecar's (STENO_PYANNOTE_TOKEN)")
        LOG.info("refused %s: %s", details.method, "no token" if presented is None else "wrong token")

        def deny(_request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, why)

        if handler.request_streaming and handler.response_streaming:
            return grpc.stream_stream_rpc_method_handler(deny)
        if handler.request_streaming:
            return grpc.stream_unary_rpc_method_handler(deny)
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(deny)
        return grpc.unary_unary_rpc_method_handler(deny)


def serve(engine, settings):
    """Starts the server; returns (server, port). The caller waits on it and stops it."""
    interceptors = [TokenCheck(settings.service_token)] if settings.service_token else []
    options = [("grpc.max_receive_message_length", settings.max_message_bytes),
               ("grpc.max_send_message_length", settings.max_message_bytes),
               # Steno's client pings every 5 minutes by default; accept that without a call open.
               ("grpc.keepalive_permit_without_calls", 1),
               ("grpc.http2.min_ping_interval_without_data_ms", 60_000)]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=settings.max_streams,
                                                    thread_name_prefix="diarize"),
                         interceptors=interceptors, options=options,
                         maximum_concurrent_rpcs=settings.max_streams)
    pb_grpc.add_DiarizerServicer_to_server(DiarizerService(engine, settings), server)
    if settings.tls_cert:
        port = server.add_secure_port(settings.listen, grpc.ssl_server_credentials([(settings.tls_key,
                                                                                    settings.tls_cert)]))
    else:
        port = server.add_insecure_port(settings.listen)
    if not port:
        raise RuntimeError(f"cannot listen on {settings.listen} (in use, or not an address of this host)")
    server.start()
    return server, port
