package org.steno.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.steno.simulator.media.PeerCounters;
import org.steno.simulator.media.ReceivedMedia;

/**
 * The figures of one simulation: who joined and connected, whether each participant heard every talker (audio
 * packets on its slots while the server said the slot showed that talker) and received last-N video (as many
 * camera sources as the server should give it), loss, jitter, offers' size and the packets sent and received.
 */
public final class SimulationReport {

    /** A talker is heard when at least this many of its packets (1 s of audio) came on our slots. */
    public static final long HEARD_PACKETS = 50;
    /** A video source counts when at least this many of its packets came (a few frames). */
    public static final long SEEN_PACKETS = 10;

    /** One participant's outcome. */
    public record Peer(String name, String participantId, boolean talker, boolean camera, String failure,
                       boolean connected, List<String> talkersHeard, List<String> talkersMissed, long videoSources,
                       long expectedVideoSources, int audioSlots, int videoSlots, int offers, int largestOfferBytes,
                       int largestMessageBytes, List<String> serverErrors, ReceivedMedia received, long audioSent,
                       long videoSent, long keyframeRequests, long srtpFailures, String mediaState,
                       long consentResponses, long sendDropped) {

        public boolean hearsEveryTalker() {
            return connected && talkersMissed.isEmpty();
        }

        public boolean receivesLastN() {
            return connected && videoSources >= expectedVideoSources;
        }
    }

    /** The measured time only (after everyone connected): RTP packets received and sent, this process's CPU in cores. */
    public record Window(long received, long sent, double processCores) {
    }

    private final Simulation.Settings settings;
    private final Window window;
    private final List<Peer> peers;
    private final double joinSeconds;
    private final double measuredSeconds;

    private SimulationReport(Simulation.Settings settings, List<Peer> peers, double joinSeconds, double measuredSeconds,
                             Window window) {
        this.settings = settings;
        this.window = window;
        this.peers = List.copyOf(peers);
        this.joinSeconds = joinSeconds;
        this.measuredSeconds = measuredSeconds;
    }

    static SimulationReport of(Simulation.Settings settings, List<SimulatedPeer> sims, double joinSeconds,
                               double measuredSeconds, Window window) {
        List<String[]> talkers = new ArrayList<>(); // {participantId, name}
        for (SimulatedPeer s : sims) {
            if (s.talker && s.participantId() != null) {
                talkers.add(new String[] {s.participantId(), s.name});
            }
        }
        List<Peer> out = new ArrayList<>();
        for (SimulatedPeer s : sims) {
            ReceivedMedia r = s.media.received();
            PeerCounters c = s.media.counters();
            boolean connected = c.connectedAtNanos != 0;
            List<String> heard = new ArrayList<>();
            List<String> missed = new ArrayList<>();
            for (String[] t : talkers) {
                if (t[0].equals(s.participantId())) {
                    continue;
                }
                (r.audioFrom(t[0]) >= HEARD_PACKETS ? heard : missed).add(t[1]);
            }
            long otherCameras = settings.cameras() - (s.camera ? 1 : 0);
            String failure = s.failure();
            out.add(new Peer(s.name, s.participantId(), s.talker, s.camera, failure, connected && failure == null,
                    heard, missed, r.videoSourcesWithAtLeast(SEEN_PACKETS), Math.min(SimulatedPeer.MAX_VIDEO, otherCameras),
                    s.receiveSlots("audio"), s.receiveSlots("video"), s.offersSent, s.largestOfferBytes,
                    s.largestMessageBytes, s.errors(), r, c.audioSent.sum(), c.videoSent.sum(),
                    c.keyframeRequests.sum(), c.srtpFailures.sum(), s.media.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (s.media.failure() != null ? " (" + s.media.failure() + ")" : ""), c.stunResponses.sum(),
                    c.sendDropped.sum()));
        }
        return new SimulationReport(settings, out, joinSeconds, measuredSeconds, window);
    }

    public List<Peer> peers() {
        return peers;
    }

    public Simulation.Settings settings() {
        return settings;
    }

    public long joined() {
        return peers.stream().filter(p -> p.participantId() != null && p.failure() == null).count();
    }

