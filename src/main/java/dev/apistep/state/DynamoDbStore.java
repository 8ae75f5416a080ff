package dev.apistep.state;

import dev.apistep.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * DynamoDB ({@code API_STEP_DYNAMODB_TABLE}): a table with the String partition key {@code pk} and the TTL
 * attribute {@code expiresAt} (epoch seconds). Every write is one conditional request, so instances never
 * double-spend or both claim a key; DynamoDB deletes expired items late (hours), so every read and condition
 * treats an item past {@code expiresAt} as absent. AWS SDK v2 with the URL-connection HTTP client; region,
 * credentials and endpoint come from the SDK's standard settings ({@code AWS_REGION}, the function's role,
 * {@code AWS_ENDPOINT_URL_DYNAMODB}).
 * <p>
 * Rate limits are token buckets, as in memory and Redis, kept in one item per key as the instant the bucket is
 * full again ({@code fullAt}, epoch nanoseconds; the generic cell rate algorithm): a call moves it one interval
 * ({@code 1 min / allowance}) on, and is admitted while it stays within one minute of now. That takes only
 * additions and comparisons, so a call is one conditional update (at most three, see {@link #tryAcquire})
 * conditioned on the bucket's state rather than on a version: instances draining one bucket at once all succeed
 * while tokens are left, without retrying, and none can take a token that is not there. DynamoDB's expressions
 * have no clock, so "now" is the function's: an instance whose clock is ahead by d admits at most
 * d &times; allowance / 1 min more (README, Shared state).
 */
public final class DynamoDbStore implements SharedStore {

    static final String PK = "pk";
    static final String EXPIRES_AT = "expiresAt";
    private static final String STATE = "state";
    private static final String TOKEN = "token";
    private static final String RESULT = "result";
    private static final String FULL_AT = "fullAt";
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    private static final String RUNS = "runs";
    /** Only the run that set an idempotency mark, still running, completes or releases it. */
    private static final String OWN_RUNNING_MARK = "#s = :running AND #t = :token";
    private static final Map<String, String> MARK_NAMES = Map.of("#s", STATE, "#t", TOKEN);

    private final DynamoDbClient client;
    private final String table;
    /**
     * The latest {@code fullAt} this instance saw per rate-limit key: a lower bound of the stored one, which only
     * grows. It picks the update to try first and refuses, without a request, a bucket known to be spent.
     */
    private final Map<String, Long> knownFullAt = java.util.Collections.synchronizedMap(MemoryStore.lru());

    public DynamoDbStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** The client from the SDK's standard settings; connected at start with one read (not in a step's budget). */
    public static DynamoDbStore create(String table, Duration timeout) {
        Duration socket = timeout.multipliedBy(4).compareTo(Duration.ofSeconds(2)) > 0 ? timeout.multipliedBy(4)
                : Duration.ofSeconds(2);
        DynamoDbClient client = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(socket).socketTimeout(socket).build())
                .build();
        DynamoDbStore store = new DynamoDbStore(client, table);
        try {
            store.runs("warm-up", socket.toMillis());
            // An update whose condition never holds: a refused update's path (the SDK's exception) is loaded now.
            store.takeFromPartlySpent("warm-up", 0, 1, 0, socket.toMillis(), System.nanoTime());
        } catch (StoreUnavailableException notYet) {
            org.jboss.logging.Logger.getLogger(DynamoDbStore.class)
                    .warnf("the dynamodb store did not answer at start (%s); steps will try again", notYet.getMessage());
        }
        return store;
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static AttributeValue n(long number) {
        return AttributeValue.fromN(Long.toString(number));
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Whole seconds from now, rounded up: an item never expires before its time. */
    private static long secondsFromNow(Duration duration) {
        return (System.currentTimeMillis() + duration.toMillis() + 999) / 1000;
    }

    /**
     * At most three conditional updates, none repeated: "take from a full bucket" ({@code fullAt <= now}: it
     * becomes now + one interval) fails only when {@code fullAt > now}, which then stays true, so a following
     * "take from a partly spent bucket" ({@code now < fullAt <= now + (allowance - 1) intervals}: add one interval)
     * that fails means the bucket is spent. The first update is the one the known state calls for.
     */
    @Override
    public boolean tryAcquire(String key, int perMinute, long timeoutMs) {
        long started = System.nanoTime();
        long now = System.currentTimeMillis() * 1_000_000;
        long interval = (NANOS_PER_MINUTE + perMinute - 1) / perMinute;
        long lastToken = now + (perMinute - 1L) * interval;
        Long known = knownFullAt.get(key);
        if (known != null && known > lastToken) {
            return false;
        }
        if (known != null && known > now && takeFromPartlySpent(key, now, interval, lastToken, timeoutMs, started)) {
            return true;
        }
        return takeFromFull(key, now, interval, timeoutMs, started)
                || takeFromPartlySpent(key, now, interval, lastToken, timeoutMs, started);
    }

    private boolean takeFromFull(String key, long now, long interval, long timeoutMs, long started) {
        long left = remaining(timeoutMs, started);
        try {
            call(left, () -> client.updateItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("rl#" + key)))
                    .updateExpression("SET #f = :next, #e = :expires")
                    .conditionExpression("attribute_not_exists(#f) OR #f <= :now")
                    .expressionAttributeNames(Map.of("#f", FULL_AT, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":next", n(now + interval), ":now", n(now),
                            ":expires", n(bucketExpiry(now))))
                    .overrideConfiguration(timeout(left))));
            knownFullAt.merge(key, now + interval, Math::max);
            return true;
        } catch (ConditionalCheckFailedException notFull) {
            return false;
        }
    }

    private boolean takeFromPartlySpent(String key, long now, long interval, long lastToken, long timeoutMs,
            long started) {
        long left = remaining(timeoutMs, started);
        try {
            UpdateItemResponse taken = call(left, () -> client.updateItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("rl#" + key)))
                    .updateExpression("SET #f = #f + :interval, #e = :expires")
                    .conditionExpression("#f > :now AND #f <= :lastToken")
                    .expressionAttributeNames(Map.of("#f", FULL_AT, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":interval", n(interval), ":now", n(now),
                            ":lastToken", n(lastToken), ":expires", n(bucketExpiry(now))))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .overrideConfiguration(timeout(left))));
            knownFullAt.merge(key, Long.parseLong(taken.attributes().get(FULL_AT).n()), Math::max);
            return true;
        } catch (ConditionalCheckFailedException fullOrSpent) {
            return false;
        }
    }

    /**
     * Epoch seconds: {@code fullAt} is at most a minute ahead, and a minute more covers instances' clocks that
     * lag (TTL only collects the item; a bucket past {@code fullAt} is full whether or not it is there).
     */
    private static long bucketExpiry(long nowNanos) {
        return (nowNanos + 2 * NANOS_PER_MINUTE) / 1_000_000_000 + 1;
    }

    /** What is left of a call's budget; at least 1 ms, so that a spent budget ends in a timeout, not a wait. */
    private static long remaining(long timeoutMs, long startedNanos) {
        return Math.max(1, timeoutMs - (System.nanoTime() - startedNanos) / 1_000_000);
    }

    @Override
    public Claim claim(String key, String token, Duration running, long timeoutMs) {
        long started = System.nanoTime();
        try {
            call(timeoutMs, () -> client.putItem(request -> request.tableName(table)
                    .item(Map.of(PK, s("idem#" + key), STATE, s("R"), TOKEN, s(token),
                            EXPIRES_AT, n(secondsFromNow(running))))
                    .conditionExpression("attribute_not_exists(#p) OR #e <= :now")
                    .expressionAttributeNames(Map.of("#p", PK, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(nowSeconds())))
                    .overrideConfiguration(timeout(timeoutMs))));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            long left = Math.max(1, timeoutMs - (System.nanoTime() - started) / 1_000_000);
            Map<String, AttributeValue> item = get("idem#" + key, left);
            if (item == null) {
                return Claim.RUNNING; // expired between the two calls: the next delivery claims it
            }
            return "D".equals(text(item, STATE)) ? Claim.result(text(item, RESULT)) : Claim.RUNNING;
        }
    }

    @Override
    public void complete(String key, String token, String result, Duration keep, long timeoutMs) {
        try {
            call(timeoutMs, () -> client.putItem(request -> request.tableName(table)
                    .item(Map.of(PK, s("idem#" + key), STATE, s("D"), RESULT, s(result),
                            EXPIRES_AT, n(secondsFromNow(keep))))
                    .conditionExpression(OWN_RUNNING_MARK)
                    .expressionAttributeNames(MARK_NAMES)
                    .expressionAttributeValues(ownRunningMark(token))
                    .overrideConfiguration(timeout(timeoutMs))));
        } catch (ConditionalCheckFailedException notOurs) {
            // The mark expired and another run claimed the key: its result wins.
        }
    }

    @Override
    public void release(String key, String token, long timeoutMs) {
        try {
            call(timeoutMs, () -> client.deleteItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("idem#" + key)))
                    .conditionExpression(OWN_RUNNING_MARK)
                    .expressionAttributeNames(MARK_NAMES)
                    .expressionAttributeValues(ownRunningMark(token))
                    .overrideConfiguration(timeout(timeoutMs))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Nothing of ours to release.
        }
    }

    private static Map<String, AttributeValue> ownRunningMark(String token) {
        return Map.of(":running", s("R"), ":token", s(token));
    }

    /**
     * One item per (tenant, step id) holding the newest runs first: the run is prepended (a list that expired is
     * started afresh), then, when the list is longer than {@code keep}, the oldest are removed by a second,
     * conditional update.
     */
    @Override
    public void record(String key, String run, int keep, Duration ttl, long timeoutMs) {
        long started = System.nanoTime();
        AttributeValue fresh = AttributeValue.fromL(List.of(s(run)));
        UpdateItemResponse updated;
        try {
            updated = call(timeoutMs, () -> client.updateItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("runs#" + key)))
                    .updateExpression("SET #r = list_append(:run, if_not_exists(#r, :empty)), #e = :expires")
                    .conditionExpression("attribute_not_exists(#e) OR #e > :now")
                    .expressionAttributeNames(Map.of("#r", RUNS, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":run", fresh, ":empty", AttributeValue.fromL(List.of()),
                            ":expires", n(secondsFromNow(ttl)), ":now", n(nowSeconds())))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .overrideConfiguration(timeout(timeoutMs))));
        } catch (ConditionalCheckFailedException expired) {
            updated = call(timeoutMs, () -> client.updateItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("runs#" + key)))
                    .updateExpression("SET #r = :run, #e = :expires")
                    .expressionAttributeNames(Map.of("#r", RUNS, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":run", fresh, ":expires", n(secondsFromNow(ttl))))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .overrideConfiguration(timeout(timeoutMs))));
        }
        AttributeValue runs = updated.attributes().get(RUNS);
        int size = runs == null || !runs.hasL() ? 0 : runs.l().size();
        if (size <= keep) {
            return;
        }
        List<String> over = new ArrayList<>();
        for (int i = keep; i < size; i++) {
            over.add("#r[" + i + "]");
        }
        long left = Math.max(1, timeoutMs - (System.nanoTime() - started) / 1_000_000);
        try {
            call(left, () -> client.updateItem(request -> request.tableName(table)
                    .key(Map.of(PK, s("runs#" + key)))
                    .updateExpression("REMOVE " + String.join(", ", over))
                    .conditionExpression("size(#r) > :keep")
                    .expressionAttributeNames(Map.of("#r", RUNS))
                    .expressionAttributeValues(Map.of(":keep", n(keep)))
                    .overrideConfiguration(timeout(left))));
        } catch (ConditionalCheckFailedException alreadyTrimmed) {
            // Another instance trimmed it.
        }
    }

    @Override
    public List<String> runs(String key, long timeoutMs) {
        Map<String, AttributeValue> item = get("runs#" + key, timeoutMs);
        List<String> runs = new ArrayList<>();
        if (item != null && item.containsKey(RUNS) && item.get(RUNS).hasL()) {
            item.get(RUNS).l().forEach(run -> runs.add(run.s()));
        }
        return runs.size() > RecentRuns.KEEP ? runs.subList(0, RecentRuns.KEEP) : runs;
    }

    /** A live item (strongly consistent read), or null when there is none or it has expired. */
    private Map<String, AttributeValue> get(String pk, long timeoutMs) {
        GetItemResponse found = call(timeoutMs, () -> client.getItem(request -> request.tableName(table)
                .key(Map.of(PK, s(pk))).consistentRead(true).overrideConfiguration(timeout(timeoutMs))));
        if (!found.hasItem() || found.item().isEmpty()) {
            return null;
        }
        AttributeValue expires = found.item().get(EXPIRES_AT);
        if (expires != null && expires.n() != null && Long.parseLong(expires.n()) <= nowSeconds()) {
            return null;
        }
        return found.item();
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static java.util.function.Consumer<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder> timeout(
            long timeoutMs) {
        Duration bound = Duration.ofMillis(Math.max(1, timeoutMs));
        return config -> config.apiCallTimeout(bound);
    }

    private static <T> T call(long timeoutMs, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException expected) {
            throw expected;
        } catch (SdkException failed) {
            // The class only: the SDK's message can name the endpoint, an internal address with a VPC endpoint.
            throw new StoreUnavailableException("dynamodb: " + failed.getClass().getSimpleName(), failed);
        }
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public void close() {
        client.close();
    }
}
