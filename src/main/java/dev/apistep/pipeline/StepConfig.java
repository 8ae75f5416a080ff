package dev.apistep.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Operator settings, read once at the edge and handed to the stages as plain values. */
@ConfigMapping(prefix = "api-step")
public interface StepConfig {

    /**
     * Hosts, addresses and CIDR blocks exempt from the destination check; from the environment variable
     * {@code API_STEP_ALLOWED_DESTINATIONS} (comma-separated). Empty by default: only public addresses.
     */
    Optional<List<String>> allowedDestinations();

    /**
     * Which hosts a secret may be sent to: {@code name=host,*.domain;other=host}, from the environment
     * variable {@code API_STEP_BOUND_SECRETS}. Unbound secrets are not restricted.
     */
    Optional<String> boundSecrets();

    /**
     * Who may call over HTTP (contract §11; the README's "Who may call"): {@code API_STEP_CALLERS}, a JSON object
     * {@code {"<token>": "<tenant id>" | "*"}} of bearer tokens, given as is or as a {@code {secret:NAME}} reference.
     * Without it (and without a webhook secret) container mode and a Function URL with auth NONE admit no one.
     */
    Optional<String> callers();

    /**
     * Who may use the MCP server at {@code /mcp} (container mode, contract §8; the README's "MCP"):
     * {@code API_STEP_MCP_TOKENS}, a JSON object {@code {"<token>": "<tenant id>"}} of bearer tokens, given as is or as a
     * {@code {secret:NAME}} reference; a tool call runs as its token's tenant. Without it {@code /mcp} answers 404.
     */
    Optional<String> mcpTokens();

    /**
     * The tools this deployment ships (contract §8): {@code API_STEP_CATALOG}, a directory of entry files or one
     * {@code {"entries": [...]}} file. Read and checked at start.
     */
    Optional<java.nio.file.Path> catalog();

    /** {@code API_STEP_ANONYMOUS_CALLERS=true}: admit HTTP requests without a credential (said at start and per step). */
    @WithDefault("false")
    boolean anonymousCallers();

    /** Standard Webhooks signatures: see the README's "Triggers". */
    Webhook webhook();

    interface Webhook {
        /**
         * The shared secret ({@code whsec_...}, from {@code API_STEP_WEBHOOK_SECRET}): signs callbacks and,
         * when set, is required on every Function URL / API Gateway request.
         */
        Optional<String> secret();

        /** How old (or how far ahead) a signed request's timestamp may be; older ones are replays. */
        @WithDefault("5m")
        Duration tolerance();
    }

    /** Where {@code {secret:NAME}} comes from besides {@code API_STEP_SECRET_*} environment variables. */
    Secrets secrets();

    interface Secrets {
        /**
         * The AWS Parameters and Secrets Lambda Extension: its documented local port inside Lambda, unless
         * Lambda's configuration moved it.
         */
        @WithDefault("http://localhost:${PARAMETERS_SECRETS_EXTENSION_HTTP_PORT:2773}")
        URI extensionUrl();

        /** How long a secret read through the extension is reused. */
        @WithDefault("5m")
        Duration ttl();
    }

    /** Steps that send, per minute, per function instance; 0 turns a limit off. */
    RateLimit rateLimit();

    interface RateLimit {
        /** Per {@code context.tenantId}. */
        @WithDefault("600")
        int perTenantPerMinute();

        /** Per destination (scheme, host, port), whoever calls it. */
        @WithDefault("1200")
        int perDestinationPerMinute();
    }

    /**
     * Where state shared across instances is kept (contract §6; the README's "Shared state"): {@code memory}
     * (this instance only), {@code redis} ({@code API_STEP_REDIS_URL}) or {@code dynamodb}
     * ({@code API_STEP_DYNAMODB_TABLE}). Only the chosen store's client is created.
     */
    @WithDefault("memory")
    StateStore state();

    enum StateStore {
        MEMORY, REDIS, DYNAMODB
    }

    /** How long one call to the store may take (never past the step's deadline); then it counts as unreachable. */
    @WithDefault("300ms")
    Duration stateTimeout();

    /** The Redis or Valkey store. */
    Redis redis();

    interface Redis {
        /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS); never logged. */
        Optional<String> url();
    }

    /** The DynamoDB store. */
    Dynamodb dynamodb();

    interface Dynamodb {
        /** A table with the String partition key {@code pk} and the TTL attribute {@code expiresAt}. */
        Optional<String> table();
    }

    /** Idempotent delivery: a key's result is replayed for this long. */
    Idempotency idempotency();

    interface Idempotency {
        @WithDefault("24h")
        Duration ttl();
    }

    /** Recent runs per (tenant, step id), returned by {@code mode: history}. */
    History history();

    interface History {
        /** Off by default: the runs hold (masked) requests and responses. */
        @WithDefault("false")
        boolean enabled();

        /** How long a step's runs are kept after its latest. */
        @WithDefault("7d")
        Duration ttl();
    }

    /** One breaker per destination; see the README's "Circuit breakers". */
    CircuitBreaker circuitBreaker();

    interface CircuitBreaker {
        /** Calls in the rolling window that is judged. */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** The share of failed calls in that window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker refuses calls before one trial call. */
        @WithDefault("30s")
        Duration delay();

        /** Successful trial calls that close it again. */
        @WithDefault("1")
        int successThreshold();
    }

    /** The per-step metrics written into the log line (CloudWatch embedded metric format). */
    Metrics metrics();

    interface Metrics {
        /** The CloudWatch namespace. */
        @WithDefault("ApiStep")
        String namespace();

        /** The {@code service} dimension: the Lambda function's name, so each deployment has its own metrics. */
        @WithDefault("${AWS_LAMBDA_FUNCTION_NAME:api-step}")
        String service();
    }

    /** X-Ray trace propagation to the step's call. */
    Tracing tracing();

    interface Tracing {
        /** Send the invocation's {@code X-Amzn-Trace-Id} with the step's request when the invocation is traced. */
        @WithDefault("true")
        boolean propagate();
    }

    /** Container mode (the HTTP binding). */
    Http http();

    interface Http {
        /**
         * Steps one instance runs at once; a step event past this is answered at once with 503 and
         * {@code Retry-After}, never queued.
         */
        @WithDefault("64")
        int maxConcurrentSteps();
    }

    /** Container mode's workbench page ({@code /workbench/}), where a flow author tries a step by hand. */
    Workbench workbench();

    interface Workbench {
        /** Off by default: a tool for development and staging, not for the instances bots call. */
        @WithDefault("false")
        boolean enabled();
    }
}
