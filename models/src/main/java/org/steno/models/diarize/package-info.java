/**
 * Steno's builtin speaker diarization, pure Java, for 16 kHz mono audio.
 *
 * <ul>
 *   <li>{@link org.steno.models.diarize.BuiltinDiarizer} — whole-file engine: energy speech
 *       detection, MFCC + pitch frames, ΔBIC speaker-change detection, agglomerative ΔBIC
 *       clustering (automatic count, exact count or bounds), Viterbi resegmentation.</li>
 *   <li>{@link org.steno.models.diarize.StreamingDiarizer} — bounded-latency streaming on top of
 *       it: provisional turns with revisions, finalised after a lag or on flush.</li>
 *   <li>{@link org.steno.models.diarize.DerScorer} and {@link org.steno.models.diarize.Rttm} —
 *       NIST-style DER (collar, overlap scored, optimal mapping) and the RTTM format.</li>
 *   <li>{@code service} — the {@code Diarizer} gRPC service; {@code bench} — mixtures with known
 *       turns and {@code steno bench diarization}.</li>
 * </ul>
 */
package org.steno.models.diarize;
