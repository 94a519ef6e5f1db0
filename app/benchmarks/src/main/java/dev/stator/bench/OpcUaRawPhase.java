package dev.stator.bench;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The baseline the driver is compared with: plain Eclipse Milo, nothing of Stator in between. One {@link OpcUaClient}
 * with one {@link OpcUaSubscription} at {@code bench.period} and one {@link OpcUaMonitoredItem} per variable with
 * the same sampling interval, queue size and discard policy as the driver's. Its data-change listener (the same
 * subscription-level callback the driver uses) counts each Good notification, records its latency from the source
 * timestamp exactly as the driver side does, and keeps the item's last value and timestamp in plain arrays: no
 * conversion, no quality, no tag table.
 *
 * <p>With Basic256Sha256/SignAndEncrypt it uses a certificate of its own, made once per run and trusted by the server,
 * and validates the server's certificate against a trust list holding it.
 */
final class OpcUaRawPhase extends OpcUaPhase {

    private static final String APPLICATION_URI = "urn:stator:bench:raw-client";
    private static final long REQUEST_TIMEOUT_MILLIS = 5_000;
    private static final long DISCONNECT_SECONDS = 5;

    /** The raw client's key and certificate, for the secure point; made on first use. */
    private static KeyPair keyPair;
    private static X509Certificate certificate;

    private OpcUaClient client;
    private AtomicLongArray lastSource;
    private AtomicLongArray lastValueBits;
    private final AtomicInteger withValue = new AtomicInteger();

    OpcUaRawPhase(OpcUaBenchSettings settings, OpcUaServerProcess server, int items, Security security) {
        super(settings, server, items, security);
    }

    @Override
    String name() {
        return "raw Milo";
    }

    @Override
    protected void open() throws Exception {
        lastSource = new AtomicLongArray(items);
        lastValueBits = new AtomicLongArray(items);
        boolean secure = security == Security.SIGN_AND_ENCRYPT;
        SecurityPolicy policy = secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None;
        MessageSecurityMode mode = secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None;
        DefaultClientCertificateValidator validator = null;
        if (secure) {
            trustEachOther();
            validator = validator();
        }
        DefaultClientCertificateValidator serverTrust = validator;
        client = OpcUaClient.create(server.url(),
                endpoints -> endpoints.stream().filter(e -> policy.getUri().equals(e.getSecurityPolicyUri())
                        && e.getSecurityMode() == mode).findFirst(),
                transport -> { },
                config -> {
                    config.setApplicationName(LocalizedText.english("Stator benchmark raw client"))
                            .setApplicationUri(APPLICATION_URI)
                            .setRequestTimeout(uint(REQUEST_TIMEOUT_MILLIS));
                    if (secure) {
                        config.setKeyPair(keyPair)
                                .setCertificate(certificate)
                                .setCertificateChain(new X509Certificate[] {certificate})
                                .setCertificateValidator(serverTrust);
                    }
                });
        client.connect();
        UShort ns = client.readNamespaceTable().getIndex(OpcUaServerHost.NAMESPACE);
        if (ns == null) {
            throw new IllegalStateException("the server has no namespace " + OpcUaServerHost.NAMESPACE);
        }
        double interval = settings.period().toMillis();
        OpcUaSubscription subscription = new OpcUaSubscription(client, interval);
        subscription.setSubscriptionListener(new Listener());
        subscription.create();
        List<OpcUaMonitoredItem> list = new ArrayList<>(items);
        for (int i = 1; i <= items; i++) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(new NodeId(ns, uint(i)));
            item.setSamplingInterval(interval);
            item.setQueueSize(uint(settings.queueSize()));
            item.setDiscardOldest(true);
            item.setUserObject(i - 1);
            list.add(item);
        }
        subscription.addMonitoredItems(list);
        for (MonitoredItemServiceOperationResult r : subscription.createMonitoredItems()) {
            if (!r.isGood()) {
                throw new IllegalStateException("the server refused monitored item " + r.monitoredItem()
                        .getReadValueId().getNodeId().toParseableString() + ": " + r.operationResult()
                        .orElse(r.serviceResult()));
            }
        }
    }

    /** A certificate of the raw client's own, trusted by the server; the server's, trusted by the client. */
    private void trustEachOther() throws Exception {
        synchronized (OpcUaRawPhase.class) {
            if (keyPair == null) {
                keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
                certificate = new SelfSignedCertificateBuilder(keyPair)
                        .setCommonName("Stator benchmark raw client")
                        .setOrganization("Stator")
                        .setApplicationUri(APPLICATION_URI)
                        .addDnsName("localhost")
                        .setValidityPeriod(Period.ofDays(30))
                        .build();
            }
        }
        Path file = server.certificate().resolveSibling("raw-client.der");
        Files.write(file, certificate.getEncoded());
        server.trust(file);
    }

    private DefaultClientCertificateValidator validator() throws Exception {
        MemoryTrustListManager trustList = new MemoryTrustListManager();
        try (InputStream in = Files.newInputStream(server.certificate())) {
            trustList.addTrustedCertificate((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        return new DefaultClientCertificateValidator(trustList, new MemoryCertificateQuarantine());
    }

    @Override
    protected int itemsWithValue() {
        return withValue.get();
    }

    @Override
    protected String state() {
        return client == null ? "not connected" : "connected, " + withValue.get() + " items with a value";
    }

    @Override
    protected void close() {
        OpcUaClient c = client;
        client = null;
        if (c != null) {
            try {
                c.disconnectAsync().get(DISCONNECT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("raw Milo client: disconnect did not complete: " + e);
            }
        }
    }

    @Override
    protected Check check(long windowStartEpochNanos) {
        int wrong = 0;
        int stale = 0;
        for (int i = 0; i < items; i++) {
            long source = lastSource.get(i);
            if (source == 0 || variableOf(Double.longBitsToDouble(lastValueBits.get(i))) != i) {
                wrong++;
            } else if (source < windowStartEpochNanos) {
                stale++;
            }
        }
        return new Check(wrong, stale);
    }

    /** The data-change listener, on Milo's threads, in order for the subscription. */
    private final class Listener implements OpcUaSubscription.SubscriptionListener {
        @Override
        public void onDataReceived(OpcUaSubscription subscription, List<OpcUaMonitoredItem> monitoredItems,
                                   List<DataValue> values) {
            LatencyHistogram w = window;
            for (int i = 0; i < monitoredItems.size(); i++) {
                DataValue dv = values.get(i);
                StatusCode sc = dv.getStatusCode();
                DateTime time = dv.getSourceTime() != null ? dv.getSourceTime() : dv.getServerTime();
                if ((sc != null && !sc.isGood()) || time == null || !(dv.getValue().getValue() instanceof Double d)) {
                    otherValues.increment();
                    continue;
                }
                long source = LatencyHistogram.epochNanosOfUtcTicks(time.getUtcTime());
                if (w != null) {
                    w.recordSince(source);
                }
                int k = (Integer) monitoredItems.get(i).getUserObject().orElseThrow();
                // Release stores, as cheap as plain ones here: the check reads them on another thread.
                lastValueBits.lazySet(k, Double.doubleToRawLongBits(d));
                if (lastSource.get(k) == 0) {
                    withValue.incrementAndGet();
                }
                lastSource.lazySet(k, source);
            }
        }
    }
}
