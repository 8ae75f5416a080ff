package dev.apistep.capture;

import dev.apistep.step.StepOptions;
import io.quarkus.runtime.annotations.RegisterForProxy;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Attr;
import org.w3c.dom.CDATASection;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.w3c.dom.ProcessingInstruction;
import org.w3c.dom.Text;

/**
 * An XML document as the JDK's XPath engine reads it: every node, attribute list and child list it reaches
 * is a view that passes each call to the real DOM, counting the calls against the capture's deadline and the
 * characters of every name and text handed out against {@link #MAX_READ_CHARS}. The engine cannot be
 * interrupted and keeps what it reads (a {@code concat} of the whole document a hundred times is hundreds of
 * megabytes), so it is stopped from inside, where it reads: past the deadline or the allowance, that call and
 * every later one throws, and the evaluation, abandoned or not, ends there instead of running on and allocating.
 *
 * <p>Views are made as the engine walks and are not kept here: the engine keeps the one view of each node it
 * indexes, and compares nodes by its own indexes (the context node, the document, is the same view throughout).
 */
@RegisterForProxy(targets = Element.class)
@RegisterForProxy(targets = Attr.class)
@RegisterForProxy(targets = Text.class)
@RegisterForProxy(targets = CDATASection.class)
@RegisterForProxy(targets = Comment.class)
@RegisterForProxy(targets = ProcessingInstruction.class)
@RegisterForProxy(targets = Document.class)
@RegisterForProxy(targets = Node.class)
@RegisterForProxy(targets = NamedNodeMap.class)
@RegisterForProxy(targets = NodeList.class)
final class DomView implements InvocationHandler {

    /**
     * What one evaluation may read of names and text: every character of the largest body twice over (a
     * predicate that reads each element's text, over a document a few levels deep). What the engine holds is
     * within what it read, so this also bounds its memory.
     */
    static final long MAX_READ_CHARS = 2 * StepOptions.MAX_RESPONSE_BYTES;
    private static final List<Class<?>> VIEW_TYPES = List.of(Element.class, Attr.class, Text.class, CDATASection.class,
            Comment.class, ProcessingInstruction.class, Document.class, Node.class, NamedNodeMap.class, NodeList.class);
    /** A constructor per view type, looked up once: making a proxy through {@link Proxy#newProxyInstance} costs a lookup each time. */
    private static final Map<Class<?>, MethodHandle> CONSTRUCTORS = constructors();
    /** Whether views can be made in this runtime (a native image without the proxy registrations cannot). */
    static final boolean AVAILABLE = CONSTRUCTORS != null;

    private final Object target;
    private final Reading reading;

    private DomView(Object target, Reading reading) {
        this.target = target;
        this.reading = reading;
    }

    /** The document as one evaluation reads it, within {@code budget}'s deadline. */
    static Reading reading(CaptureBudget budget) {
        return new Reading(budget);
    }

    /** The DOM node behind a view the engine handed back (or the node itself, when the engine made it). */
    static Node real(Node node) {
        return node != null && Proxy.isProxyClass(node.getClass()) && Proxy.getInvocationHandler(node) instanceof DomView view
                ? (Node) view.target : node;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        reading.call();
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i] instanceof Node node ? real(node) : args[i];
            }
        }
        if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
            return args[0] == target;
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
        if (result instanceof String text) {
            reading.read(text.length());
        }
        return reading.view(result);
    }

    /** One evaluation's reading: its calls and characters, and why it was stopped, once it was. */
    static final class Reading {
        private static final int CHECK_EVERY = 256;

        private final CaptureBudget budget;
        private long chars;
        private int calls;
        private RuntimeException stopped;

        private Reading(CaptureBudget budget) {
            this.budget = budget;
        }

        /** The engine's view of {@code value} when it is part of the document, else the value itself. */
        Object view(Object value) {
            Class<?> type = viewType(value);
            if (type == null) {
                return value;
            }
            try {
                return CONSTRUCTORS.get(type).invoke(new DomView(value, this));
            } catch (RuntimeException | Error failed) {
                throw failed;
            } catch (Throwable unreachable) {
                throw new IllegalStateException("a DOM view could not be made", unreachable);
            }
        }

        /** Why the evaluation was stopped (the deadline or the allowance), or null when it was not. */
        RuntimeException stopped() {
            return stopped;
        }

        private void call() {
            if (stopped == null && ++calls % CHECK_EVERY == 0 && budget.expired()) {
                stopped = new CaptureBudget.Exhausted();
            }
            if (stopped != null) {
                throw stopped;
            }
        }

        private void read(int length) {
            chars += length;
            if (chars > MAX_READ_CHARS) {
                stopped = new CaptureBudget.OverBound("read more than " + MAX_READ_CHARS + " characters of the document");
                throw stopped;
            }
        }
    }

    private static Class<?> viewType(Object value) {
        if (value instanceof Node node) {
            return switch (node.getNodeType()) {
                case Node.ELEMENT_NODE -> Element.class;
                case Node.ATTRIBUTE_NODE -> Attr.class;
                case Node.TEXT_NODE -> Text.class;
                case Node.CDATA_SECTION_NODE -> CDATASection.class;
                case Node.COMMENT_NODE -> Comment.class;
                case Node.PROCESSING_INSTRUCTION_NODE -> ProcessingInstruction.class;
                case Node.DOCUMENT_NODE -> Document.class;
                default -> Node.class;
            };
        }
        return value instanceof NamedNodeMap ? NamedNodeMap.class : value instanceof NodeList ? NodeList.class : null;
    }

    /** Null when proxies cannot be made here. */
    private static Map<Class<?>, MethodHandle> constructors() {
        try {
            Map<Class<?>, MethodHandle> constructors = new HashMap<>();
            for (Class<?> type : VIEW_TYPES) {
                Class<?> proxyType = Proxy.newProxyInstance(DomView.class.getClassLoader(), new Class<?>[] {type},
                        (proxy, method, args) -> null).getClass();
                constructors.put(type, MethodHandles.publicLookup()
                        .findConstructor(proxyType, MethodType.methodType(void.class, InvocationHandler.class))
                        .asType(MethodType.methodType(Object.class, DomView.class)));
            }
            return Map.copyOf(constructors);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            return null;
        }
    }
}
