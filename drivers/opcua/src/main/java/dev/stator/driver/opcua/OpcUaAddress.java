package dev.stator.driver.opcua;

import dev.stator.driver.api.AddressException;
import dev.stator.driver.api.DataType;
import dev.stator.driver.api.TagAddress;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where an OPC UA tag lives: a NodeId in the standard text form, with an optional type that says what the tag
 * delivers. One grammar:
 *
 * <pre>
 *   [nsu=&lt;namespace uri&gt;; | ns=&lt;index&gt;;]
 *       (i=&lt;number&gt; | s=&lt;text&gt; | g=&lt;guid&gt; | b=&lt;base64&gt;)
 *       [;&lt;type&gt;]
 * </pre>
 *
 * Examples: {@code nsu=urn:plant:boiler;s=Drum.Level}, {@code ns=2;s=Pump1.Running;bool}, {@code ns=3;i=1001;int32},
 * {@code i=2258;string}. The namespace URI form is stable across server restarts (it is resolved against the server's
 * namespace array at every connect); an index is what the server numbers it today. The type is one of {@code bool},
 * {@code int16}, {@code uint16}, {@code int32}, {@code uint32}, {@code int64}, {@code float32}, {@code float64},
 * {@code string}; it defaults to {@code float64}, the usual analog value, and the canonical form omits it then. The
 * driver reads the node's DataType at connect and refuses a node whose values the type cannot hold
 * ({@code Bad_TypeMismatch}).
 *
 * <p>A string identifier runs to the end of the text, or to a final {@code ;<type>}: to address a string identifier
 * that itself ends in {@code ;float32}, add the type explicitly ({@code ns=2;s=odd;float32;float64}); the canonical
 * form does this by itself. A namespace URI ends at the first {@code ;}.
 *
 * <p>Immutable and thread-safe: any thread may parse, format and compare addresses. {@code parse(format())} gives an
 * equal address.
 */
public final class OpcUaAddress implements TagAddress {

    /** How the identifier is written: {@code i=}, {@code s=}, {@code g=} or {@code b=}. */
    public enum IdType {
        NUMERIC("i"), STRING("s"), GUID("g"), OPAQUE("b");

        private final String prefix;

        IdType(String prefix) {
            this.prefix = prefix;
        }

        /** The letter before {@code =}. */
        public String prefix() {
            return prefix;
        }
    }

    static final String EXAMPLES = "write e.g. nsu=urn:plant:boiler;s=Drum.Level, ns=2;s=Pump1.Running;bool, "
            + "ns=3;i=1001;int32, ns=2;g=72962b91-fa75-4ae6-8d28-b404dc7daf63 or ns=2;b=M/RbKBsRVkePCePcx24oRA==; "
            + "a final ;<type> (bool, int16, uint16, int32, uint32, int64, float32, float64, string) says what "
            + "the tag delivers, float64 when omitted";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final String namespaceUri;
    private final int namespaceIndex;
    private final IdType idType;
    private final String identifier;
    private final DataType dataType;

    private OpcUaAddress(String namespaceUri, int namespaceIndex, IdType idType, String identifier,
                         DataType dataType) {
        this.namespaceUri = namespaceUri;
        this.namespaceIndex = namespaceIndex;
        this.idType = idType;
        this.identifier = identifier;
        this.dataType = dataType;
    }

    /**
     * Parses an address in the grammar above.
     *
     * @throws AddressException saying what is wrong and what a valid address looks like
     */
    public static OpcUaAddress parse(String text) throws AddressException {
        if (text == null || text.isBlank()) {
            throw error(text, "it is empty");
        }
        String rest = text.strip();
        DataType type = DataType.FLOAT64;
        DataType suffix = typeSuffix(rest);
        if (suffix != null) {
            type = suffix;
            rest = rest.substring(0, rest.lastIndexOf(';'));
        }
        String uri = null;
        int index = 0;
        if (rest.startsWith("nsu=")) {
            int semicolon = rest.indexOf(';');
            if (semicolon < 0) {
                throw error(text, "the namespace URI must be followed by ; and the identifier");
            }
            uri = rest.substring(4, semicolon);
            if (uri.isBlank()) {
                throw error(text, "the namespace URI is empty");
            }
            rest = rest.substring(semicolon + 1);
        } else if (rest.startsWith("ns=")) {
            int semicolon = rest.indexOf(';');
            String number = semicolon < 0 ? rest.substring(3) : rest.substring(3, semicolon);
            if (!DIGITS.matcher(number).matches() || number.length() > 5 || Integer.parseInt(number) > 65535) {
                throw error(text, "the namespace index must be a whole number from 0 to 65535");
            }
            if (semicolon < 0) {
                throw error(text, "the namespace index must be followed by ; and the identifier");
            }
            index = Integer.parseInt(number);
            rest = rest.substring(semicolon + 1);
        }
        if (rest.length() < 2 || rest.charAt(1) != '=') {
            throw error(text, "the identifier must start with i=, s=, g= or b=");
        }
        String value = rest.substring(2);
        return switch (rest.charAt(0)) {
            case 'i' -> new OpcUaAddress(uri, index, IdType.NUMERIC, numeric(text, value), type);
            case 's' -> {
                if (value.isEmpty()) {
                    throw error(text, "the string identifier is empty");
                }
                yield new OpcUaAddress(uri, index, IdType.STRING, value, type);
            }
            case 'g' -> {
                if (!GUID.matcher(value).matches()) {
                    throw error(text, "a GUID identifier is 8-4-4-4-12 hexadecimal digits");
                }
                yield new OpcUaAddress(uri, index, IdType.GUID, value.toLowerCase(Locale.ROOT), type);
            }
            case 'b' -> new OpcUaAddress(uri, index, IdType.OPAQUE, opaque(text, value), type);
            default -> throw error(text, "the identifier must start with i=, s=, g= or b=");
        };
    }

