package dev.coffer.api;

/** Which key shares a rekey replaces: the unseal keys (barrier) or an auto seal's recovery keys. */
public enum RekeyTarget {
    BARRIER("sys/rekey"),
    RECOVERY("sys/rekey-recovery-key");

    private final String pathPrefix;

    RekeyTarget(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    String path(String operation) {
        return pathPrefix + "/" + operation;
    }
}
