package dev.apistep.egress;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the REST client and Vert.x do not do on an HTTP/1.x client connection, done between Netty's codec
 * and Vert.x's connection handler:
 * <ul>
 * <li>request headers go on the wire in the step's order, duplicates kept (the REST client groups them in
 * a sorted map): {@link HttpSender} sends the order in {@link #ORDER_HEADER}, removed here;</li>
 * <li>interim responses (102 and other 1xx but 100 and 101, which Vert.x handles) are skipped, so the
 * final response is the one used (RFC 9110 §15.2);</li>
 * <li>a response Netty could not decode (bad chunk size, conflicting Content-Length, not HTTP, a status
 * out of range) fails as a {@link MalformedResponseException} naming the fault.</li>
 * </ul>
 * Connections without the order header (other clients in the process) only get the last two, which are
 * what any HTTP client should do.
 */
final class WireDiscipline extends ChannelDuplexHandler {

    static final String NAME = "api-step-wire";
    /** The step's header names in order, comma-separated (names are tokens: no commas). Never sent. */
    static final String ORDER_HEADER = "x-api-step-header-order";

    /** The fault of the response that broke this connection, for a body read that only sees it closed. */
    static final io.netty.util.AttributeKey<String> FAULT = io.netty.util.AttributeKey.valueOf("api-step.fault");

    private boolean skippingInterim;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject object) {
            DecoderResult result = object.decoderResult();
            if (result.isFailure()) {
                // Oversized heads stay as Netty reports them: they are RESPONSE_TOO_LARGE (TransportFailures).
                if (!(result.cause() instanceof MalformedResponseException)
                        && !(result.cause() instanceof io.netty.handler.codec.TooLongFrameException)) {
                    object.setDecoderResult(DecoderResult.failure(new MalformedResponseException(reason(result.cause()))));
                }
                if (object.decoderResult().cause() instanceof MalformedResponseException malformed) {
                    ctx.channel().attr(FAULT).set(malformed.reason());
                }
            } else if (msg instanceof HttpResponse response) {
                HttpVersion version = response.protocolVersion();
                if (version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_1_1) {
                    response.setDecoderResult(DecoderResult.failure(new MalformedResponseException(MalformedResponseException.NOT_HTTP)));
                } else if (response.status().code() < 100 || response.status().code() > 599) {
                    // RFC 9110 §15: a status code is three digits, 100 to 599.
                    response.setDecoderResult(DecoderResult.failure(
                            new MalformedResponseException(MalformedResponseException.BAD_STATUS_LINE)));
                } else if (isInterim(response.status().code())) {
                    skippingInterim = !(msg instanceof LastHttpContent);
                    ReferenceCountUtil.release(msg);
                    return;
                }
            } else if (skippingInterim && msg instanceof HttpContent) {
                skippingInterim = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpRequest request && request.headers().contains(ORDER_HEADER)) {
            reorder(request.headers());
        }
        super.write(ctx, msg, promise);
    }

    private static boolean isInterim(int status) {
        return status >= 102 && status < 200;
    }

    /** Host first (RFC 9112 §3.2), then the step's headers in its order, then what the client added. */
    static void reorder(HttpHeaders headers) {
        String order = headers.get(ORDER_HEADER);
        headers.remove(ORDER_HEADER);
        List<Map.Entry<String, String>> all = new ArrayList<>();
        headers.iteratorAsString().forEachRemaining(all::add);
        Map<String, Deque<Map.Entry<String, String>>> byName = new HashMap<>();
        for (Map.Entry<String, String> header : all) {
            byName.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayDeque<>()).add(header);
        }
        List<Map.Entry<String, String>> ordered = new ArrayList<>();
        take(byName, HttpHeaderNames.HOST.toString(), null, ordered);
        for (String name : order.split(",")) {
            if (!name.isEmpty()) {
                take(byName, name.toLowerCase(Locale.ROOT), name, ordered);
            }
        }
        for (Map.Entry<String, String> header : all) {
            Deque<Map.Entry<String, String>> left = byName.get(header.getKey().toLowerCase(Locale.ROOT));
            if (left != null && left.peekFirst() == header) {
                ordered.add(left.pollFirst());
            }
        }
        headers.clear();
        for (Map.Entry<String, String> header : ordered) {
            headers.add(header.getKey(), header.getValue());
        }
    }

    private static void take(Map<String, Deque<Map.Entry<String, String>>> byName, String lowerName, String stepName,
            List<Map.Entry<String, String>> ordered) {
        Deque<Map.Entry<String, String>> values = byName.get(lowerName);
        Map.Entry<String, String> next = values == null ? null : values.pollFirst();
        if (next != null) {
            ordered.add(stepName == null ? next : Map.entry(stepName, next.getValue()));
        }
    }

    /** Netty's decoder messages, mapped to stable names; the server's bytes never reach the reason. */
    private static String reason(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = cause; c != null && text.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
            text.append(c.getClass().getSimpleName()).append(' ').append(c.getMessage()).append('\n');
        }
        String messages = text.toString().toLowerCase(Locale.ROOT);
        if (messages.contains("content-length")) {
            return MalformedResponseException.CONFLICTING_LENGTH;
        }
        if (messages.contains("chunk")) {
            return MalformedResponseException.BAD_CHUNKING;
        }
        if (messages.contains("version")) {
            return MalformedResponseException.NOT_HTTP;
        }
        if (messages.contains("status") || messages.contains("code") || messages.contains("numberformat")) {
            return MalformedResponseException.BAD_STATUS_LINE;
        }
        return MalformedResponseException.MALFORMED_RESPONSE;
    }

    /**
     * The channel's pipeline as Vert.x sees it: when Vert.x completes an HTTP/1.x client pipeline (adds its
     * "handler" after the "codec"), {@link WireDiscipline} goes in between. Netty's own pipeline methods are
     * final, so this is a proxy of the interface; every other call goes to the real pipeline.
     */
    static ChannelPipeline inserting(ChannelPipeline real, Runnable completed) {
        return (ChannelPipeline) java.lang.reflect.Proxy.newProxyInstance(WireDiscipline.class.getClassLoader(),
                new Class<?>[] {ChannelPipeline.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("addLast") && arguments != null && arguments.length >= 2
                            && "handler".equals(arguments[arguments.length - 2])
                            && real.get("codec") instanceof HttpClientCodec && real.get(NAME) == null) {
                        real.addLast(NAME, new WireDiscipline());
                        completed.run();
                    }
                    try {
                        Object result = method.invoke(real, arguments);
                        return result == real ? proxy : result;
                    } catch (java.lang.reflect.InvocationTargetException failure) {
                        throw failure.getCause();
                    }
                });
    }
}
