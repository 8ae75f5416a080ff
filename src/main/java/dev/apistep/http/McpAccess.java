package dev.apistep.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.function.TokenTable;
import dev.apistep.pipeline.PipelineProducer;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.template.SecretStore;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who may use the MCP server (contract §8), checked before the MCP extension's routes and before a byte of the body
 * is read: nothing at {@code /mcp} without {@code API_STEP_MCP_TOKENS} (404); a request that carries an {@code Origin}
 * (a browser's, which a DNS-rebinding page can aim at this port) is refused (403); otherwise a bearer token from the
 * table is required (401 with {@code WWW-Authenticate: Bearer}), and the request carries its token's tenant to the
 * tool call ({@link #tenantOf}). The extension's legacy SSE endpoints under {@code /mcp/} are not served (404): only
 * the Streamable HTTP endpoint is.
 */
@Singleton
public class McpAccess {

    static final String PATH = "/mcp";
    static final String REFUSED_BODY = "{\"error\":\"a bearer token from API_STEP_MCP_TOKENS is required\"}";
    static final String ORIGIN_BODY = "{\"error\":\"requests from a browser origin are refused (DNS-rebinding protection)\"}";
    /** The tenant of an admitted request's token. */
    private static final String TENANT = "api-step.mcp-tenant";
    /** Before the body handler (so before the extension's routes and StepRoutes' caller check). */
    private static final int FIRST = RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1;

    private final TokenTable tokens;

    public McpAccess(StepConfig config, ObjectMapper mapper) {
        // Its own secret store: the steps' one refuses this secret (PipelineProducer).
        this.tokens = new TokenTable("API_STEP_MCP_TOKENS", config.mcpTokens(), false,
                new SecretStore(PipelineProducer.secretSources(config), mapper), mapper);
    }

    /** Whether MCP is on: the operator gave a token table. */
    boolean enabled() {
        return tokens.configured();
    }

    /** Whether {@code path} is under the MCP root, which this class admits to and {@link StepRoutes}' check leaves alone. */
    static boolean covers(String path) {
        return path != null && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    /** The tenant an admitted request acts for. */
    static String tenantOf(RoutingContext request) {
        return request.get(TENANT);
    }

    void install(@Observes Router router) {
        router.routeWithRegex("^" + PATH + "(/.*)?$").order(FIRST).handler(this::admit);
    }

    private void admit(RoutingContext request) {
        String path = request.normalizedPath();
        if (!enabled() || !(path.equals(PATH) || path.equals(PATH + "/"))) {
            request.response().setStatusCode(404).end();
            return;
        }
        if (request.request().getHeader("Origin") != null) {
            answer(request, 403, ORIGIN_BODY);
            return;
        }
        Optional<String> tenant = tokens.tenantOf(request.request().getHeader("Authorization"));
        if (tenant.isEmpty()) {
            request.response().putHeader("WWW-Authenticate", "Bearer");
            answer(request, 401, REFUSED_BODY);
            return;
        }
        request.put(TENANT, tenant.get());
        request.next();
    }

    private static void answer(RoutingContext request, int status, String json) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }
}
