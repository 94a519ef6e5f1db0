package dev.stator.driver.opcua;

import dev.stator.driver.api.Quality;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Opens a session the way every Stator OPC UA client does (the endpoint and the browser): discovery at the
 * configured URL, the endpoint with the configured security policy and mode and the needed user token, the host
 * override, this workstation's certificate, and real validation of the server's certificate against the trust list
 * (a refused certificate is kept under {@code rejected}).
 *
 * <p>Blocking; called on the caller's thread (the endpoint's supervisor, or the browser's caller). Each wait is
 * bounded by the request timeout.
 */
final class Connector {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final EndpointSettings settings;
    private final PkiDirectory pki;
    private final PkiDirectory.OwnCertificate own;
    private final RecordingValidator validator;

    Connector(EndpointSettings settings, PkiDirectory pki, PkiDirectory.OwnCertificate own) {
        this.settings = settings;
        this.pki = pki;
        this.own = own;
        this.validator = new RecordingValidator(new DefaultClientCertificateValidator(pki.trustListManager(),
                pki.quarantine()));
    }

    EndpointSettings settings() {
        return settings;
    }

    /** A session works: an old refusal no longer explains a later failure. */
    void forgetRefusal() {
        validator.reset();
    }

    /** A service call the connector made, for an endpoint's diagnostics and trace. */
    interface CallObserver {
        void call(String service, String detail, long nanos, StatusCode result);
    }

