package org.steno.identity;

/** What the access check answered. Stored by name, so renaming a constant breaks every stored hash. */
public enum Outcome {
    ALLOWED,
    DENIED
}
