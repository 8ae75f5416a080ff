package dev.apistep.egress;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.SecretBindings;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows redirects the way browsers and curl do, within the step's one deadline: 303 (and 301/302 after
 * a POST) become a body-less GET, 307/308 repeat the request. A hop to another origin drops the
 * credentials meant for the first one; a hop from https to http is refused; each hop passes the
 * destination check and the secrets' host bindings again. A body uploaded from a URL is downloaded anew for
 * each request that carries it (a 307/308 repeats it), streamed as it is sent ({@link UploadSources}).
 */
public final class RedirectFollower {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final List<String> ORIGIN_BOUND_HEADERS = List.of("Authorization", "Cookie", "Proxy-Authorization");

    private final HttpSender sender;
    private final DestinationPolicy destinations;
    private final SecretBindings bindings;
    private final UploadSources uploads;

    public RedirectFollower(HttpSender sender, DestinationPolicy destinations, SecretBindings bindings) {
        this.sender = sender;
        this.destinations = destinations;
        this.bindings = bindings;
        this.uploads = new UploadSources(this, sender);
    }

    public HttpResponse send(OutboundRequest request, Limits limits, Deadline deadline, Warnings warnings) {
        return follow(request, limits, warnings, hop -> hop.body().hasSources()
                ? uploads.send(hop, limits, deadline, warnings)
                : sender.send(hop, deadline, limits.maxResponseBytes()), response -> response, response -> {
                });
    }

    /** A GET whose final response's body is read as the caller needs it; close it. */
    Download open(OutboundRequest request, int maxRedirects, Deadline deadline, Warnings warnings) {
        return follow(request, new Limits(true, maxRedirects, 0), warnings, hop -> sender.open(hop, deadline),
                Download::head, Download::close);
    }

    /** {@code head}: a response's status and headers; {@code discard}: what becomes of a redirect response. */
    private <R> R follow(OutboundRequest request, Limits limits, Warnings warnings, Function<OutboundRequest, R> send,
            Function<R, HttpResponse> head, Consumer<R> discard) {
        OutboundRequest current = request;
        for (int hop = 0; ; hop++) {
            check(current.uri(), hop);
            bindings.check(current.secrets(), current.uri());
            R answer = send.apply(current);
            HttpResponse response = head.apply(answer);
            if (!limits.followRedirects() || !REDIRECTS.contains(response.status())
                    || response.header("Location").isEmpty()) {
                return answer;
            }
            if (hop == limits.maxRedirects()) {
                warnings.add("stopped after " + limits.maxRedirects() + " redirects; the last redirect response is the result");
                return answer;
            }
            discard.accept(answer);
            current = next(current, response);
        }
    }

    /**
     * A redirect target that is not a plain host name or canonical address (another IPv4 notation, a zone id)
     * is the server's doing, not the step's: it is a destination refused, not an invalid step.
     */
    private void check(URI uri, int hop) {
        try {
            destinations.check(uri);
        } catch (StepFailure refused) {
            if (hop > 0 && refused.error().code() == ErrorCode.INVALID_STEP) {
                throw DestinationPolicy.notAllowed(uri.getHost() == null ? "in the redirect" : uri.getHost());
            }
            throw refused;
        }
    }

    private static OutboundRequest next(OutboundRequest current, HttpResponse response) {
        URI target = resolve(current.uri(), response.header("Location").orElseThrow());
        if (current.uri().getScheme().equals("https") && target.getScheme().equals("http")) {
            throw new StepFailure(ErrorCode.BLOCKED_DESTINATION, null,
                    "a redirect from " + current.uri().getHost() + " to plain http was refused");
        }
        OutboundRequest next = current.withUri(target);
        int status = response.status();
        if ((status == 303 && !current.method().equals("HEAD"))
                || ((status == 301 || status == 302) && current.method().equals("POST"))) {
            next = next.asGet();
        }
        return sameOrigin(current.uri(), target) ? next : next.without(ORIGIN_BOUND_HEADERS);
    }

    private static URI resolve(URI base, String location) {
        try {
            URI target = base.resolve(new URI(location.trim()));
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || target.getHost() == null) {
                throw new StepFailure(ErrorCode.BLOCKED_DESTINATION, null,
                        "a redirect from " + base.getHost() + " points to a URL that is not http or https");
            }
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            return new URI(scheme + "://" + target.getRawAuthority() + path
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())).normalize();
        } catch (URISyntaxException invalid) {
            // An address notation or zone id java.net.URI cannot parse: a destination that cannot be checked.
            throw new StepFailure(ErrorCode.BLOCKED_DESTINATION, null,
                    "a redirect from " + base.getHost() + " points to a destination that is not allowed");
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The step options that shape one exchange; {@code maxUploadBytes}: the cap of files uploaded from a URL. */
    public record Limits(boolean followRedirects, int maxRedirects, long maxResponseBytes, long maxUploadBytes) {

        /** An exchange that uploads nothing from a URL. */
        public Limits(boolean followRedirects, int maxRedirects, long maxResponseBytes) {
            this(followRedirects, maxRedirects, maxResponseBytes, 0);
        }
    }
}
