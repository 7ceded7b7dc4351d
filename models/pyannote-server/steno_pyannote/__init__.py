"""Steno's pyannote sidecar: the steno.speech.v1.Diarizer gRPC contract over pyannote.audio."""
