package org.steno.pipeline.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enumerator's checkpoint: meetings already handed to a reader (meeting → transcript id),
 * meetings whose captions ended (not to be picked up again until captions are turned off
 * and on), and splits discovered but not yet assigned.
 */
public record DiscoveryState(Map<String, String> assigned, Map<String, String> finished, List<MeetingSplit> pending) {

    public static DiscoveryState empty() {
        return new DiscoveryState(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    }
}
