package dev.coffer.logical;

/**
 * What a request does, in Vault's terms. HTTP GET is READ (or LIST with {@code ?list=true} / the LIST verb),
 * PUT and POST are CREATE or UPDATE (decided by the engine's existence check), DELETE and PATCH map directly.
 * Each operation needs the ACL capability of the same name.
 */
public enum Operation {
    READ("read"), CREATE("create"), UPDATE("update"), PATCH("patch"), DELETE("delete"), LIST("list");

    private final String capability;

    Operation(String capability) {
        this.capability = capability;
    }

    /** The policy capability this operation needs. */
    public String capability() {
        return capability;
    }
}
