package dev.nuvola.kit.security;

/**
 * The platform's roles, as the {@code groups} claim of a bearer JWT carries them. An operator may also read:
 * reads allow both roles, so an operator's token works everywhere.
 */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