    public long connected() {
        return peers.stream().filter(Peer::connected).count();
    }

    public List<Peer> failed() {
        return peers.stream().filter(p -> p.failure() != null || !p.connected()).toList();
    }

    public long hearingEveryTalker() {
        return peers.stream().filter(Peer::hearsEveryTalker).count();
    }

    public long receivingLastN() {
        return peers.stream().filter(Peer::receivesLastN).count();
    }

    public int largestOfferBytes() {
        return peers.stream().mapToInt(Peer::largestOfferBytes).max().orElse(0);
    }

    public int largestServerMessageBytes() {
        return peers.stream().mapToInt(Peer::largestMessageBytes).max().orElse(0);
    }

    public long packetsReceived() {
        return peers.stream().mapToLong(p -> p.received().packets()).sum();
    }

    public long packetsSent() {
        return peers.stream().mapToLong(p -> p.audioSent() + p.videoSent()).sum();
    }

    /** Lost / expected over every receive slot of every participant, in percent. */
    public double lossPercent() {
        long expected = peers.stream().mapToLong(p -> p.received().expected()).sum();
        long lost = peers.stream().mapToLong(p -> p.received().lost()).sum();
        return expected == 0 ? 0 : 100.0 * lost / expected;
    }

    public double meanJitterMillis() {
        return peers.stream().filter(Peer::connected).mapToDouble(p -> p.received().meanJitterMillis()).average().orElse(0);
    }

    public double maxJitterMillis() {
        return peers.stream().mapToDouble(p -> p.received().maxJitterMillis()).max().orElse(0);
    }

    public Window window() {
        return window;
    }

    public double measuredSeconds() {
        return measuredSeconds;
    }

    /** The summary {@code steno simulate} prints. */
    public void print(PrintStream out) {
        int n = peers.size();
        out.printf(Locale.ROOT, "steno simulate: meeting %s, %d participants (%d talking, %d with a camera), %.0f s%n",
                settings.meetingId(), n, settings.talkers(), settings.cameras(), measuredSeconds);
        out.printf(Locale.ROOT, "  joined          %d/%d, media connected %d/%d (in %.1f s)%n", joined(), n, connected(), n,
                joinSeconds);
        out.printf(Locale.ROOT, "  hearing talkers %d/%d hear every other talker (≥ %d packets from each)%n",
                hearingEveryTalker(), n, HEARD_PACKETS);
        if (settings.cameras() > 0) {
            out.printf(Locale.ROOT, "  video           %d/%d receive last-N video (min(9, other cameras) sources)%n",
                    receivingLastN(), n);
        }
        out.printf(Locale.ROOT, "  packets         sent %d, received %d in all; while measured %.0f/s sent, %.0f/s received%n",
                packetsSent(), packetsReceived(), window.sent() / Math.max(measuredSeconds, 0.001),
                window.received() / Math.max(measuredSeconds, 0.001));
        out.printf(Locale.ROOT, "  quality         loss %.3f %%, jitter mean %.2f ms, max %.2f ms%n", lossPercent(),
                meanJitterMillis(), maxJitterMillis());
        if (window.processCores() >= 0) {
            out.printf(Locale.ROOT, "  cpu             %.2f cores used by this process while measured%n", window.processCores());
        }
        out.printf(Locale.ROOT, "  signaling       largest offer %d bytes, largest server message %d bytes%n",
                largestOfferBytes(), largestServerMessageBytes());
        List<Peer> failed = failed();
        for (Peer p : failed.subList(0, Math.min(10, failed.size()))) {
            out.printf("  failed          %s: %s; media %s, %d consent responses, %d packets received%n", p.name(),
                    p.failure() != null ? p.failure() : "media never connected", p.mediaState(), p.consentResponses(),
                    p.received().packets());
        }
        if (failed.size() > 10) {
            out.printf("  failed          … and %d more%n", failed.size() - 10);
        }
        for (Peer p : peers) {
            if (p.connected() && !p.talkersMissed().isEmpty()) {
                out.printf("  not hearing     %s misses %s%n", p.name(), p.talkersMissed());
                break;
            }
        }
    }

}
