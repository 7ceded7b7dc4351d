package org.steno.identity;

import java.util.OptionalLong;

/**
 * The outcome of checking the chain.
 *
 * @param ok          true when every entry read is intact and linked to the one before
 * @param checked     how many entries were read (up to and including the first broken one)
 * @param firstBroken the seq of the first entry found missing, edited or unchained
 * @param message     one sentence: what is intact, or what is wrong and where
 */
public record VerifyResult(boolean ok, long checked, OptionalLong firstBroken, String message) {

    static VerifyResult intact(long checked, String message) {
        return new VerifyResult(true, checked, OptionalLong.empty(), message);
    }

    static VerifyResult broken(long checked, long seq, String message) {
        return new VerifyResult(false, checked, OptionalLong.of(seq), message);
    }
}
