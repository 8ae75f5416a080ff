package dev.apistep.state;

import dev.apistep.core.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Redis or Valkey ({@code API_STEP_REDIS_URL}, redis:// or rediss://), through the Vert.x Redis client. Each
 * operation that reads and writes is one Lua script, run atomically by the server, so that instances never
 * double-spend an allowance or both claim a key; the bucket's clock is the server's ({@code TIME}), so
 * instances' clocks do not matter. Keys start with {@code api-step:}.
 * <p>
 * The store is the operator's, not a step's destination: its connections do not pass the connect-time
 * destination check (egress/ConnectTimeGuard, installed in every Vert.x instance of the process), which would
 * refuse a store at a private address. So the client runs on its own small Vert.x instance with Vert.x' plain
 * transport, which no step's request ever uses.
 */
public final class RedisStore implements SharedStore {

    static final String PREFIX = "api-step:";

    /** A token bucket: KEYS[1] the bucket, ARGV[1] the allowance per minute. 1 when a call was taken. */
    static final String ACQUIRE = """
            local cap = tonumber(ARGV[1])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(b[1]) or cap
            local at = tonumber(b[2]) or now
            tokens = math.min(cap, tokens + math.max(0, now - at) * cap / 60000)
            local taken = 0
            if tokens >= 1 then
              tokens = tokens - 1
              taken = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 60000)
            return taken
            """;

    /** KEYS[1] the record, ARGV[1] this run's token, ARGV[2] the running mark's lifetime (ms). Nil when claimed. */
    static final String CLAIM = """
            local found = redis.call('GET', KEYS[1])
            if found then
              return found
            end
            redis.call('SET', KEYS[1], 'R:' .. ARGV[1], 'PX', ARGV[2])
            return false
            """;

    /** KEYS[1] the record, ARGV[1] the token, ARGV[2] the result, ARGV[3] its lifetime (ms). */
    static final String COMPLETE = """
            if redis.call('GET', KEYS[1]) == 'R:' .. ARGV[1] then
              redis.call('SET', KEYS[1], 'D:' .. ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0
            """;

    /** KEYS[1] the record, ARGV[1] the token. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == 'R:' .. ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """;

    /** KEYS[1] the list, ARGV[1] the run, ARGV[2] how many to keep, ARGV[3] the list's lifetime (ms). */
    static final String RECORD = """
            redis.call('LPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RedisStore.class);

    private final Vertx vertx;
    /** Replaced after a call times out (see {@link #replaceAfterTimeout}). */
    private volatile Redis redis;
    private final RedisOptions options;
    private final java.util.concurrent.atomic.AtomicLong replacedAt = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - REPLACE_AT_MOST_EVERY_NANOS);
    private static final long REPLACE_AT_MOST_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    public RedisStore(String url, Duration connectTimeout) {
        this.vertx = storeVertx();
        this.options = new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(16).setMaxPoolWaiting(256).setPoolRecycleTimeout(30_000)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) connectTimeout.toMillis())
                        .setTcpKeepAlive(true).setTcpNoDelay(true));
        this.redis = Redis.createClient(vertx, options);
        warm(connectTimeout);
    }

    /**
     * At start (Lambda's init phase, a pod's start), not in a step's store budget: the first connection and the
     * scripts' first load. A store that does not answer yet is not fatal: the steps' calls retry the connection.
     */
    private void warm(Duration connectTimeout) {
        long timeoutMs = Math.max(2_000, connectTimeout.toMillis() * 4);
        try {
            await(redis.send(Request.cmd(Command.PING)), timeoutMs);
            for (String script : List.of(ACQUIRE, CLAIM, COMPLETE, RELEASE, RECORD)) {
                await(redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)), timeoutMs);
            }
        } catch (StoreUnavailableException notYet) {
            LOG.warnf("the redis store did not answer at start (%s); steps will try again", notYet.getMessage());
        }
    }

    @Override
    public boolean tryAcquire(String key, int perMinute, long timeoutMs) {
        Response taken = eval(ACQUIRE, PREFIX + "rl:" + key, timeoutMs, Integer.toString(perMinute));
        return taken != null && taken.toInteger() == 1;
    }

    @Override
    public Claim claim(String key, String token, Duration running, long timeoutMs) {
        Response found = eval(CLAIM, PREFIX + "idem:" + key, timeoutMs, token,
                Long.toString(Math.max(1, running.toMillis())));
        if (found == null) {
            return Claim.CLAIMED;
        }
        String value = found.toString();
        return value.startsWith("D:") ? Claim.result(value.substring(2)) : Claim.RUNNING;
    }

    @Override
    public void complete(String key, String token, String result, Duration keep, long timeoutMs) {
        eval(COMPLETE, PREFIX + "idem:" + key, timeoutMs, token, result, Long.toString(keep.toMillis()));
    }

    @Override
    public void release(String key, String token, long timeoutMs) {
        eval(RELEASE, PREFIX + "idem:" + key, timeoutMs, token);
    }

    @Override
    public void record(String key, String run, int keep, Duration ttl, long timeoutMs) {
        eval(RECORD, PREFIX + "runs:" + key, timeoutMs, run, Integer.toString(keep), Long.toString(ttl.toMillis()));
    }

    @Override
    public List<String> runs(String key, long timeoutMs) {
        Response list = await(redis.send(Request.cmd(Command.LRANGE).arg(PREFIX + "runs:" + key).arg(0).arg(-1)),
                timeoutMs);
        List<String> runs = new ArrayList<>();
        if (list != null) {
            list.forEach(run -> runs.add(run.toString()));
        }
        return runs;
    }

    private Response eval(String script, String key, long timeoutMs, String... args) {
        Request request = Request.cmd(Command.EVAL).arg(script).arg(1).arg(key);
        for (String arg : args) {
            request.arg(arg);
        }
        return await(redis.send(request), timeoutMs);
    }

    private Response await(Future<Response> pending, long timeoutMs) {
        try {
            return pending.toCompletionStage().toCompletableFuture().get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", interrupted);
        } catch (ExecutionException failed) {
            throw new StoreUnavailableException("redis: " + failed.getCause().getClass().getSimpleName(), failed.getCause());
        } catch (TimeoutException slow) {
            replaceAfterTimeout();
            throw new StoreUnavailableException("redis: no answer within " + timeoutMs + " ms", slow);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    /**
     * A connection that stops answering without closing (a network partition, a NAT that forgot it, a Lambda
     * instance restored from a SnapStart snapshot) would time out every call routed to it until TCP gives up,
     * minutes later. So after a timeout the client, with its pooled connections, is replaced (at most once a
     * second): the next call connects afresh. Calls still waiting on the old client fail at once.
     */
    private void replaceAfterTimeout() {
        long last = replacedAt.get();
        long now = System.nanoTime();
        if (now - last >= REPLACE_AT_MOST_EVERY_NANOS && replacedAt.compareAndSet(last, now)) {
            Redis stale = redis;
            redis = Redis.createClient(vertx, options);
            stale.close();
        }
    }

    /** One event loop, Vert.x' own transport (see the class comment); Vert.x 4 internals, as the guard's. */
    private static Vertx storeVertx() {
        VertxBuilder builder = new VertxBuilder(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)).init();
        return builder.findTransport(new JDKTransport()).vertx();
    }

    @Override
    public void close() {
        redis.close();
        vertx.close();
    }
}
