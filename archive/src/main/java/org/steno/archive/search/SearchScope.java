package org.steno.archive.search;

import java.util.Set;

/**
 * Which meetings a search may see: all of them (auditors, administrators) or a given set (an
 * agent's: those they own, hosted or attended). Applied inside the Lucene query, so totals,
 * facets and pages never count a meeting outside the scope.
 */
public record SearchScope(boolean everything, Set<String> meetings) {

    public SearchScope {
        meetings = Set.copyOf(meetings);
    }

    public static SearchScope all() {
        return new SearchScope(true, Set.of());
    }

    public static SearchScope only(Set<String> meetings) {
        return new SearchScope(false, meetings);
    }

    @Override
    public String toString() {
        return everything ? "every meeting" : meetings.size() + " meeting(s)";
    }
}
