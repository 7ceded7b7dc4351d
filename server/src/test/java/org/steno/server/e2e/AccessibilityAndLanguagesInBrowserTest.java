package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.archive.ArchiveSearchEndToEndTest;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue #12's accessibility and language checks in headless Chromium on the defaults of {@code steno up}:
 * for a browser in English and one in French, every page a person goes through — home (signed out, then
 * signed in with "My meetings"), sign-in, search with results, a meeting's archive with a recording and a
 * transcript, the room's prejoin, the room joined, the lobby a guest waits in, the host's room with that
 * guest waiting, the guest's room once admitted, the captions over the room, and the administrator's
 * accounts page — is run through axe-core (WCAG 2.0/2.1 A and AA and best practices, and the dark theme's
 * contrast) and must have no violation; Tab goes through each from its skip link with the focus always
 * visible; each is in the browser's language ({@code <html lang>}), shows no message key instead of a
 * message and, in French, no English message of the catalogue. The switcher changes the language and the
 * choice is kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessibilityAndLanguagesInBrowserTest {

    private static final String WAV = "/usr/share/pocketsphinx/test/data/librivox/";
    private static final String[] WAVS = {WAV + "sense_and_sensibility_01_austen_64kb-0870.wav",
        WAV + "sense_and_sensibility_01_austen_64kb-0920.wav"};

    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private String base;
    private WebSession owner;
    private String archived;
    private String axe;
    private final List<ChromeDriver> browsers = new ArrayList<>();
    /** What each page checked, printed at the end of each language. */
    private final List<String> report = new ArrayList<>();
    /** How many elements the last page's Tab went through. */
    private int tabbed;
    /** What was wrong on each page: every page is checked, then the test fails with all of them. */
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = new HashMap<>(TestConfigs.ephemeralEnv(tmp.resolve("data")));
        // The defaults of `./steno up` (as ThreeBrowsersMeetTest): http.host 0.0.0.0, nothing advertised.
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        PrintStream before = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream())); // the first administrator's password banner
        try {
            steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
            steno.start();
        } finally {
            System.setOut(before);
        }
        base = "http://127.0.0.1:" + steno.httpPort();
        owner = WebSession.signIn(steno, "owner", PlatformRole.AGENT);
        WebSession.signIn(steno, "chief", PlatformRole.ADMIN);
        archived = owner.createMeeting("Conseil municipal");
        putArchive(archived);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("axe.min.js")) {
            assertThat(in).as("axe.min.js of com.deque.html.axe-core:selenium on the test class path").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void quitBrowsers() {
        Browsers.quitAll(browsers);
        browsers.clear();
    }

    @AfterAll
    void stop() {
        if (steno != null) {
            steno.close();
        }
    }

    @ParameterizedTest(name = "a browser in {0}")
    @ValueSource(strings = {"en-US", "fr-FR"})
    void everyPageHasNoAxeViolationAndSpeaksTheBrowsersLanguage(String browserLanguage) throws Exception {
        String lang = browserLanguage.substring(0, 2);
        report.clear();
        problems.clear();
        ChromeDriver host = Browsers.launch(tmp, WAVS[0], "1280,800", "--lang=" + browserLanguage);
        browsers.add(host);
        assertThat(host.executeScript("return navigator.languages[0]")).as("the browser's language").isEqualTo(browserLanguage);

        host.get(base + "/");
        waitBooted(host, "app");
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElement(By.id("sign-in-link")).isDisplayed(), () -> "signed out");
        checksCanFail(host, lang);
        check(host, "home, signed out", lang);

        host.findElement(By.id("sign-in-link")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.getCurrentUrl().endsWith("/login"), () -> "the sign-in page");
        waitBooted(host, "app");
        check(host, "sign-in", lang);
        switchLanguageAndBack(host, lang);

        host.findElement(By.id("username")).sendKeys("owner");
        host.findElement(By.id("password")).sendKeys("not the password");
        host.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> !host.findElement(By.id("login-error")).getText().isBlank(), () -> "refused");
        check(host, "sign-in, refused", lang);
        host.findElement(By.id("password")).clear();
        host.findElement(By.id("password")).sendKeys(WebSession.PASSWORD);
        host.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElement(By.id("start-meeting")).isEnabled()
                && host.findElement(By.id("my-meetings")).isDisplayed(), () -> "signed in, with the meetings");
        check(host, "home, signed in: start a meeting, my meetings", lang);

        host.get(base + "/search?q=budget");
        Browsers.waitFor(Duration.ofSeconds(30), () -> {
            if (!"true".equals(host.findElement(By.id("search-app")).getAttribute("data-booted"))) {
                return false;
            }
            if (host.findElements(By.cssSelector("#results li[data-meeting-id]")).isEmpty()) {
                host.findElement(By.id("search-button")).click(); // the index follows the bucket within seconds
                return false;
            }
            return true;
        }, () -> "search results: " + host.findElement(By.id("search-message")).getText());
        check(host, "search with results", lang);

        host.get(base + "/m/" + archived + "/archive");
        Browsers.waitFor(Duration.ofSeconds(20), () -> "loaded".equals(host.findElement(By.id("archive")).getAttribute("data-state"))
                && !host.findElements(By.cssSelector("#player:not([hidden])")).isEmpty(), () -> "the archive with its recording");
        check(host, "archive", lang);

        // A live meeting: the owner joins it, a guest waits in its lobby and is admitted.
        String meeting = owner.createMeeting(lang.equals("fr") ? "Réunion de service" : "Team meeting");
        host.get(base + "/m/" + meeting);
        Browsers.waitFor(Duration.ofSeconds(20), () -> "prejoin".equals(phase(host)), () -> "prejoin: " + phase(host));
        check(host, "room: prejoin", lang);
        host.findElement(By.id("join")).click();
        Browsers.waitFor(Duration.ofSeconds(30), () -> "joined".equals(phase(host)), () -> "the host joins: " + phase(host));
        check(host, "room: the host alone", lang);

        ChromeDriver guest = Browsers.launch(tmp, WAVS[1], "1280,800", "--lang=" + browserLanguage);
        browsers.add(guest);
        guest.get(base + "/m/" + meeting);
        Browsers.waitFor(Duration.ofSeconds(20), () -> "prejoin".equals(phase(guest)), () -> "the guest's prejoin: " + phase(guest));
        guest.findElement(By.id("display-name")).sendKeys("Bob");
        check(guest, "room: a guest's prejoin", lang);
        guest.findElement(By.id("join")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> "waiting".equals(phase(guest)), () -> "the guest waits: " + phase(guest));
        check(guest, "lobby: waiting to be let in", lang);

        Browsers.waitFor(Duration.ofSeconds(20), () -> !host.findElements(By.cssSelector("#lobby-list li[data-request-id]")).isEmpty(),
                () -> "the host sees Bob waiting");
        check(host, "room: the host with someone in the lobby", lang);
        host.findElement(By.cssSelector("#lobby-list li[data-request-id] [data-action='admit']")).click();
        Browsers.waitFor(Duration.ofSeconds(30), () -> "joined".equals(phase(guest)), () -> "Bob is let in: " + phase(guest));
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElements(By.cssSelector("#tiles [data-participant-id]")).size() == 2
                && guest.findElements(By.cssSelector("#tiles [data-participant-id]")).size() == 2, () -> "two tiles each");
        guest.findElement(By.id("chat-text")).sendKeys(lang.equals("fr") ? "Bonjour à tous" : "Hello everyone");
        guest.findElement(By.id("chat-text")).submit();
        Browsers.waitFor(Duration.ofSeconds(10), () -> !host.findElements(By.cssSelector("#chat-log li[data-seq]")).isEmpty(),
                () -> "the chat message arrives");
        check(guest, "room: the guest, admitted", lang);
        check(host, "room: the host with a guest (host actions, chat)", lang);
        // Captions over the room, drawn by the page's own captions.js as a caption event would (a
        // real transcriber is HostRecordsAndCaptionsInBrowserTest's): their contrast is checked too.
        host.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/captions.js').then((c) => {
                  const s = c.applyCaption(c.initialCaptions(), { segmentId: 'a11y-1', revision: 1, kind: 'CAPTION_KIND_FINAL',
                    speakerDisplayName: 'Bob', text: arguments[0], mediaStart: '1s' });
                  c.renderCaptions(document.getElementById('captions'), s);
                  done();
                });
                """, lang.equals("fr") ? "Je propose de voter le budget." : "I move that we vote on the budget.");
        assertThat(host.findElement(By.cssSelector("#captions .caption-line")).isDisplayed()).isTrue();
        check(host, "room: the host with captions", lang);

        // The accounts page, as an administrator: the owner signs out, the administrator signs in.
        host.get(base + "/");
        waitBooted(host, "app");
        host.findElement(By.id("sign-out")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.getCurrentUrl().endsWith("/login"), () -> "signed out: " + host.getCurrentUrl());
        waitBooted(host, "app");
        host.findElement(By.id("username")).sendKeys("chief");
        host.findElement(By.id("password")).sendKeys(WebSession.PASSWORD);
        host.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> !host.findElements(By.id("admin-link")).isEmpty(), () -> "the administrator is in");
        host.get(base + "/admin");
        waitBooted(host, "app");
        Browsers.waitFor(Duration.ofSeconds(10), () -> !host.findElements(By.cssSelector("#accounts tr[data-username='owner']")).isEmpty(),
                () -> "the accounts listed");
        check(host, "accounts (administrator)", lang);
        System.out.println("Accessibility and language checks, browser in " + browserLanguage + ":\n  " + String.join("\n  ", report));
        assertThat(problems).as(() -> "pages in " + lang + " with problems:\n" + String.join("\n", problems)).isEmpty();
    }

    /** The switcher: French, kept across a reload, then English again (the language this browser started in stays last). */
    private void switchLanguageAndBack(ChromeDriver b, String lang) throws InterruptedException {
        String other = lang.equals("fr") ? "en" : "fr";
        String heading = b.findElement(By.id("sign-in-heading")).getText();
        assertThat(b.findElement(By.cssSelector("#lang-switch button[data-lang='" + lang + "']")).getAttribute("aria-pressed")).isEqualTo("true");
        b.findElement(By.cssSelector("#lang-switch button[data-lang='" + other + "']")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> other.equals(htmlLang(b)) && "true".equals(b.findElement(By.id("app")).getAttribute("data-booted"))
                && !b.findElement(By.id("sign-in-heading")).getText().equals(heading), () -> "the page in " + other + ": " + htmlLang(b));
        assertThat(b.findElement(By.id("sign-in-heading")).getText()).isEqualTo(other.equals("fr") ? "Connexion" : "Sign in");
        b.navigate().refresh();
        waitBooted(b, "app");
        assertThat(htmlLang(b)).as("the choice is kept").isEqualTo(other);
        b.findElement(By.cssSelector("#lang-switch button[data-lang='" + lang + "']")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> lang.equals(htmlLang(b)) && "true".equals(b.findElement(By.id("app")).getAttribute("data-booted"))
                && b.findElement(By.id("sign-in-heading")).getText().equals(heading), () -> "back in " + lang);
    }

    /**
     * The checks find what they look for: an unlabelled field and a message key on the page (in French, an
     * English message), each reported, and nothing once they are gone.
     */
    private void checksCanFail(ChromeDriver b, String lang) {
        b.executeScript("""
                const input = document.createElement('input');
                input.id = 'probe-input';
                const p = document.createElement('p');
                p.id = 'probe-text';
                p.textContent = arguments[0];
                const button = document.createElement('button');
                button.id = 'probe-button';
                button.textContent = 'OK';
                button.style.outline = 'none';
                document.getElementById('main').append(input, p, button);
                """, lang.equals("fr") ? "Start a meeting" : "home.start");
        List<String> found = inspect(b, "probe", lang);
        assertThat(String.join("\n", found)).as("what the checks find on a page made wrong on purpose")
                .contains("[critical] label:").contains("#probe-input").contains("no visible focus on button#probe-button")
                .contains(lang.equals("fr") ? "<p#probe-text>: English \"Start a meeting\"" : "<p#probe-text>: the key \"home.start\"");
        b.executeScript("for (const id of ['probe-input', 'probe-text', 'probe-button']) document.getElementById(id).remove();");
        assertThat(inspect(b, "probe removed", lang)).isEmpty();
    }

    /** axe-core finds no violation, the page is in {@code lang}, and it shows no key (nor, in French, English) instead of a message. */
    private void check(ChromeDriver b, String page, String lang) {
        List<String> found = inspect(b, page, lang);
        problems.addAll(found);
        report.add(page + (found.isEmpty() ? ": no axe-core violation (light and dark), lang=" + lang + ", no key or untranslated text, "
                + tabbed + " elements by Tab, each with a visible focus" : ": PROBLEMS (below)"));
    }

    private List<String> inspect(ChromeDriver b, String page, String lang) {
        List<String> problems = new ArrayList<>();
        if (!lang.equals(htmlLang(b))) {
            problems.add(page + ": <html lang=\"" + htmlLang(b) + "\">, not " + lang);
        }
        @SuppressWarnings("unchecked")
        List<String> untranslated = (List<String>) b.executeAsyncScript(UNTRANSLATED, lang);
        if (!untranslated.isEmpty()) {
            problems.add(page + " shows message keys or English text:\n    " + String.join("\n    ", untranslated));
        }
        if ("undefined".equals(b.executeScript("return typeof window.axe"))) {
            b.executeScript(axe);
        }
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        List<Map<String, Object>> violations = axe(b, Map.of("resultTypes", List.of("violations")));
        if (!violations.isEmpty()) {
            problems.add("axe-core violations on " + page + " (" + lang + "):\n" + readable(violations));
        }
        // The dark theme (prefers-color-scheme: dark) has colours of its own: their contrast too.
        b.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            assertThat(b.executeScript("return matchMedia('(prefers-color-scheme: dark)').matches")).as("the dark theme is on").isEqualTo(true);
            List<Map<String, Object>> dark = axe(b, Map.of("runOnly", List.of("color-contrast"), "resultTypes", List.of("violations")));
            if (!dark.isEmpty()) {
                problems.add("axe-core violations on " + page + " (" + lang + ", dark theme):\n" + readable(dark));
            }
        } finally {
            b.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        problems.addAll(focusProblems(b, page));
        return problems;
    }

    /**
     * Tabbing through the page from its start, as a keyboard user does: every element that takes the
     * focus shows it (an outline), and the first one is the skip link to the main content.
     */
    @SuppressWarnings("unchecked")
    private List<String> focusProblems(ChromeDriver b, String page) {
        // Tab goes on from where the last click or focus was: start it from the top of the page, as on arrival.
        b.executeScript("""
                const start = document.createElement('span');
                start.id = 'a11y-tab-start';
                start.tabIndex = -1;
                document.body.prepend(start);
                start.focus();
                window.a11yTabbed = new WeakSet();
                """);
        List<String> bad = new ArrayList<>();
        int reached = 0;
        for (int i = 0; i < 80; i++) {
            new Actions(b).sendKeys(Keys.TAB).perform();
            Map<String, Object> f = (Map<String, Object>) b.executeScript("""
                    const e = document.activeElement;
                    if (!e || e === document.body || e === document.documentElement || e.id === 'a11y-tab-start') return null;
                    if (window.a11yTabbed.has(e)) return { again: true };
                    window.a11yTabbed.add(e);
                    const s = getComputedStyle(e);
                    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (e.dataset.action ? `[data-action=${e.dataset.action}]` : '') + (e.dataset.lang ? `[data-lang=${e.dataset.lang}]` : '')
                      + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '');
                    return { name, shown: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, outline: `${s.outlineStyle} ${s.outlineWidth}` };
                    """);
            if (f == null || f.containsKey("again")) {
                break; // out of the page, or round again
            }
            reached++;
            if (i == 0 && !String.valueOf(f.get("name")).startsWith("a.skip-link")) {
                bad.add(page + ": the first Tab goes to " + f.get("name") + ", not the skip link");
            }
            if (!Boolean.TRUE.equals(f.get("shown"))) {
                bad.add(page + ": no visible focus on " + f.get("name") + " (outline " + f.get("outline") + ")");
            }
        }
        b.executeScript("document.getElementById('a11y-tab-start').remove();");
        tabbed = reached;
        if (reached < 2) {
            bad.add(page + ": Tab reaches " + reached + " element(s)");
        }
        return bad;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> axe(ChromeDriver b, Map<String, Object> options) {
        return (List<Map<String, Object>>) b.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, arguments[0])
                  .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                    nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }))))
                  .catch((e) => done([{ id: 'axe-error', impact: 'error', help: String(e), url: '', nodes: [] }]));
                """, options);
    }

    private static String readable(List<Map<String, Object>> violations) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> v : violations) {
            sb.append("  [").append(v.get("impact")).append("] ").append(v.get("id")).append(": ").append(v.get("help"))
                    .append(" (").append(v.get("url")).append(")\n");
            for (Object n : (List<?>) v.get("nodes")) {
                sb.append("      ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The visible texts and the labels (aria-label, placeholder, title, the document's title) that are a
     * catalogue key, or, on a French page, an English message that French says otherwise; text marked
     * {@code translate="no"} (a username) is the person's, not a message.
     */
    private static final String UNTRANSLATED = """
            const lang = arguments[0];
            const done = arguments[arguments.length - 1];
            Promise.all([import('/i18n-en.js'), import('/i18n-fr.js')]).then(([enModule, frModule]) => {
              const en = enModule.default;
              const fr = frModule.default;
              const keys = new Set(Object.keys(en));
              const english = new Set(Object.keys(en)
                .filter((k) => typeof en[k] === 'string' && en[k] !== fr[k] && !en[k].includes('{'))
                .map((k) => en[k]));
              const bad = [];
              const look = (where, text) => {
                const s = (text || '').trim();
                if (!s) return;
                if (keys.has(s)) bad.push(`${where}: the key "${s}"`);
                else if (lang === 'fr' && english.has(s)) bad.push(`${where}: English "${s}"`);
              };
              look('title', document.title);
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                // translate="no": a person's name or username, in no language.
                if (el && !el.closest('[translate="no"]') && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden') {
                  look(`<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}>`, n.textContent);
                }
              }
              for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
                for (const a of ['aria-label', 'placeholder', 'title']) {
                  if (el.hasAttribute(a)) look(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${a}]`, el.getAttribute(a));
                }
              }
              done(bad);
            }).catch((e) => done([`the catalogues could not be read: ${e}`]));
            """;

    private static String htmlLang(ChromeDriver b) {
        return String.valueOf(b.executeScript("return document.documentElement.lang"));
    }

    private static String phase(ChromeDriver b) {
        return b.findElement(By.id("room-app")).getAttribute("data-phase");
    }

    private static void waitBooted(ChromeDriver b, String id) throws InterruptedException {
        Browsers.waitFor(Duration.ofSeconds(20), () -> "true".equals(b.findElement(By.id(id)).getAttribute("data-booted")),
                () -> "#" + id + " booted at " + b.getCurrentUrl());
    }

    /** A recording (60 s of Opus) and a transcript in the bucket, as the recorder and the pipeline leave them. */
    private void putArchive(String meeting) throws Exception {
        Path ogg = tmp.resolve("mixed.ogg");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=60", "-c:a", "libopus", "-b:a", "24k", ogg.toString()).redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        S3Target target = steno.storageTarget();
        try (S3Client s3 = S3Storage.newClient(target)) {
            String rp = "meetings/" + meeting + "/recordings/rec-1/";
            s3.putObject(r -> r.bucket(target.bucket()).key(rp + "mixed.ogg"), RequestBody.fromFile(ogg));
            s3.putObject(r -> r.bucket(target.bucket()).key(rp + "manifest.json"), RequestBody.fromString("""
                    {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-12-01T09:00:05Z","durationMs":60000,"complete":true,
                     "files":[{"key":"%smixed.ogg","kind":"mixed","displayName":"","codec":"opus","durationMs":60000,"bytes":%d}]}
                    """.formatted(meeting, rp, Files.size(ogg))));
            s3.putObject(r -> r.bucket(target.bucket()).key("meetings/" + meeting + "/transcripts/live-0/transcript.json"),
                    RequestBody.fromString(ArchiveSearchEndToEndTest.transcript(meeting, Instant.parse("2026-12-01T09:00:00Z"),
                            "s1|12|La réunion du conseil municipal commence.",
                            "s2|30|Je propose de voter le budget de l'école.",
                            "s1|47|Le budget est adopté à l'unanimité."), StandardCharsets.UTF_8));
        }
    }
}
