package org.steno.access;

/** What a caller wants to do. Coarse on purpose: policies reason about these, not about URLs. */
public enum Action {
    /** Read something public-ish: the app shell, a meeting's lobby page. */
    VIEW,
    /** Sign in or out (local password or the identity provider's code flow). */
    SIGN_IN,
    /** Liveness, readiness, metrics, gRPC health. */
    OBSERVE,
    /** gRPC reflection: the internal services' schema, for operators' tools. */
    INSPECT_SERVICES,
    CREATE_MEETING,
    JOIN_MEETING,
    /** Host controls: the lobby, lock, mute or remove others, co-hosts, end the meeting. */
    HOST_MEETING,
    /** The owner's settings of a meeting: title, access level, co-hosts and invitations. */
    MANAGE_MEETING,
    /** A signed-in person's own list of meetings (owned, co-hosted, invited to, attended). */
    LIST_MY_MEETINGS,
    CONTROL_RECORDING,
    CONTROL_CAPTIONS,
    /** Read live media or captions of a meeting (MediaTap, caption WebSocket). */
    SUBSCRIBE_MEDIA,
    /** Push media or captions into a meeting (MediaIngest, CaptionIngest): internal services. */
    INGEST,
    /** Run a speech model (Transcriber, Diarizer). */
    USE_MODELS,
    DOWNLOAD,
    /** One ZIP of a meeting's whole archive with a manifest of SHA-256 sums, for a third party. */
    EXPORT_EVIDENCE,
    SEARCH_ARCHIVE,
    /** Place or release a legal hold on a meeting's archive (it stops every deletion). */
    LEGAL_HOLD,
    /** Set how long the archive keeps recordings and transcripts: the platform's periods, or a meeting's own. */
    SET_RETENTION,
    /** Read or export the audit log. */
    READ_AUDIT,
    /** Manage accounts and roles. */
    ADMINISTER
}
