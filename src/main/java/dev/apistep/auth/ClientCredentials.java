package dev.apistep.auth;

import dev.apistep.exchange.UsedSecrets;
import java.net.URI;
import java.util.Objects;

/** An OAuth2 client-credentials grant, rendered: where to get a token and as whom. */
public record ClientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope, String audience,
        UsedSecrets secrets) {

    public ClientCredentials {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ClientCredentials[tokenUrl=" + tokenUrl.getHost() + ", clientId=" + clientId + "]";
    }
}
