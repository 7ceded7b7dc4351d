package org.steno.models.diarize.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.steno.models.diarize.Pcm;

/**
 * Real human speech from Debian's pocketsphinx-testdata: the librivox reader (five sentences of
 * "Sense and Sensibility") and the "cards" speaker (five short phrases), two different people.
 */
public final class RealSpeech {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/pocketsphinx/test/data");

    private RealSpeech() {
    }

    public static List<MeetingBuilder.Clip> clips(Path dataDir, String subdir, String speaker) throws IOException {
        Path dir = dataDir.resolve(subdir);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is missing; install it with: apt-get install pocketsphinx-testdata");
        }
        List<Path> wavs;
        try (Stream<Path> files = Files.list(dir)) {
            wavs = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        List<MeetingBuilder.Clip> out = new ArrayList<>();
        for (Path wav : wavs) {
            out.add(MeetingBuilder.real(speaker, Pcm.readWav(wav)));
        }
        return out;
    }

    /** The librivox reader and the cards speaker taking turns (ten turns, the cards ones short). */
    public static MeetingBuilder.Meeting twoReaders(Path dataDir, double overlapShare, long seed, String name) throws IOException {
        List<MeetingBuilder.Clip> reader = clips(dataDir, "librivox", "reader");
        List<MeetingBuilder.Clip> cards = clips(dataDir, "cards", "cards");
        List<MeetingBuilder.Clip> sequence = new ArrayList<>();
        for (int i = 0; i < Math.max(reader.size(), cards.size()); i++) {
            if (i < reader.size()) {
                sequence.add(reader.get(i));
            }
            if (i < cards.size()) {
                sequence.add(cards.get(i));
            }
        }
        return MeetingBuilder.arrange(name, sequence, overlapShare, new Random(seed));
    }
}
