package org.steno.models.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.TestAudio;

/**
 * Each misuse that aborts or crashes the JVM inside libpocketsphinx (see
 * the project notes on pocketsphinx) is refused in Java. If a guard broke, this test's JVM
 * would die, and the build with it.
 */
class SphinxDecoderGuardTest {

    static SphinxDecoder decoder;

    @BeforeAll
    static void init() {
        decoder = PocketSphinx.newDecoder(AsrModelPaths.debianEnUs());
    }

    @AfterAll
    static void free() {
        decoder.close();
    }

    @Test
    void audioAfterEndOfUtteranceIsRefused() {
        decoder.startUtterance();
        decoder.process(new short[1600], 1600);
        decoder.endUtterance();
        assertThatThrownBy(() -> decoder.process(new short[1600], 1600))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside an utterance");
    }

    @Test
    void doubleStartAndDoubleEndAreRefused() {
        decoder.startUtterance();
        assertThatThrownBy(decoder::startUtterance).isInstanceOf(IllegalStateException.class);
        decoder.endUtterance();
        assertThatThrownBy(decoder::endUtterance).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void silenceGivesNoHypothesisNotACrash() {
        decoder.startUtterance();
        decoder.process(new short[16000], 16000);
        decoder.endUtterance();
        assertThat(decoder.hypothesis()).isNullOrEmpty();
        assertThat(decoder.words()).isEmpty();
    }

    @Test
    void freeTwiceAndUseAfterFreeAreRefused() {
        SphinxDecoder d = PocketSphinx.newDecoder(AsrModelPaths.debianEnUs());
        d.close();
        d.close();
        assertThat(d.isClosed()).isTrue();
        assertThatThrownBy(d::startUtterance).isInstanceOf(IllegalStateException.class).hasMessageContaining("freed");
        assertThatThrownBy(d::hypothesis).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> d.process(new short[10], 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDecoderWithoutLanguageModelCannotBeBuilt() {
        assertThatThrownBy(() -> new AsrModelPaths(Path.of("/usr/share/pocketsphinx/model/en-us/en-us"), null, Path.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("language model");
    }

    @Test
    void missingOrTruncatedModelIsReportedWithWhatToInstall(@TempDir Path dir) throws Exception {
        EngineStatus missing = PocketSphinx.status(AsrModelPaths.inDirectory(dir.resolve("nowhere")));
        assertThat(missing.ready()).isFalse();
        assertThat(missing.detail()).contains("does not exist").contains("apt-get install libpocketsphinx3 pocketsphinx-en-us");

        // A model whose files exist but are empty: sphinx would call exit(); we refuse first.
        Path hmm = Files.createDirectories(dir.resolve("en-us"));
        for (String f : AsrModelPaths.ACOUSTIC_MODEL_FILES) {
            Files.createFile(hmm.resolve(f));
        }
        Files.createFile(dir.resolve("en-us.lm.bin"));
        Files.copy(AsrModelPaths.DEBIAN_MODEL_DIR.resolve("cmudict-en-us.dict"), dir.resolve("cmudict-en-us.dict"));
        AsrModelPaths truncated = AsrModelPaths.inDirectory(dir);
        assertThat(PocketSphinx.status(truncated).detail()).contains("mdef is missing or empty").contains("language model");
        assertThatThrownBy(() -> PocketSphinx.newDecoder(truncated)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install");
        assertThat(PocketSphinx.status(AsrModelPaths.debianEnUs()).ready()).isTrue();
    }

    @Test
    void twoThreadsOnOneDecoderAreSerialisedNotInterleaved() throws Exception {
        short[] speech = TestAudio.samples(TestAudio.SHORT_SENTENCE);
        SphinxDecoder d = PocketSphinx.newDecoder(AsrModelPaths.debianEnUs());
        try {
            d.startUtterance();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable feed = () -> {
                try {
                    for (int off = 0; off + 800 <= speech.length; off += 800) {
                        short[] chunk = java.util.Arrays.copyOfRange(speech, off, off + 800);
                        d.process(chunk, 800);
                        d.hypothesis();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            };
            Thread a = new Thread(feed);
            Thread b = new Thread(feed);
            a.start();
            b.start();
            a.join();
            b.join();
            assertThat(failure.get()).isNull();
            d.endUtterance();
            assertThat(d.used()).isTrue();
        } finally {
            d.close();
        }
    }

    @Test
    void concurrentInitAndFreeUnderTheGlobalLock() throws Exception {
        Thread[] ts = new Thread[3];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                try {
                    PocketSphinx.newDecoder(AsrModelPaths.debianEnUs()).close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(failure.get()).isNull();
    }
}
