package org.steno.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test twice, as {@code [h2]} and {@code [postgresql]}, each time with a fresh empty
 * database handed in as a {@link TestDatabase} parameter (also to {@code @BeforeEach} methods).
 * See {@link TestDatabases} for where the PostgreSQL comes from and when it is skipped.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(TestDatabases.class)
@interface OnBothDatabases {
}
