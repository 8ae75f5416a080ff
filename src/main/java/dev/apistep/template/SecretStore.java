package dev.apistep.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Resolves {@code {secret:NAME}} for the function, never for the caller. First the environment variable
 * {@code API_STEP_SECRET_<NAME>} (only that prefix: a flow can never read the function's own credentials
 * from its environment); then AWS Secrets Manager ({@code NAME} as the secret id) or, for
 * {@code ssm:/path}, SSM Parameter Store, through the AWS Parameters and Secrets Lambda Extension's
 * local HTTP endpoint, cached for a TTL. A secret that cannot be had fails the step: it is never left
 * as written.
 * <p>
 * The extension listens on the function's own loopback, which the step egress refuses by design, so it is
 * reached with the JDK's HTTP client, not the step's.
 */
public final class SecretStore {

    public static final String ENVIRONMENT_PREFIX = "API_STEP_SECRET_";
    /** Bounds one lookup: the extension answers from its own cache or one AWS call. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    /** Where secrets may come from; {@code extension} is empty when the extension is not configured. */
    public record Sources(UnaryOperator<String> environment, Optional<URI> extension, Duration ttl) {
    }

    private record Cached(String value, long expiresAtMillis) {
    }

    /** A setting's value that names a secret instead of holding it: {@code {secret:NAME}} alone. */
    private static final Pattern REFERENCE = Pattern.compile("\\{secret:((?:ssm:)?[A-Za-z0-9_./@+=-]+)}");

    private final Sources sources;
    private final ObjectMapper mapper;
    /** The environment keys of secrets only the operator's settings read (caller tokens): never a step's. */
    private final Set<String> operatorOnly;
    /**
     * Built on the first lookup through the extension, not at start-up: the JDK client sets up the default
     * TLS context (trust anchors, providers) and a selector thread, a few hundred ms of a cold start that
     * steps without {@code {secret:…}} references to Secrets Manager or SSM never need.
     */
    private volatile HttpClient client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SecretStore(Sources sources, ObjectMapper mapper) {
        this(sources, mapper, Set.of());
    }

    /**
     * {@code operatorOnly}: secrets that steps may not read, such as the table of caller tokens: a step that names one
     * fails as for a secret that does not exist (any spelling that maps to the same environment key included).
     */
    public SecretStore(Sources sources, ObjectMapper mapper, Set<String> operatorOnly) {
        this.sources = sources;
        this.mapper = mapper;
        this.operatorOnly = operatorOnly.stream().map(SecretStore::environmentKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The secret {@code setting} names when it is a reference {@code {secret:NAME}}, else empty (the value itself). */
    public static Optional<String> reference(String setting) {
        Matcher reference = REFERENCE.matcher(setting.trim());
        return reference.matches() ? Optional.of(reference.group(1)) : Optional.empty();
    }

    /** Whether the extension's client has been built (for tests: only a lookup through the extension builds it). */
    boolean clientBuilt() {
        return client != null;
    }

    private HttpClient client() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(LOOKUP_TIMEOUT)
                            .build();
                    client = built;
                }
            }
        }
        return built;
    }

    public String resolve(String name) {
        if (operatorOnly.contains(environmentKey(name))) {
            throw unavailable(name);
        }
        boolean parameter = name.startsWith("ssm:");
        if (!parameter) {
            String fromEnvironment = sources.environment().apply(ENVIRONMENT_PREFIX + environmentKey(name));
            if (fromEnvironment != null) {
                return fromEnvironment;
            }
        }
        Cached cached = cache.get(name);
        if (cached != null && cached.expiresAtMillis() > System.currentTimeMillis()) {
            return cached.value();
        }
        String value = fromExtension(name, parameter).orElseThrow(() -> unavailable(name));
        cache.put(name, new Cached(value, System.currentTimeMillis() + sources.ttl().toMillis()));
        return value;
    }

    private Optional<String> fromExtension(String name, boolean parameter) {
        String session = sources.environment().apply("AWS_SESSION_TOKEN");
        if (sources.extension().isEmpty() || session == null) {
            return Optional.empty();
        }
        String path = parameter
                ? "/systemsmanager/parameters/get?withDecryption=true&name=" + encode(name.substring("ssm:".length()))
                : "/secretsmanager/get?secretId=" + encode(name);
        HttpRequest request = HttpRequest.newBuilder(sources.extension().get().resolve(path))
                .timeout(LOOKUP_TIMEOUT).header("X-Aws-Parameters-Secrets-Token", session).GET().build();
        try {
            HttpResponse<byte[]> response = client().send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode answer = mapper.readTree(response.body());
            JsonNode value = parameter ? answer.path("Parameter").path("Value") : answer.path("SecretString");
            return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
        } catch (IOException unreachable) {
            return Optional.empty();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static StepFailure unavailable(String name) {
        return new StepFailure(ErrorCode.UNRESOLVED_VARIABLE, null, "secret '" + name + "' is not available to this function");
    }

    /** {@code crm-token} is read from {@code API_STEP_SECRET_CRM_TOKEN}. */
    static String environmentKey(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
