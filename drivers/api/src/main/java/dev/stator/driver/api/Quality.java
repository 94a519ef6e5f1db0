package dev.stator.driver.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality of a value, as one 32-bit status code in the OPC UA style: the top two bits give the family
 * (Good {@code 00}, Uncertain {@code 01}, Bad {@code 10}) and the next fourteen a named sub-code. Modbus reasons and
 * OPC UA StatusCodes both land in this one vocabulary, with the same numeric codes as OPC UA Part 4 so that a code
 * coming from an OPC UA server keeps its meaning and its name.
 *
 * <p>Immutable and thread-safe.
 */
public record Quality(int code) {

    private static final int SEVERITY_MASK = 0xC000_0000;
    private static final int SEVERITY_UNCERTAIN = 0x4000_0000;
    private static final int SEVERITY_BAD = 0x8000_0000;
    /** Sub-code and family; the low 16 bits are info bits that do not change the meaning. */
    private static final int CODE_MASK = 0xFFFF_0000;

    private static final Map<Integer, String> NAMES = new LinkedHashMap<>();

    public static final Quality GOOD = named(0x0000_0000, "Good");
    public static final Quality GOOD_LOCAL_OVERRIDE = named(0x0096_0000, "Good_LocalOverride");
    public static final Quality GOOD_CLAMPED = named(0x0030_0000, "Good_Clamped");

    public static final Quality UNCERTAIN = named(0x4000_0000, "Uncertain");
    public static final Quality UNCERTAIN_NO_COMMUNICATION_LAST_USABLE_VALUE =
            named(0x408F_0000, "Uncertain_NoCommunicationLastUsableValue");
    public static final Quality UNCERTAIN_LAST_USABLE_VALUE = named(0x4090_0000, "Uncertain_LastUsableValue");
    public static final Quality UNCERTAIN_SUBSTITUTE_VALUE = named(0x4091_0000, "Uncertain_SubstituteValue");
    public static final Quality UNCERTAIN_INITIAL_VALUE = named(0x4092_0000, "Uncertain_InitialValue");
    public static final Quality UNCERTAIN_SENSOR_NOT_ACCURATE = named(0x4093_0000, "Uncertain_SensorNotAccurate");
    public static final Quality UNCERTAIN_ENGINEERING_UNITS_EXCEEDED =
            named(0x4094_0000, "Uncertain_EngineeringUnitsExceeded");
    public static final Quality UNCERTAIN_SUB_NORMAL = named(0x4095_0000, "Uncertain_SubNormal");

