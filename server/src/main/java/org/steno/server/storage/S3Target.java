package org.steno.server.storage;

import java.net.URI;

/** Where storage is and how to sign requests to it: all a module needs to build an S3 client. */
public record S3Target(URI endpoint, String region, String accessKey, String secretKey, String bucket) {

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Target[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
    }
}
