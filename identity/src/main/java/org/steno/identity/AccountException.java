package org.steno.identity;

/**
 * A request about an account cannot be carried out as asked (a taken username, a too short
 * password, an unknown account). The message is one sentence meant for the person who asked:
 * the admin page or the sign-up form shows it as it is.
 */
public final class AccountException extends RuntimeException {
    public AccountException(String sentence) {
        super(sentence);
    }
}
