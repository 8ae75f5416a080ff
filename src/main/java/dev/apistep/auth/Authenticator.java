package dev.apistep.auth;

import dev.apistep.core.Deadline;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.resilience.Attempts;
import dev.apistep.step.Auth;
import dev.apistep.template.RequestRenderer;
import dev.apistep.template.TemplateRenderer;
import dev.apistep.template.UrlRenderer;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The auth stage. When the step is rendered, basic, bearer and API-key credentials go into their header
 * (replacing one the step wrote by hand) or query parameter, and OAuth2 client credentials are rendered
 * for the token endpoint. When the step sends, the OAuth2 token is added (cached across invocations);
 * a 401 to a cached token renews it once and sends again.
 */
public final class Authenticator {

    /** The request with the step's credentials, and the OAuth2 client credentials when the step has them (else null). */
    public record Authenticated(OutboundRequest request, ClientCredentials credentials) {
    }

    /** The request as finally sent (with its token, if any) and what its attempts gave. */
    public record Exchanged(OutboundRequest request, Attempts attempts) {
    }

    private final OAuth2Tokens tokens;

    public Authenticator(OAuth2Tokens tokens) {
        this.tokens = tokens;
    }

    /**
     * {@code templates}: a renderer of this step's templates used for nothing else, so that the secrets it
     * resolves are the auth's own (the OAuth2 client secret goes to the token endpoint, not to the API).
     */
    public Authenticated render(Auth auth, OutboundRequest request, TemplateRenderer templates) {
        if (auth == null) {
            return new Authenticated(request, null);
        }
        return auth.match(new Auth.Cases<>() {
            @Override
            public Authenticated basic(Auth.Basic basic) {
                String credentials = templates.text(basic.username(), "step.auth.username") + ":"
                        + templates.text(basic.password(), "step.auth.password");
                return signed(request.withReplacedHeader("Authorization", RequestRenderer.basicHeader(credentials)));
            }

            @Override
            public Authenticated bearer(Auth.Bearer bearer) {
                return signed(request.withReplacedHeader("Authorization",
                        "Bearer " + templates.text(bearer.token(), "step.auth.token")));
            }

            @Override
            public Authenticated apiKey(Auth.ApiKey apiKey) {
                String name = templates.text(apiKey.name(), "step.auth.name");
                String value = templates.text(apiKey.value(), "step.auth.value");
                return signed(apiKey.in() == Auth.Placement.QUERY
                        ? request.withUri(UrlRenderer.withParameter(request.uri(), name, value))
                        : request.withReplacedHeader(name, value));
            }

            @Override
            public Authenticated oauth2(Auth.OAuth2 oauth2) {
                return new Authenticated(request, new ClientCredentials(
                        new UrlRenderer(templates, "step.auth.tokenUrl").render(oauth2.tokenUrl(), List.of()),
                        templates.text(oauth2.clientId(), "step.auth.clientId"),
                        templates.text(oauth2.clientSecret(), "step.auth.clientSecret"),
                        optional(oauth2.scope(), "step.auth.scope"),
                        optional(oauth2.audience(), "step.auth.audience"),
                        templates.usedSecrets()));
            }

            private Authenticated signed(OutboundRequest withCredentials) {
                return new Authenticated(withCredentials.withSecrets(templates.usedSecrets()), null);
            }

            private String optional(String template, String field) {
                return template == null ? null : templates.text(template, field);
            }
        });
    }

    /** Sends {@code request}, with the OAuth2 token when there are client credentials. */
    public Exchanged send(OutboundRequest request, ClientCredentials credentials, Deadline deadline, Warnings warnings,
            Function<OutboundRequest, Attempts> send) {
        if (credentials == null) {
            return new Exchanged(request, send.apply(request));
        }
        OAuth2Tokens.Authorized authorized = tokens.authorize(request, credentials, deadline, warnings, false);
        Attempts attempts = send.apply(authorized.request());
        if (!authorized.cached() || attempts.response() == null || attempts.response().status() != 401) {
            return new Exchanged(authorized.request(), attempts);
        }
        OutboundRequest renewed = tokens.authorize(request, credentials, deadline, warnings, true).request();
        return new Exchanged(renewed, attempts.then(send.apply(renewed)));
    }

    /** Header or parameter names the step's auth puts a secret in, to be masked wherever they show. */
    public static Set<String> secretNames(Auth auth) {
        return auth instanceof Auth.ApiKey apiKey ? Set.of(apiKey.name()) : Set.of();
    }
}
