package dev.apistep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.function.StepFunction;
import dev.apistep.tool.ToolAnswer;
import dev.apistep.tool.ToolDefinitions;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The catalogue as MCP tools (contract §8), served over Streamable HTTP at {@code /mcp} by the Quarkiverse MCP
 * extension, which negotiates the protocol and speaks JSON-RPC: {@code tools/list} gives each tool's description,
 * {@code inputSchema} and {@code outputSchema}; {@code tools/call} runs the tool's step as the token's tenant
 * ({@link McpAccess}) and answers {@code structuredContent} (the captured variables), {@code content} (the result
 * text) and {@code isError} (the failure branch). Registered only when MCP is on.
 */
@Singleton
public class McpServer {

    private final ToolManager tools;
    private final StepFunction function;
    private final McpAccess access;
    private final CurrentVertxRequest requests;
    private final ObjectMapper mapper;

    public McpServer(ToolManager tools, StepFunction function, McpAccess access, CurrentVertxRequest requests,
            ObjectMapper mapper) {
        this.tools = tools;
        this.function = function;
        this.access = access;
        this.requests = requests;
        this.mapper = mapper;
    }

    void register(@Observes StartupEvent started) {
        if (!access.enabled()) {
            return;
        }
        for (ToolDefinitions.Definition definition : function.toolDefinitions()) {
            String name = definition.tool().name();
            // A blocking handler: the extension runs it on a worker thread, never on the event loop.
            tools.newTool(name)
                    .setDescription(definition.tool().description())
                    .setInputSchema(definition.inputSchema())
                    .setOutputSchema(definition.outputSchema())
                    .setHandler(arguments -> call(name, arguments))
                    .register();
        }
    }

    private ToolResponse call(String name, ToolManager.ToolArguments arguments) {
        // The HTTP request this call came in (the extension makes it current for the call): its token's tenant.
        String tenant = McpAccess.tenantOf(requests.getCurrent());
        ToolAnswer answer = function.callTool(name, argumentsOf(arguments), tenant).answer();
        return new ToolResponse(answer.isError(), List.of(new TextContent(answer.text())), answer.structured(), null);
    }

    /**
     * The call's {@code params.arguments} as the client sent them: the extension reads messages with Quarkus'
     * (lossless) ObjectMapper, so numbers come through as written; a missing one stays absent, not an empty object.
     */
    private JsonNode argumentsOf(ToolManager.ToolArguments arguments) {
        try {
            return mapper.readTree(arguments.rawMessage().asString()).path("params").get("arguments");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
