package dev.apistep.step;

/** {@code step.auth}: how the request proves who calls. Every string is a template. */
public sealed interface Auth {

    record Basic(String username, String password) implements Auth {
    }

    record Bearer(String token) implements Auth {
    }

    record ApiKey(Placement in, String name, String value) implements Auth {
    }

    /** OAuth2 client credentials: a token is fetched from {@code tokenUrl}; scope and audience may be null. */
    record OAuth2(String tokenUrl, String clientId, String clientSecret, String scope, String audience) implements Auth {
    }

    enum Placement {
        HEADER, QUERY
    }
}