    public static final Quality BAD = named(0x8000_0000, "Bad");
    public static final Quality BAD_UNEXPECTED_ERROR = named(0x8001_0000, "Bad_UnexpectedError");
    public static final Quality BAD_INTERNAL_ERROR = named(0x8002_0000, "Bad_InternalError");
    public static final Quality BAD_RESOURCE_UNAVAILABLE = named(0x8004_0000, "Bad_ResourceUnavailable");
    public static final Quality BAD_COMMUNICATION_ERROR = named(0x8005_0000, "Bad_CommunicationError");
    public static final Quality BAD_TIMEOUT = named(0x800A_0000, "Bad_Timeout");
    public static final Quality BAD_SHUTDOWN = named(0x800C_0000, "Bad_Shutdown");
    public static final Quality BAD_SERVER_NOT_CONNECTED = named(0x800D_0000, "Bad_ServerNotConnected");
    public static final Quality BAD_SECURITY_CHECKS_FAILED = named(0x8013_0000, "Bad_SecurityChecksFailed");
    public static final Quality BAD_CERTIFICATE_TIME_INVALID = named(0x8014_0000, "Bad_CertificateTimeInvalid");
    public static final Quality BAD_CERTIFICATE_HOST_NAME_INVALID =
            named(0x8016_0000, "Bad_CertificateHostNameInvalid");
    public static final Quality BAD_CERTIFICATE_URI_INVALID = named(0x8017_0000, "Bad_CertificateUriInvalid");
    public static final Quality BAD_CERTIFICATE_REVOKED = named(0x801D_0000, "Bad_CertificateRevoked");
    public static final Quality BAD_CERTIFICATE_UNTRUSTED = named(0x801A_0000, "Bad_CertificateUntrusted");
    public static final Quality BAD_USER_ACCESS_DENIED = named(0x801F_0000, "Bad_UserAccessDenied");
    public static final Quality BAD_IDENTITY_TOKEN_INVALID = named(0x8020_0000, "Bad_IdentityTokenInvalid");
    public static final Quality BAD_IDENTITY_TOKEN_REJECTED = named(0x8021_0000, "Bad_IdentityTokenRejected");
    public static final Quality BAD_SESSION_CLOSED = named(0x8026_0000, "Bad_SessionClosed");
    public static final Quality BAD_SECURITY_POLICY_REJECTED = named(0x8055_0000, "Bad_SecurityPolicyRejected");
    public static final Quality BAD_MONITORED_ITEM_FILTER_UNSUPPORTED =
            named(0x8044_0000, "Bad_MonitoredItemFilterUnsupported");
    public static final Quality BAD_DEADBAND_FILTER_INVALID = named(0x808E_0000, "Bad_DeadbandFilterInvalid");
    public static final Quality BAD_NO_COMMUNICATION = named(0x8031_0000, "Bad_NoCommunication");
    public static final Quality BAD_WAITING_FOR_INITIAL_DATA = named(0x8032_0000, "Bad_WaitingForInitialData");
    public static final Quality BAD_NODE_ID_INVALID = named(0x8033_0000, "Bad_NodeIdInvalid");
    public static final Quality BAD_NODE_ID_UNKNOWN = named(0x8034_0000, "Bad_NodeIdUnknown");
    public static final Quality BAD_NOT_READABLE = named(0x803A_0000, "Bad_NotReadable");
    public static final Quality BAD_NOT_WRITABLE = named(0x803B_0000, "Bad_NotWritable");
    public static final Quality BAD_OUT_OF_RANGE = named(0x803C_0000, "Bad_OutOfRange");
    public static final Quality BAD_NOT_SUPPORTED = named(0x803D_0000, "Bad_NotSupported");
    public static final Quality BAD_NOT_FOUND = named(0x803E_0000, "Bad_NotFound");
    public static final Quality BAD_TYPE_MISMATCH = named(0x8074_0000, "Bad_TypeMismatch");
    public static final Quality BAD_CONFIGURATION_ERROR = named(0x8089_0000, "Bad_ConfigurationError");
    public static final Quality BAD_NOT_CONNECTED = named(0x808A_0000, "Bad_NotConnected");
    public static final Quality BAD_DEVICE_FAILURE = named(0x808B_0000, "Bad_DeviceFailure");
    public static final Quality BAD_SENSOR_FAILURE = named(0x808C_0000, "Bad_SensorFailure");
    public static final Quality BAD_OUT_OF_SERVICE = named(0x808D_0000, "Bad_OutOfService");
    public static final Quality BAD_DATA_LOST = named(0x809D_0000, "Bad_DataLost");
    public static final Quality BAD_INVALID_ARGUMENT = named(0x80AB_0000, "Bad_InvalidArgument");
    public static final Quality BAD_CONNECTION_CLOSED = named(0x80AE_0000, "Bad_ConnectionClosed");

    private static Quality named(int code, String name) {
        NAMES.put(code, name);
        return new Quality(code);
    }

    /** The quality for a status code received from elsewhere (an OPC UA server, a stored sample). */
    public static Quality of(long statusCode) {
        return new Quality((int) statusCode);
    }

    /** The quality whose {@link #name()} is {@code name}, for parsing stored or typed-in names. */
    public static Quality byName(String name) {
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equalsIgnoreCase(name)) {
                return new Quality(e.getKey());
            }
        }
        throw new IllegalArgumentException("unknown quality '" + name + "'");
    }

    /** Every named quality, by code, in declaration order. */
    public static Map<Integer, String> names() {
        return Collections.unmodifiableMap(NAMES);
    }

    public boolean isGood() {
        return (code & SEVERITY_MASK) == 0;
    }

    public boolean isUncertain() {
        return (code & SEVERITY_MASK) == SEVERITY_UNCERTAIN;
    }

    /** Bad, or the reserved fourth family, which OPC UA also treats as bad. */
    public boolean isBad() {
        return (code & SEVERITY_BAD) != 0;
    }

    /** Good, Uncertain or Bad. */
    public String family() {
        return isGood() ? "Good" : isUncertain() ? "Uncertain" : "Bad";
    }

    /**
     * The symbolic name, such as {@code Bad_CommunicationError}; an unnamed code shows its family and hex value,
     * such as {@code Bad (0x80AA0000)}.
     */
    public String name() {
        String name = NAMES.get(code & CODE_MASK);
        return name != null ? name : family() + String.format(" (0x%08X)", code);
    }

    /** Same meaning, ignoring the info bits (low 16 bits). */
    public boolean sameCodeAs(Quality other) {
        return (code & CODE_MASK) == (other.code & CODE_MASK);
    }

    @Override
    public String toString() {
        return name();
    }
}
