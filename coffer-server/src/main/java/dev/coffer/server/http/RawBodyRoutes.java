package dev.coffer.server.http;

import java.util.Set;

/**
 * Routes whose request body is binary (a snapshot archive to restore): the transport hands the handler the
 * body as a stream instead of parsing JSON, and does not apply {@code max_request_size}, because a snapshot
 * holds the whole vault. The restore spools it to a temp file and verifies it before anything changes, so an
 * oversized or bogus upload costs disk in the temp directory, never memory or data.
 */
final class RawBodyRoutes {
    static final Set<String> PATHS = Set.of("sys/storage/raft/snapshot", "sys/storage/raft/snapshot-force",
            "sys/storage/snapshot", "sys/storage/snapshot-force");

    private RawBodyRoutes() {
    }

    /** True for a PUT/POST to one of the binary routes (a GET there is a save and has no body). */
    static boolean takesRawBody(String operation, String path) {
        return "PUT".equals(operation) && PATHS.contains(path);
    }
}