    /** The type named after the last {@code ;}, or null when the text does not end in one. */
    private static DataType typeSuffix(String text) {
        int semicolon = text.lastIndexOf(';');
        if (semicolon < 0) {
            return null;
        }
        String candidate = text.substring(semicolon + 1).strip();
        if (candidate.contains("=")) {
            return null;
        }
        try {
            return DataType.parse(candidate);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String numeric(String text, String value) throws AddressException {
        if (!DIGITS.matcher(value).matches() || value.length() > 10 || Long.parseLong(value) > 0xFFFF_FFFFL) {
            throw error(text, "a numeric identifier is a whole number from 0 to 4294967295");
        }
        return String.valueOf(Long.parseLong(value));
    }

    private static String opaque(String text, String value) throws AddressException {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            if (bytes.length == 0) {
                throw error(text, "the opaque identifier is empty");
            }
            return Base64.getEncoder().encodeToString(bytes);
        } catch (IllegalArgumentException e) {
            throw error(text, "an opaque identifier is Base64 text");
        }
    }

    private static AddressException error(String text, String what) {
        return new AddressException("'" + text + "' is not an OPC UA address: " + what + "; " + EXAMPLES);
    }

    /** The address of a node as the server numbers it, in namespace URI form when {@code uri} is known. */
    static OpcUaAddress of(NodeId nodeId, String uri, DataType type) {
        int index = nodeId.getNamespaceIndex().intValue();
        Object id = nodeId.getIdentifier();
        IdType idType;
        String text;
        if (id instanceof UInteger u) {
            idType = IdType.NUMERIC;
            text = String.valueOf(u.longValue());
        } else if (id instanceof String s) {
            idType = IdType.STRING;
            text = s;
        } else if (id instanceof UUID g) {
            idType = IdType.GUID;
            text = g.toString();
        } else {
            idType = IdType.OPAQUE;
            text = Base64.getEncoder().encodeToString(((ByteString) id).bytesOrEmpty());
        }
        boolean useUri = index != 0 && uri != null;
        return new OpcUaAddress(useUri ? uri : null, useUri ? 0 : index, idType, text,
                type == null ? DataType.FLOAT64 : type);
    }

    /** This address with another type. */
    OpcUaAddress withType(DataType type) {
        return new OpcUaAddress(namespaceUri, namespaceIndex, idType, identifier, type);
    }

    /**
     * The NodeId on a server with the namespace array {@code namespaces}, or null when the namespace URI is not
     * in it.
     */
    NodeId toNodeId(NamespaceTable namespaces) {
        int index = namespaceIndex;
        if (namespaceUri != null) {
            UShort found = namespaces.getIndex(namespaceUri);
            if (found == null) {
                return null;
            }
            index = found.intValue();
        }
        return switch (idType) {
            case NUMERIC -> new NodeId(index, UInteger.valueOf(Long.parseLong(identifier)));
            case STRING -> new NodeId(index, identifier);
            case GUID -> new NodeId(index, UUID.fromString(identifier));
            case OPAQUE -> new NodeId(index, ByteString.of(Base64.getDecoder().decode(identifier)));
        };
    }

    /** The namespace URI as written, or null for the index form. */
    public String namespaceUri() {
        return namespaceUri;
    }

    /** The namespace index as written; 0 when the namespace is given by URI (see {@link #namespaceUri()}). */
    public int namespaceIndex() {
        return namespaceIndex;
    }

    /** How the identifier is written. */
    public IdType idType() {
        return idType;
    }

    /** The identifier in text: the number, the string, the GUID (lower case) or the Base64 bytes. */
    public String identifier() {
        return identifier;
    }

    /** The NodeId alone, without the type, as written in the standard text form. */
    public String nodeId() {
        StringBuilder s = new StringBuilder();
        if (namespaceUri != null) {
            s.append("nsu=").append(namespaceUri).append(';');
        } else if (namespaceIndex != 0) {
            s.append("ns=").append(namespaceIndex).append(';');
        }
        return s.append(idType.prefix()).append('=').append(identifier).toString();
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String format() {
        String nodeId = nodeId();
        // A string identifier that ends like a type must carry the type, or it would be read as one.
        boolean ambiguous = idType == IdType.STRING && typeSuffix(identifier) != null;
        return dataType != DataType.FLOAT64 || ambiguous ? nodeId + ";" + dataType.text() : nodeId;
    }

    /** OPC UA can write any variable; whether this one may be written is the server's answer. */
    @Override
    public boolean isWritableLocation() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpcUaAddress a && namespaceIndex == a.namespaceIndex
                && Objects.equals(namespaceUri, a.namespaceUri) && idType == a.idType
                && identifier.equals(a.identifier) && dataType == a.dataType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaceUri, namespaceIndex, idType, identifier, dataType);
    }

    @Override
    public String toString() {
        return format();
    }
}
