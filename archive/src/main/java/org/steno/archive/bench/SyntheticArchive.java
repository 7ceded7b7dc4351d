package org.steno.archive.bench;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;

/**
 * Transcripts of made-up one-hour meetings for the search benchmark: 3–12 speakers, French (60 %)
 * or English, about 9,000 words an hour in segments of 6–30 words, words drawn from a vocabulary
 * of everyday and administrative words with Zipf frequencies (rank r weighs 1/r^1.07), spread over
 * two years. Deterministic for a seed.
 */
final class SyntheticArchive {

    static final String[] FRENCH = words("""
            de la le et les des en un une du que est pour qui dans a par plus pas sur il au ne se ce nous vous on elle
            sont avec mais comme ou leur tout fait bien aussi cette ses été être avoir faire dire donc alors très peut
            même encore deux après ans entre sans autre temps avant moins tous part jour puis sous depuis ainsi contre
            réunion conseil municipal budget projet dossier commission rapport décision vote séance ordre maire adjoint
            service agents public marché subvention délibération collectivité territoire commune département région
            école travaux voirie logement santé social culture sport transport association citoyens habitants
            financement dépenses recettes investissement fonctionnement exercice comptable trésorerie audit contrôle
            procédure juridique contrat convention partenariat prestataire appel offres cahier charges calendrier
            planning délai étape phase suivi bilan évaluation indicateur objectif priorité proposition amendement
            question réponse remarque précision demande accord désaccord unanimité majorité abstention report
            document annexe note courrier compte rendu procès verbal présentation tableau chiffres estimation
            environnement énergie climat eau déchets numérique données sécurité urbanisme patrimoine parc quartier
            """);
    static final String[] ENGLISH = words("""
            the of and to a in is that for it on was with as be at by this have from or are an not but we they you
            which his her their has had been will would can there all more if about so what when up out one also
            into than them do only other new some could time these two may then first any like our over such
            meeting council budget project report committee decision vote session agenda mayor deputy staff
            service public contract grant resolution authority district region school works roads housing health
            social culture sport transport association residents community funding spending revenue investment
            operating year accounts audit control procedure legal agreement partnership supplier tender schedule
            deadline milestone phase review assessment indicator objective priority proposal amendment question
            answer remark request consensus majority abstention postponed document appendix memo minutes slides
            figures estimate environment energy climate water waste digital data security planning heritage park
            neighbourhood approval quarter forecast overspend savings policy strategy consultation feedback
            """);
    static final String[] FIRST = words("""
            Alice Bruno Camille David Élodie François Gaëlle Hugo Inès Julien Karim Léa Marc Nadia Olivier Pauline
            Quentin Rachid Sophie Thomas Ursula Victor William Xavier Yasmine Zoé Amélie Benoît Chloé Denis
            """);
    static final String[] LAST = words("""
            Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel
            Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet François
            """);

    private static String[] words(String s) {
        return s.strip().split("\\s+");
    }

    static final Instant EPOCH = Instant.parse("2025-01-06T08:00:00Z");
    static final long TWO_YEARS_S = 2L * 365 * 24 * 3600;

    /** Cumulative Zipf weights over a vocabulary of n words. */
    static double[] zipf(int n) {
        double[] c = new double[n];
        double sum = 0;
        for (int r = 1; r <= n; r++) {
            sum += 1.0 / Math.pow(r, 1.07);
            c[r - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private static final double[] ZIPF_FR = zipf(FRENCH.length);
    private static final double[] ZIPF_EN = zipf(ENGLISH.length);

    static String word(SplittableRandom rnd, boolean french) {
        double[] c = french ? ZIPF_FR : ZIPF_EN;
        double u = rnd.nextDouble();
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (french ? FRENCH : ENGLISH)[lo];
    }

    static String speakerName(int i) {
        return FIRST[i % FIRST.length] + " " + LAST[(i / FIRST.length + i * 7) % LAST.length];
    }

    /** Meeting number {@code n} of the archive (one hour of speech). */
    static Transcript meeting(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + n);
        boolean french = rnd.nextInt(10) < 6;
        int speakers = 3 + rnd.nextInt(10);
        int base = rnd.nextInt(FIRST.length * LAST.length);
        Instant start = EPOCH.plusSeconds(rnd.nextLong(TWO_YEARS_S));
        String id = "bench-" + n;
        Transcript.Builder t = Transcript.newBuilder().setSchemaVersion(1).setTranscriptId("live-0").setMeetingId(id)
                .setTitle((french ? "Réunion " : "Meeting ") + n).setLanguageCode(french ? "fr-FR" : "en-GB")
                .setMeetingStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()))
                .setCreateTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond() + 3600));
        for (int s = 0; s < speakers; s++) {
            t.addSpeakers(Speaker.newBuilder().setSpeakerId("s" + s).setDisplayName(speakerName(base + s)));
        }
        long atMs = 0;
        int words = 0;
        StringBuilder text = new StringBuilder();
        while (words < 9000) {
            int len = 6 + rnd.nextInt(25);
            text.setLength(0);
            for (int w = 0; w < len; w++) {
                text.append(w == 0 ? "" : " ").append(word(rnd, french));
            }
            long dur = len * 400L;
            t.addSegments(Segment.newBuilder().setSegmentId("t-" + atMs).setSpeakerId("s" + rnd.nextInt(speakers)).setTrackId("t")
                    .setMediaStart(ms(atMs)).setMediaEnd(ms(atMs + dur)).setText(text.append('.').toString()));
            atMs += dur + 200;
            words += len;
        }
        return t.build();
    }

    private static Duration ms(long ms) {
        return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
    }

    static List<String> vocabulary(boolean french) {
        return List.of(french ? FRENCH : ENGLISH);
    }
}
