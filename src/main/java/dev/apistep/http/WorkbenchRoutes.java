package dev.apistep.http;

import dev.apistep.pipeline.StepConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The workbench page ({@code GET /workbench/}), only when {@code api-step.workbench.enabled}: a flow author
 * composes a step, sends it and picks captures from the response. The page calls the same {@code POST /}
 * as every caller, so its steps meet the same destination rules, limits and masking. Its files live in
 * {@code src/main/resources/workbench/}, not {@code META-INF/resources}, which Quarkus would serve even when
 * the page is off.
 */
@Singleton
public class WorkbenchRoutes {

    private static final String BASE = "/workbench/";

    /** Every file the page has, with its type: nothing else under the base path is served. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "workbench.css", "text/css; charset=utf-8",
            "main.js", "text/javascript; charset=utf-8",
            "step-form.js", "text/javascript; charset=utf-8",
            "rows.js", "text/javascript; charset=utf-8",
            "tree.js", "text/javascript; charset=utf-8",
            "result.js", "text/javascript; charset=utf-8",
            "tool-panel.js", "text/javascript; charset=utf-8");

    /**
     * Only the page's own files, and nothing inline: an API's answer shown in the page can never run as
     * script or style, and no other site can frame it.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final boolean enabled;

    public WorkbenchRoutes(StepConfig config) {
        this.enabled = config.workbench().enabled();
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return;
        }
        Map<String, Buffer> contents = new HashMap<>();
        FILES.keySet().forEach(name -> contents.put(name, Buffer.buffer(read(name))));
        // Vert.x matches this route for /workbench too, where the page's relative links would miss its files.
        router.get(BASE).handler(request -> {
            if (request.request().path().endsWith("/")) {
                serve(request, "index.html", contents);
            } else {
                request.response().setStatusCode(301).putHeader("Location", BASE).end();
            }
        });
        router.get(BASE + ":file").handler(request -> serve(request, request.pathParam("file"), contents));
    }

    private static void serve(RoutingContext request, String name, Map<String, Buffer> contents) {
        Buffer content = contents.get(name);
        if (content == null) {
            request.next();
            return;
        }
        request.response()
                .putHeader("Content-Type", FILES.get(name))
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                // Fetched again on each load, so a new build (or a file edited in dev mode) shows at once.
                .putHeader("Cache-Control", "no-cache")
                .end(content);
    }

    private static byte[] read(String name) {
        try (InputStream file = WorkbenchRoutes.class.getClassLoader().getResourceAsStream("workbench/" + name)) {
            if (file == null) {
                throw new IllegalStateException("the workbench file " + name + " is missing from the build");
            }
            return file.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