    /**
     * Discovers the server's endpoints, picks the configured one and opens a session. On failure nothing is left
     * running (the client is disconnected, so the library does not keep retrying on its own).
     *
     * @throws OpcUaException saying why, in words: refused, timed out, untrusted certificate, wrong password...
     */
    OpcUaClient connect(CallObserver observer, Consumer<OpcUaClient> beforeConnect) throws OpcUaException {
        long timeoutMillis = settings.requestTimeout.toMillis();
        if (settings.policy == SecurityPolicy.Aes256_Sha256_RsaPss && Security.getProvider("BC") == null) {
            // RSA-PSS needs Bouncy Castle's provider, which Milo ships with.
            Security.addProvider(new BouncyCastleProvider());
        }
        List<EndpointDescription> endpoints = discover(observer);
        EndpointDescription endpoint = select(endpoints);
        if (settings.hostOverride != null) {
            endpoint = EndpointUtil.updateUrl(endpoint, settings.hostOverride, settings.portOverride);
        }
        OpcUaClient client;
        try {
            OpcUaClientConfig config = OpcUaClientConfig.builder()
                    .setEndpoint(endpoint)
                    .setApplicationName(LocalizedText.english("Stator workstation"))
                    .setApplicationUri(own.applicationUri())
                    .setProductUri("urn:stator:workstation")
                    .setKeyPair(own.keyPair())
                    .setCertificate(own.certificate())
                    .setCertificateChain(new X509Certificate[] {own.certificate()})
                    .setCertificateValidator(validator)
                    .setIdentityProvider(identity())
                    .setSessionName(() -> "Stator " + settings.endpointName + " on " + PkiDirectory.hostname())
                    .setSessionTimeout(uint(settings.sessionTimeout.toMillis()))
                    .setRequestTimeout(uint(timeoutMillis))
                    .setKeepAliveInterval(uint(settings.keepAliveInterval.toMillis()))
                    .setKeepAliveTimeout(uint(settings.keepAliveTimeout().toMillis()))
                    // One failed keep-alive ends the session: with a timeout of half an interval, a dead link is
                    // noticed within one and a half keep-alive intervals.
                    .setKeepAliveFailuresAllowed(uint(0))
                    .build();
            client = OpcUaClient.create(config, t -> t.setConnectTimeout(uint(timeoutMillis))
                    .setAcknowledgeTimeout(uint(timeoutMillis)));
        } catch (UaException e) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "cannot set up the client for "
                    + settings.url + ": " + e.getMessage(), e);
        }
        validator.reset();
        beforeConnect.accept(client);
        long t0 = System.nanoTime();
        try {
            // Channel, session, activation: allow a request timeout for each step.
            client.connectAsync().get(3 * timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
            observer.call("CreateSession", endpoint.getEndpointUrl() + " " + describe(endpoint),
                    System.nanoTime() - t0, StatusCode.GOOD);
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnectQuietly(client);
            throw new OpcUaException(Quality.BAD_SHUTDOWN, "stopped while connecting to " + settings.url);
        } catch (ExecutionException | TimeoutException e) {
            disconnectQuietly(client);
            OpcUaException failure = explain(e instanceof ExecutionException ? e.getCause() : e, endpoint);
            observer.call("CreateSession", endpoint.getEndpointUrl(), System.nanoTime() - t0,
                    new StatusCode(failure.quality().code() & 0xFFFFFFFFL));
            throw failure;
        }
    }

    private IdentityProvider identity() {
        if (settings.username == null) {
            return new AnonymousProvider();
        }
        if (settings.policy == SecurityPolicy.None) {
            LOG.warn("endpoint '{}': user '{}' logs in over an unsecured channel; the password is protected only "
                    + "if the server encrypts user tokens", settings.endpointName, settings.username);
        }
        // The validator also guards the certificate that encrypts the password on an unsecured channel.
        return new UsernameProvider(settings.username, settings.password, validator);
    }

    private List<EndpointDescription> discover(CallObserver observer) throws OpcUaException {
        try {
            return discover(settings.url, observer);
        } catch (OpcUaException e) {
            long code = e.quality().code() & 0xFFFF_0000L;
            if (settings.url.endsWith("/discovery") || (code != StatusCodes.Bad_TcpEndpointUrlInvalid
                    && code != StatusCodes.Bad_ServiceUnsupported)) {
                throw e;
            }
            // Part 6: a server that answers discovery elsewhere does so at its URL with /discovery appended.
            String url = settings.url + (settings.url.endsWith("/") ? "" : "/") + "discovery";
            return discover(url, observer);
        }
    }

    private List<EndpointDescription> discover(String url, CallObserver observer) throws OpcUaException {
        long timeoutMillis = settings.requestTimeout.toMillis();
        long t0 = System.nanoTime();
        CompletableFuture<List<EndpointDescription>> future = DiscoveryClient.getEndpoints(url,
                t -> t.setConnectTimeout(uint(timeoutMillis)).setAcknowledgeTimeout(uint(timeoutMillis)));
        try {
            List<EndpointDescription> endpoints = future.get(2 * timeoutMillis, TimeUnit.MILLISECONDS);
            observer.call("GetEndpoints", url + ": " + endpoints.size() + " endpoints",
                    System.nanoTime() - t0, StatusCode.GOOD);
            return endpoints;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new OpcUaException(Quality.BAD_SHUTDOWN, "stopped while connecting to " + settings.url);
        } catch (ExecutionException | TimeoutException e) {
            future.cancel(true);
            OpcUaException failure = explain(e instanceof ExecutionException ? e.getCause() : e, null);
            observer.call("GetEndpoints", url, System.nanoTime() - t0,
                    new StatusCode(failure.quality().code() & 0xFFFFFFFFL));
            throw new OpcUaException(failure.quality(), "discovery failed: " + failure.getMessage(), failure);
        }
    }

    /** The endpoint with the configured policy and mode over opc.tcp, offering the user token needed. */
    private EndpointDescription select(List<EndpointDescription> endpoints) throws OpcUaException {
        UserTokenType wanted = settings.username == null ? UserTokenType.Anonymous : UserTokenType.UserName;
        List<String> offered = new ArrayList<>();
        EndpointDescription withoutToken = null;
        for (EndpointDescription e : endpoints) {
            if (!e.getEndpointUrl().startsWith("opc.tcp:")) {
                continue;
            }
            offered.add(describe(e));
            if (!settings.policy.getUri().equals(e.getSecurityPolicyUri()) || e.getSecurityMode() != settings.mode) {
                continue;
            }
            if (tokenTypes(e).contains(wanted)) {
                return e;
            }
            withoutToken = e;
        }
        String what = EndpointSettings.policyName(settings.policy) + "/" + settings.mode;
        if (withoutToken != null) {
            throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "the server's " + what + " endpoint does not "
                    + "accept " + (settings.username == null ? "anonymous users: set 'username'" : "user names: "
                    + "remove 'username' to connect anonymously") + " (it offers " + describe(withoutToken) + ")");
        }
        throw new OpcUaException(Quality.BAD_CONFIGURATION_ERROR, "the server at " + settings.url + " offers no "
                + what + " endpoint (it offers: " + String.join("; ", offered) + "); set security-policy and "
                + "security-mode to one of these");
    }

    private static List<UserTokenType> tokenTypes(EndpointDescription e) {
        List<UserTokenType> types = new ArrayList<>();
        for (UserTokenPolicy p : Objects.requireNonNullElse(e.getUserIdentityTokens(), new UserTokenPolicy[0])) {
            types.add(p.getTokenType());
        }
        return types;
    }

    /** {@code Basic256Sha256/SignAndEncrypt [Anonymous, UserName]}. */
    static String describe(EndpointDescription e) {
        String policy;
        try {
            policy = SecurityPolicy.fromUri(e.getSecurityPolicyUri()).name();
        } catch (UaException ex) {
            policy = e.getSecurityPolicyUri();
        }
        return policy + "/" + e.getSecurityMode() + " " + tokenTypes(e);
    }

    /** What went wrong, in words, from whatever the library reported. */
    OpcUaException explain(Throwable failure, EndpointDescription endpoint) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        RecordingValidator.Rejection rejection = validator.lastRejection();
        if (rejection != null) {
            return untrusted(rejection);
        }
        String where = settings.host + ":" + settings.port;
        if (endpoint != null) {
            String url = endpoint.getEndpointUrl();
            where = EndpointUtil.getHost(url) + ":" + EndpointUtil.getPort(url);
        }
        if (cause instanceof TimeoutException) {
            return new OpcUaException(Quality.BAD_TIMEOUT, "no answer from " + where + " within "
                    + settings.requestTimeout.toMillis() + " ms");
        }
        if (cause instanceof ConnectException || cause instanceof ClosedChannelException) {
            return new OpcUaException(Quality.BAD_NOT_CONNECTED, "Bad_ConnectionRejected: " + where
                    + " refused the connection (is the server running?)");
        }
        Optional<StatusCode> status = UaException.extractStatusCode(cause);
        if (status.isEmpty()) {
            return new OpcUaException(Quality.BAD_COMMUNICATION_ERROR, "cannot connect to " + where + ": "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                    cause);
        }
        long code = status.get().getValue() & 0xFFFF_0000L;
        String name = StatusNames.name(code);
        if (code == StatusCodes.Bad_ConnectionRejected || code == StatusCodes.Bad_NotConnected
                || code == StatusCodes.Bad_ConnectionClosed) {
            return new OpcUaException(Quality.BAD_NOT_CONNECTED, name + ": " + where
                    + " refused or closed the connection (is the server running?)");
        }
        if (code == StatusCodes.Bad_Timeout || code == StatusCodes.Bad_RequestTimeout) {
            return new OpcUaException(Quality.BAD_TIMEOUT, "no answer from " + where + " within "
                    + settings.requestTimeout.toMillis() + " ms");
        }
        if (code == StatusCodes.Bad_SessionIdInvalid || code == StatusCodes.Bad_SessionClosed) {
            return new OpcUaException(Quality.BAD_NO_COMMUNICATION, name + ": the server no longer knows the session "
                    + "(it restarted, or the session timed out); a new session is being opened");
        }
        if (code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenRejected
                || code == StatusCodes.Bad_IdentityTokenInvalid) {
            return new OpcUaException(Quality.of(code), name + ": the server refused "
                    + (settings.username == null ? "anonymous access: set 'username' and its password"
                    : "user '" + settings.username + "': check the user and the password in " + settings.secretsFile));
        }
        if (code == StatusCodes.Bad_SecurityChecksFailed || code == StatusCodes.Bad_CertificateUntrusted
                || code == StatusCodes.Bad_CertificateInvalid) {
            return new OpcUaException(Quality.of(code), name + ": the server refused the secure channel; it "
                    + "probably does not trust this workstation's certificate (thumbprint "
                    + PkiDirectory.thumbprintOrEmpty(own.certificate()) + "): trust " + pki.ownCertificateFile()
                    + " on the server");
        }
        return new OpcUaException(Quality.of(code), name + ": cannot connect to " + where
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    private OpcUaException untrusted(RecordingValidator.Rejection r) {
        X509Certificate c = r.certificate();
        String thumbprint = PkiDirectory.thumbprintOrEmpty(c);
        long code = r.status().getValue() & 0xFFFF_0000L;
        String subject = c.getSubjectX500Principal().getName();
        if (code == StatusCodes.Bad_CertificateUntrusted || code == StatusCodes.Bad_SecurityChecksFailed) {
            return new OpcUaException(Quality.of(StatusCodes.Bad_CertificateUntrusted), "Bad_CertificateUntrusted: "
                    + "the server certificate " + subject + " (thumbprint " + thumbprint + ") is not trusted; it is "
                    + "kept in " + pki.rejected() + "; after checking it, trust it (Devices view, or "
                    + "stator certificates trust " + thumbprint.substring(0, Math.min(8, thumbprint.length()))
                    + ") and the next attempt connects");
        }
        return new OpcUaException(Quality.of(code), StatusNames.name(code) + ": the server certificate " + subject
                + " (thumbprint " + thumbprint + ", valid " + c.getNotBefore().toInstant() + " to "
                + c.getNotAfter().toInstant() + ") was refused: " + StatusNames.description(code));
    }

    static void disconnectQuietly(OpcUaClient client) {
        try {
            client.disconnectAsync().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("disconnect did not complete: {}", e.toString());
        }
    }

    /**
     * Milo's standard validation (chain to a trusted certificate or CA, validity, revocation), recording the
     * certificate it refused last so that the reason can name it. Never accepts what the standard validator refuses.
     */
    static final class RecordingValidator implements CertificateValidator {

        record Rejection(X509Certificate certificate, StatusCode status) {
        }

        private final CertificateValidator delegate;
        private volatile Rejection lastRejection;

        RecordingValidator(CertificateValidator delegate) {
            this.delegate = delegate;
        }

        void reset() {
            lastRejection = null;
        }

        Rejection lastRejection() {
            return lastRejection;
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri,
                                             String[] validHostNames) throws UaException {
            try {
                delegate.validateCertificateChain(chain, applicationUri, validHostNames);
            } catch (UaException e) {
                if (!chain.isEmpty()) {
                    lastRejection = new Rejection(chain.get(0), e.getStatusCode());
                }
                throw e;
            }
        }
    }
}
