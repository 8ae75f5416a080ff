package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.exchange.HttpResponse;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.xpath.XPathEvaluationResult;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathNodes;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * An XML response body, read safely into the tree JSON paths read, and kept as a DOM for {@code xpath:}
 * captures.
 *
 * <p>Safety, in order: a streaming pre-scan (the JDK's StAX reader, DTD support off) refuses any DOCTYPE
 * (so no entity is ever declared, let alone expanded: billion laughs and external entities need one), any
 * entity reference that is not one of XML's five, nesting past {@link #MAX_DEPTH} and more than {@link
 * #MAX_ELEMENTS} elements, before anything is built; only then is the DOM built, by a parser that also
 * disallows DOCTYPEs, external entities and XInclude. The body itself is already within {@code
 * maxResponseBytes}.
 *
 * <p>Mapping: the root element is the top-level key; an element is an object of its attributes ({@code
 * @name}), its child elements (repeated names become an array, in document order) and its text ({@code
 * #text}, trimmed, when it has any besides whitespace); an element with only text (or nothing) is that text.
 * Values stay strings. Names are the qualified names as written ({@code soap:Envelope}); namespace
 * declarations are not attributes.
 */
public final class XmlBody {

    /** As deep as JSON bodies may nest. */
    public static final int MAX_DEPTH = 200;
    /** A 4 MiB body of empty elements would otherwise become a million-node tree. */
    public static final int MAX_ELEMENTS = 200_000;
    /** The same for attributes, comments and processing instructions together ({@code <a b="" c=""/>}, {@code <!---->}). */
    public static final int MAX_OTHER_NODES = 200_000;
    /** Nodes one XPath capture may select: as many as a document may have elements. */
    static final int MAX_XPATH_NODES = MAX_ELEMENTS;
    /** XPath expressions longer than this are not a capture anyone writes by hand. */
    static final int MAX_XPATH_CHARS = 2_000;
    /** Why a body was refused when it took longer to read than the step had left. */
    private static final String LATE = "was still being read at the step's deadline";
    /** XPath evaluations running at once in this process, abandoned ones included (see {@link #xpath}). */
    private static final int XPATH_SLOTS = 2;

    private static final XMLInputFactory STAX = stax();
    private static final DocumentBuilderFactory DOM = dom();
    private static final Semaphore XPATH_RUNNING = new Semaphore(XPATH_SLOTS);
    private static final ExecutorService XPATH_WORKERS = Executors.newCachedThreadPool(task -> {
        Thread worker = new Thread(task, "api-step-xpath");
        worker.setDaemon(true);
        return worker;
    });

    private final JsonNode tree;
    private final Document document;
    /** Each element's value in {@link #tree} (the document's: the tree), so that XPath selects it instead of copying it. */
    private final Map<Node, JsonNode> values;
    private final Map<String, String> namespaces;
    private final String refusal;

    private XmlBody(JsonNode tree, Document document, Map<Node, JsonNode> values, Map<String, String> namespaces,
            String refusal) {
        this.tree = tree;
        this.document = document;
        this.values = values;
        this.namespaces = namespaces;
        this.refusal = refusal;
    }

    /** The tree JSON paths read, or null when the body was refused. */
    public JsonNode tree() {
        return tree;
    }

    /** Why the body was not read as XML (a warning for the step), or null when it was. */
    public String refusal() {
        return refusal;
    }

    /**
     * Whether to read the body as XML: its Content-Type says XML ({@code xml}, {@code +xml}), or it says
     * neither JSON nor HTML and the body starts with {@code <}.
     */
    static boolean declared(HttpResponse response) {
        String media = response.mediaType();
        return media.endsWith("/xml") || media.endsWith("+xml");
    }

    static boolean looksLikeXml(HttpResponse response) {
        String type = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("html") || type.contains("json")) {
            return false;
        }
        byte[] body = response.body();
        int first = body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF ? 3 : 0;
        while (first < body.length && (body[first] == ' ' || body[first] == '\t' || body[first] == '\n' || body[first] == '\r')) {
            first++;
        }
        return first < body.length && body[first] == '<';
    }

    /**
     * The body read as XML; null when it is not XML and did not say it was (an HTML page, plain text that
     * starts with {@code <}): only a body that claims to be XML, or one refused for a hostile construct, gets a
     * refusal. Read within {@code budget}'s deadline: a body still being read there is refused, as a body past a
     * bound is.
     */
    static XmlBody read(HttpResponse response, CaptureBudget budget) {
        boolean declared = declared(response);
        if (!declared && !looksLikeXml(response)) {
            return null;
        }
        if (STAX == null || DOM == null) {
            // Fail closed: without its safety settings the JDK's parser is never used.
            return declared ? refused("cannot be read safely in this runtime") : null;
        }
        Map<String, String> namespaces = new HashMap<>();
        try {
            String hostile = scan(response, namespaces, budget);
            if (hostile != null) {
                return refused(hostile);
            }
        } catch (XMLStreamException | RuntimeException malformed) {
            return budget.expired() ? refused(LATE) : declared ? refused("is not well-formed XML") : null;
        }
        try {
            DocumentBuilder builder = DOM.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException malformed) throws org.xml.sax.SAXException {
                    throw malformed;
                }
            });
            builder.setEntityResolver((publicId, systemId) -> {
                throw new org.xml.sax.SAXException("external entities are refused");
            });
            Document document = builder.parse(response.isUtf8() ? new org.xml.sax.InputSource(new Timed(response.body(), budget))
                    : new org.xml.sax.InputSource(new java.io.StringReader(response.text())));
            Element root = document.getDocumentElement();
            Map<Node, JsonNode> values = new IdentityHashMap<>();
            ObjectNode tree = JsonNodeFactory.instance.objectNode();
            tree.set(root.getNodeName(), value(root, values, budget));
            values.put(document, tree);
            return new XmlBody(tree, document, values, Map.copyOf(namespaces), null);
        } catch (Exception | StackOverflowError refused) {
            return budget.expired() ? refused(LATE) : declared ? refused("could not be read safely") : null;
        }
    }

    /**
     * The body's bytes as the DOM parser reads them, a chunk at a time, ending at the deadline (a body in another
     * charset is parsed from its text, unchecked, between the timed pre-scan and the timed tree).
     */
    private static final class Timed extends ByteArrayInputStream {
        private final CaptureBudget budget;

        Timed(byte[] body, CaptureBudget budget) {
            super(body);
            this.budget = budget;
        }

        @Override
        public synchronized int read(byte[] into, int offset, int length) {
            if (budget.expired()) {
                throw new CaptureBudget.Exhausted();
            }
            return super.read(into, offset, length);
        }
    }

    private static XmlBody refused(String why) {
        return new XmlBody(null, null, Map.of(), Map.of(), "the XML response " + why + "; it was not read, so its XML paths do not resolve");
    }

    /** The streaming pre-scan: null when the body may be built, else what is refused. */
    private static String scan(HttpResponse response, Map<String, String> namespaces, CaptureBudget budget)
            throws XMLStreamException {
        // Bytes when the Content-Type names no other charset (the XML declaration then decides), else its text.
        XMLStreamReader reader = response.isUtf8() ? STAX.createXMLStreamReader(new ByteArrayInputStream(response.body()))
                : STAX.createXMLStreamReader(new java.io.StringReader(response.text()));
        try {
            int depth = 0;
            int elements = 0;
            int otherNodes = 0;
            while (reader.hasNext()) {
                budget.tick();
                switch (reader.next()) {
                    case XMLStreamConstants.DTD:
                        return "declares a DOCTYPE (DTDs and entities are refused, never expanded)";
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        return "references an entity (only XML's predefined entities are read)";
                    case XMLStreamConstants.START_ELEMENT:
                        if (++depth > MAX_DEPTH) {
                            return "nests deeper than " + MAX_DEPTH + " elements";
                        }
                        if (++elements > MAX_ELEMENTS) {
                            return "has more than " + MAX_ELEMENTS + " elements";
                        }
                        otherNodes += reader.getAttributeCount();
                        if (otherNodes > MAX_OTHER_NODES) {
                            return "has more than " + MAX_OTHER_NODES + " attributes, comments and processing instructions";
                        }
                        for (int i = 0; i < reader.getNamespaceCount(); i++) {
                            String prefix = reader.getNamespacePrefix(i);
                            if (prefix != null && !prefix.isEmpty()) {
                                namespaces.putIfAbsent(prefix, reader.getNamespaceURI(i));
                            }
                        }
                        break;
                    case XMLStreamConstants.END_ELEMENT:
                        depth--;
                        break;
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                        if (++otherNodes > MAX_OTHER_NODES) {
                            return "has more than " + MAX_OTHER_NODES + " attributes, comments and processing instructions";
                        }
                        break;
                    default:
                        break;
                }
            }
            return null;
        } finally {
            reader.close();
        }
    }

    /**
     * An element's value in the tree, recorded in {@code values}; recursion is bounded by {@link #MAX_DEPTH},
     * checked by the scan.
     */
    private static JsonNode value(Element element, Map<Node, JsonNode> values, CaptureBudget budget) {
        budget.tick();
        NamedNodeMap attributes = element.getAttributes();
        Map<String, JsonNode> children = new LinkedHashMap<>();
        java.util.Set<String> repeatedNames = new java.util.HashSet<>();
        StringBuilder text = new StringBuilder();
        boolean structured = false;
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (!isNamespaceDeclaration(attribute)) {
                children.put("@" + attribute.getName(), JsonNodeFactory.instance.textNode(attribute.getValue()));
                structured = true;
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement) {
                structured = true;
                String name = childElement.getNodeName();
                JsonNode childValue = value(childElement, values, budget);
                JsonNode existing = children.get(name);
                if (existing == null) {
                    children.put(name, childValue);
                } else if (repeatedNames.contains(name)) {
                    ((ArrayNode) existing).add(childValue);
                } else {
                    ArrayNode repeated = JsonNodeFactory.instance.arrayNode();
                    repeated.add(existing);
                    repeated.add(childValue);
                    children.put(name, repeated);
                    repeatedNames.add(name);
                }
            } else if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(child.getNodeValue());
            }
        }
        if (!structured) {
            JsonNode textOnly = JsonNodeFactory.instance.textNode(text.toString());
            values.put(element, textOnly);
            return textOnly;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        children.forEach(object::set);
        String trimmed = text.toString().strip();
        if (!trimmed.isEmpty()) {
            object.put("#text", trimmed);
        }
        values.put(element, object);
        return object;
    }

    private static boolean isNamespaceDeclaration(Attr attribute) {
        String name = attribute.getName();
        return name.equals("xmlns") || name.startsWith("xmlns:");
    }

    /**
     * An XPath 1.0 expression on the document. A node-set gives its one value (an element as the tree reads
     * it, an attribute or text as text) or, for several nodes, an array of them; no node is unresolved (null);
     * a string, number or boolean is that value. Prefixes declared in the document are known to the
     * expression.
     *
     * <p>Bounded like every capture, and from inside: the JDK's XPath cannot be interrupted, so it runs on a
     * worker that the capture stops waiting for at the deadline, and it reads the document through a {@link
     * DomView} that stops it there, or once it has read {@link DomView#MAX_READ_CHARS} characters, so that an
     * abandoned evaluation ends too instead of running on and allocating. Its result is made of the tree's own
     * values (an element is the tree's value for it, not a copy) and may select at most {@link #MAX_XPATH_NODES}
     * nodes. Evaluations running at once hold one of {@link #XPATH_SLOTS} process-wide slots each (the JDK's
     * secure processing also caps the expression's own size and operators). Past the deadline, or with no free
     * slot before it, the capture is stopped like a JSONPath that reached the deadline.
     */
    JsonNode xpath(String expression, CaptureBudget budget) {
        if (expression.length() > MAX_XPATH_CHARS) {
            throw new InvalidXPath();
        }
        XPathExpression compiled;
        try {
            XPathFactory factory = XPathFactory.newDefaultInstance();
            // No extension functions, and the JDK's limits on an expression's groups and operators.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var xpath = factory.newXPath();
            xpath.setNamespaceContext(new Prefixes(namespaces));
            compiled = xpath.compile(expression);
        } catch (XPathExpressionException | javax.xml.xpath.XPathFactoryConfigurationException | RuntimeException invalid) {
            throw new InvalidXPath();
        }
        if (budget.expired()) {
            throw new CaptureBudget.Exhausted();
        }
        try {
            if (!XPATH_RUNNING.tryAcquire(budget.remainingMillis(), TimeUnit.MILLISECONDS)) {
                throw new CaptureBudget.Exhausted();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CaptureBudget.Exhausted();
        }
        CaptureBudget workerBudget = budget.sameDeadline();
        Future<JsonNode> evaluation;
        try {
            evaluation = XPATH_WORKERS.submit(() -> {
                try {
                    return evaluate(compiled, workerBudget);
                } finally {
                    XPATH_RUNNING.release();
                }
            });
        } catch (RuntimeException rejected) {
            XPATH_RUNNING.release();
            throw rejected;
        }
        try {
            return evaluation.get(Math.max(1, budget.remainingMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            evaluation.cancel(true);
            throw new CaptureBudget.Exhausted();
        } catch (InterruptedException interrupted) {
            evaluation.cancel(true);
            Thread.currentThread().interrupt();
            throw new CaptureBudget.Exhausted();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof CaptureBudget.Exhausted || failed.getCause() instanceof CaptureBudget.OverBound) {
                throw (RuntimeException) failed.getCause();
            }
            return null;
        }
    }

    private JsonNode evaluate(XPathExpression compiled, CaptureBudget budget) throws XPathExpressionException {
        DomView.Reading reading = DomView.reading(budget);
        XPathEvaluationResult<?> result;
        try {
            result = compiled.evaluateExpression(reading.view(document), XPathEvaluationResult.class);
        } catch (XPathExpressionException | RuntimeException failed) {
            // The engine wraps what stopped it (or not): the reading knows.
            if (reading.stopped() != null) {
                throw reading.stopped();
            }
            throw failed;
        }
        return switch (result.type()) {
            case BOOLEAN -> JsonNodeFactory.instance.booleanNode((Boolean) result.value());
            case NUMBER -> number((Double) result.value());
            case STRING -> JsonNodeFactory.instance.textNode((String) result.value());
            case NODE -> node((Node) result.value());
            case NODESET -> nodes((XPathNodes) result.value(), budget);
            default -> null;
        };
    }

    private static JsonNode number(Double value) {
        if (value.isNaN() || value.isInfinite()) {
            return null;
        }
        BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
        if (exact.scale() > 0 || exact.precision() > 18) {
            return JsonNodeFactory.instance.numberNode(exact);
        }
        long whole = exact.longValueExact();
        return whole == (int) whole ? JsonNodeFactory.instance.numberNode((int) whole)
                : JsonNodeFactory.instance.numberNode(whole);
    }

    private JsonNode nodes(XPathNodes nodes, CaptureBudget budget) {
        if (nodes.size() == 0) {
            return null;
        }
        if (nodes.size() == 1) {
            return node(nodes.iterator().next());
        }
        if (nodes.size() > MAX_XPATH_NODES) {
            throw new CaptureBudget.OverBound("selected more than " + MAX_XPATH_NODES + " nodes");
        }
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        Iterator<Node> each = nodes.iterator();
        while (each.hasNext()) {
            budget.tick();
            values.add(node(each.next()));
        }
        return values;
    }

    /** A node's value: the tree's own for an element or the document, else its text (an attribute's value, a text). */
    private JsonNode node(Node selected) {
        if (selected == null) {
            return null;
        }
        Node node = DomView.real(selected);
        JsonNode inTree = values.get(node);
        return inTree != null ? inTree : JsonNodeFactory.instance.textNode(node.getTextContent());
    }

    /** Prefixes as the document declared them (the first declaration of each). */
    private record Prefixes(Map<String, String> uris) implements NamespaceContext {
        @Override
        public String getNamespaceURI(String prefix) {
            return uris.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
        }

        @Override
        public String getPrefix(String namespaceURI) {
            return uris.entrySet().stream().filter(entry -> entry.getValue().equals(namespaceURI))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceURI) {
            return uris.entrySet().stream().filter(entry -> entry.getValue().equals(namespaceURI))
                    .map(Map.Entry::getKey).toList().iterator();
        }
    }

    /** An {@code xpath:} capture that is not XPath 1.0 (or is too long): a warning, never a failure. */
    static final class InvalidXPath extends RuntimeException {
        InvalidXPath() {
            super(null, null, false, false);
        }
    }

    /** The pre-scan's reader, or null when its safety settings cannot be applied here (then no XML is read). */
    private static XMLInputFactory stax() {
        try {
            return secureStax();
        } catch (RuntimeException | LinkageError unavailable) {
            return null;
        }
    }

    private static XMLInputFactory secureStax() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external entities are refused");
        });
        return factory;
    }

    /** The DOM parser, or null when one of its safety features is not supported here (then no XML is read). */
    private static DocumentBuilderFactory dom() {
        try {
            return secureDom();
        } catch (RuntimeException | LinkageError unavailable) {
            return null;
        }
    }

    private static DocumentBuilderFactory secureDom() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            // Expanded up front, so that concurrent reads (an abandoned XPath beside the next one) never mutate it.
            factory.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
        } catch (javax.xml.parsers.ParserConfigurationException unsupported) {
            throw new IllegalStateException("the JDK's XML parser lacks a required safety feature", unsupported);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setValidating(false);
        return factory;
    }
}
