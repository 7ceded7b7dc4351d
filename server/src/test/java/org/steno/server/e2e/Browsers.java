package org.steno.server.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium for end-to-end tests, with a WAV file as its microphone. */
final class Browsers {

    private Browsers() {
    }

    /** A fresh headless Chromium (own profile under {@code dir}) whose fake microphone plays {@code wav} in a loop. */
    static ChromeDriver launch(Path dir, String wav) throws Exception {
        return launch(dir, wav, null);
    }

    /**
     * As {@link #launch(Path, String)}, with a window of this size ("1280,800"; null: Chromium's default) and more
     * command-line switches (a screen's scale factor, say). The browser's language is English ({@code en-US}:
     * {@code navigator.languages}, so the pages speak English) unless a switch {@code --lang=<tag>} says another.
     */
    static ChromeDriver launch(Path dir, String wav, String windowSize, String... switches) throws Exception {
        ChromeOptions o = new ChromeOptions();
        if (windowSize != null) {
            o.addArguments("--window-size=" + windowSize);
        }
        String lang = "en-US";
        for (String s : switches) {
            if (s.startsWith("--lang=")) {
                lang = s.substring("--lang=".length());
            } else {
                o.addArguments(s);
            }
        }
        // Both: --lang is the UI's language, the preference what navigator.languages and Accept-Language say.
        o.addArguments("--lang=" + lang);
        o.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", lang));
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                // Without these, Chromium's calls home are refused by the closed network, many at a time.
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + wav, "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return d;
    }

    /** The room's notice (recording, transcription) as shown, or "" when hidden. */
    static String notice(ChromeDriver b) {
        org.openqa.selenium.WebElement n = b.findElement(org.openqa.selenium.By.id("room-notice"));
        return n.isDisplayed() ? n.getText() : "";
    }

    /** The speakers' names on the captions overlay's lines. */
    @SuppressWarnings("unchecked")
    static java.util.List<String> captionSpeakers(ChromeDriver b) {
        return (java.util.List<String>) b.executeScript(
                "return [...document.querySelectorAll('#captions .caption-speaker')].map(e => e.textContent.trim());");
    }

    static void quitAll(Iterable<ChromeDriver> browsers) {
        for (ChromeDriver b : browsers) {
            try {
                b.quit();
            } catch (RuntimeException ignored) {
                // A browser that already died must not hide the test's own failure.
            }
        }
    }

    /**
     * Polls {@code ok} until it holds; a page between states may throw, which counts as "not
     * yet". The description is built at the timeout, so it shows the final state.
     */
    static void waitFor(Duration max, BooleanSupplier ok, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (ok.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // between states (navigation, renegotiation): ask again
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for: " + what.get());
    }
}
