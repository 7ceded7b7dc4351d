package org.steno.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The hash and the chain rules, independent of where entries are stored: {@link AuditLog}
 * verifies the database with it, and an exported CSV/JSON file can be verified offline
 * with {@link #verify(Iterable)}.
 */
public final class AuditChain {

    /** Changing the encoding changes every hash: bump this and keep the old one for old entries. */
    private static final String DOMAIN = "steno-audit-v1";

    private AuditChain() {
    }

    /**
     * SHA-256 over a canonical encoding of every field but the hash: each field is its UTF-8
     * bytes preceded by their length as 4 bytes big-endian. Length prefixes make the encoding
     * injective, so ("a|b", "c") and ("a", "b|c") cannot produce the same bytes, whatever
     * separators the text contains. seq and time are encoded as decimal text (epoch ms).
     */
    public static String hash(long seq, Instant time, String subject, String role, String address,
                              String action, String resource, Outcome outcome, String reason,
                              String prevHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        for (String field : new String[] {DOMAIN, Long.toString(seq), Long.toString(time.toEpochMilli()),
                subject, role, address, action, resource, outcome.name(), reason, prevHash}) {
            byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
            int n = utf8.length;
            bytes.write(n >>> 24);
            bytes.write(n >>> 16);
            bytes.write(n >>> 8);
            bytes.write(n);
            bytes.write(utf8, 0, n);
        }
        return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray()));
    }

    /** What the entry's hash should be, given its content. */
    public static String expectedHash(AuditEntry e) {
        return hash(e.seq(), e.time(), e.subject(), e.role(), e.address(), e.action(), e.resource(),
                e.outcome(), e.reason(), e.prevHash());
    }

    /** Checks entries given in seq order, stopping at the first problem. */
    public static VerifyResult verify(Iterable<AuditEntry> entries) {
        Verifier verifier = new Verifier();
        Iterator<AuditEntry> it = entries.iterator();
        while (it.hasNext() && verifier.accept(it.next())) {
            // accept() returns false at the first broken entry
        }
        return verifier.result();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java SE JVM must provide", e);
        }
    }

    /**
     * Incremental checker, so the database can be verified while streaming rows rather than
     * loading the whole log. Checks per entry, in this order: no seq skipped (a deleted row),
     * hash matches content (an edited row), prevHash equals the previous hash (an entry
     * rewritten with a recomputed hash, which breaks the link to it from the next one).
     */
    static final class Verifier {
        private long checked;
        private AuditEntry previous;
        private VerifyResult broken;

        /** @return false once the chain is broken; further entries are ignored */
        boolean accept(AuditEntry e) {
            if (broken != null) {
                return false;
            }
            checked++;
            long expectedSeq = previous == null ? 1 : previous.seq() + 1;
            if (e.seq() != expectedSeq) {
                broken = VerifyResult.broken(checked, Math.min(expectedSeq, e.seq()), gap(expectedSeq, e.seq()));
                return false;
            }
            if (!expectedHash(e).equals(e.hash())) {
                broken = VerifyResult.broken(checked, e.seq(),
                        "entry " + e.seq() + " was edited: its hash does not match its content");
                return false;
            }
            String expectedPrev = previous == null ? AuditEntry.GENESIS : previous.hash();
            if (!expectedPrev.equals(e.prevHash())) {
                broken = VerifyResult.broken(checked, e.seq(), previous == null
                        ? "entry 1 does not start the chain: its previous hash is not 64 zeros"
                        : "entry " + e.seq() + " does not chain to entry " + previous.seq());
                return false;
            }
            previous = e;
            return true;
        }

        private String gap(long expectedSeq, long seq) {
            if (seq < expectedSeq) {
                // Cannot happen with the primary key on seq, but an export may be reordered.
                return "entry " + seq + " is out of order: it follows entry " + previous.seq();
            }
            String missing = seq - expectedSeq == 1
                    ? "entry " + expectedSeq + " is missing"
                    : "entries " + expectedSeq + " to " + (seq - 1) + " are missing";
            return missing + (previous == null
                    ? ": the log starts at entry " + seq
                    : ": entry " + seq + " follows entry " + previous.seq());
        }

        VerifyResult result() {
            if (broken != null) {
                return broken;
            }
            if (previous == null) {
                return VerifyResult.intact(0, "the log is empty");
            }
            return VerifyResult.intact(checked, checked + " entries, chained from entry 1 to entry " + previous.seq());
        }
    }
}
