package dev.apistep.step;

/**
 * {@code step.auth}: how the request proves who calls. Every string is a template. Code that treats each
 * kind differently implements {@link Cases}, so a new kind fails to compile until every such place handles it.
 */
public sealed interface Auth {

    /** One method per kind of auth. */
    interface Cases<R> {
        R basic(Basic basic);

        R bearer(Bearer bearer);

        R apiKey(ApiKey apiKey);

        R oauth2(OAuth2 oauth2);
    }

    <R> R match(Cases<R> cases);

    record Basic(String username, String password) implements Auth {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.basic(this);
        }
    }

    record Bearer(String token) implements Auth {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.bearer(this);
        }
    }

    record ApiKey(Placement in, String name, String value) implements Auth {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.apiKey(this);
        }
    }

    /** OAuth2 client credentials: a token is fetched from {@code tokenUrl}; scope and audience may be null. */
    record OAuth2(String tokenUrl, String clientId, String clientSecret, String scope, String audience) implements Auth {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.oauth2(this);
        }
    }

    enum Placement {
        HEADER, QUERY
    }
}
