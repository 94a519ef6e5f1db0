package dev.stator.driver.modbus;

import dev.stator.driver.api.Scaling;
import dev.stator.driver.api.TagValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding over the wire against fixed register patterns written straight into a j2mod slave's process image: the
 * expected bytes below are written out by hand for every type and byte order, never produced by the driver's own
 * encoder.
 */
class DecodingTest {

    private TestSlave slave;
    private TestEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (slave != null) {
            slave.close();
        }
    }

    @Test
    void everyTypeInEveryByteOrder() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 200), false);
        // float32 3.1415927 = 0x40490FDB: bytes A=40 B=49 C=0F D=DB
        slave.holding(0, 0x4049, 0x0FDB);   // abcd
        slave.holding(2, 0x0FDB, 0x4049);   // cdab
        slave.holding(4, 0x4940, 0xDB0F);   // badc
        slave.holding(6, 0xDB0F, 0x4940);   // dcba
        // float64 pi = 0x400921FB54442D18
        slave.holding(10, 0x4009, 0x21FB, 0x5444, 0x2D18);   // abcd
        slave.holding(14, 0x2D18, 0x5444, 0x21FB, 0x4009);   // cdab: words reversed
        slave.holding(18, 0x0940, 0xFB21, 0x4454, 0x182D);   // badc: bytes swapped in each word
        slave.holding(22, 0x182D, 0x4454, 0xFB21, 0x0940);   // dcba
        // int32 -123456789 = 0xF8A432EB ; uint32 4000000000 = 0xEE6B2800
        slave.holding(30, 0xF8A4, 0x32EB);
        slave.holding(32, 0x32EB, 0xF8A4);
        slave.holding(34, 0xA4F8, 0xEB32);
        slave.holding(36, 0xEE6B, 0x2800);
        slave.holding(38, 0x0028, 0x6BEE);
        // int64 -1234567890123 = 0xFFFFFEE08E04FB35
        slave.holding(40, 0xFFFF, 0xFEE0, 0x8E04, 0xFB35);
        slave.holding(44, 0xFB35, 0x8E04, 0xFEE0, 0xFFFF);
        // int16 -2 = 0xFFFE, uint16 0x1234, its byte swap 0x3412
        slave.holding(50, 0xFFFE, 0x1234, 0x3412, 0x8000);
        // "PUMP-1" in 6 chars: 'PU' 'MP' '-1'; "ABC" in 4 chars: 'AB' 'C\0'; byte-swapped 'BA' '\0C'
        slave.holding(60, 0x5055, 0x4D50, 0x2D31);
        slave.holding(64, 0x4142, 0x4300);
        slave.holding(66, 0x4241, 0x0043);
        // bits of a register: 0x8005 has bits 0, 2 and 15
        slave.input(0, 0x8005);
        // an array of three int16: 1, -1, 300
        slave.input(10, 0x0001, 0xFFFF, 0x012C);

        endpoint = TestEndpoint.tcp(slave.port).device("max-gap", "20")
                .tag("f-abcd", "hr:0:float32").tag("f-cdab", "hr:2:float32:cdab").tag("f-badc", "hr:4:float32:badc")
                .tag("f-dcba", "hr:6:float32:dcba")
                .tag("d-abcd", "hr:10:float64").tag("d-cdab", "hr:14:float64:cdab")
                .tag("d-badc", "hr:18:float64:badc").tag("d-dcba", "hr:22:float64:dcba")
                .tag("i32", "hr:30:int32").tag("i32-cdab", "hr:32:int32:cdab").tag("i32-badc", "hr:34:int32:badc")
                .tag("u32", "hr:36:uint32").tag("u32-dcba", "hr:38:uint32:dcba")
                .tag("i64", "hr:40:int64").tag("i64-cdab", "hr:44:int64:cdab")
                .tag("i16", "hr:50:int16").tag("u16", "hr:51:uint16").tag("u16-badc", "hr:52:uint16:badc")
                .tag("u16-high", "hr:53")
                .tag("name", "hr:60:string[6]").tag("short", "hr:64:string[4]").tag("swapped", "hr:66:string[4]:badc")
                .tag("bit0", "ir:0.0").tag("bit1", "ir:0.1").tag("bit15", "ir:0.15")
                .tag("array", "ir:10:int16[3]")
                .start();

        for (String t : List.of("f-abcd", "f-cdab", "f-badc", "f-dcba")) {
            assertThat(endpoint.value(t)).as(t).isEqualTo((double) 3.1415927f);
        }
        for (String t : List.of("d-abcd", "d-cdab", "d-badc", "d-dcba")) {
            assertThat(endpoint.value(t)).as(t).isEqualTo(Math.PI);
        }
        assertThat(endpoint.value("i32")).isEqualTo(-123456789L);
        assertThat(endpoint.value("i32-cdab")).isEqualTo(-123456789L);
        assertThat(endpoint.value("i32-badc")).isEqualTo(-123456789L);
        assertThat(endpoint.value("u32")).isEqualTo(4_000_000_000L);
        assertThat(endpoint.value("u32-dcba")).isEqualTo(4_000_000_000L);
        assertThat(endpoint.value("i64")).isEqualTo(-1234567890123L);
        assertThat(endpoint.value("i64-cdab")).isEqualTo(-1234567890123L);
        assertThat(endpoint.value("i16")).isEqualTo(-2L);
        assertThat(endpoint.value("u16")).isEqualTo(0x1234L);
        assertThat(endpoint.value("u16-badc")).isEqualTo(0x1234L);
        assertThat(endpoint.value("u16-high")).isEqualTo(32768L);
        assertThat(endpoint.value("name")).isEqualTo("PUMP-1");
        assertThat(endpoint.value("short")).isEqualTo("ABC");
        assertThat(endpoint.value("swapped")).isEqualTo("ABC");
        assertThat(endpoint.value("bit0")).isEqualTo(true);
        assertThat(endpoint.value("bit1")).isEqualTo(false);
        assertThat(endpoint.value("bit15")).isEqualTo(true);
        assertThat(endpoint.value("array")).isEqualTo(List.of(1L, -1L, 300L));
    }

    @Test
    void theDevicesByteOrderAppliesToTagsThatNameNone() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 20), false);
        slave.holding(0, 0x0FDB, 0x4049);     // cdab, the device's order
        slave.holding(2, 0x4049, 0x0FDB);     // abcd, the tag overrides
        endpoint = TestEndpoint.tcp(slave.port).device("byte-order", "cdab")
                .tag("device-order", "hr:0:float32").tag("own-order", "hr:2:float32:abcd").start();
        assertThat(endpoint.value("device-order")).isEqualTo((double) 3.1415927f);
        assertThat(endpoint.value("own-order")).isEqualTo((double) 3.1415927f);
    }

    @Test
    void coilsAndDiscreteInputsAsBitsAndArrays() throws Exception {
        var image = TestSlave.image(1, 40);
        image.getDigitalOut(3).set(true);
        image.getDigitalOut(5).set(true);
        ((com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn) image.getDigitalIn(30)).set(true);
        slave = TestSlave.start(image, false);
        endpoint = TestEndpoint.tcp(slave.port).tag("c3", "coil:3").tag("c4", "coil:4")
                .tag("coils", "coil:2:bool[4]").tag("di30", "di:30").start();
        assertThat(endpoint.value("c3")).isEqualTo(true);
        assertThat(endpoint.value("c4")).isEqualTo(false);
        assertThat(endpoint.value("coils")).isEqualTo(List.of(false, true, false, true));
        assertThat(endpoint.value("di30")).isEqualTo(true);
    }

    @Test
    void oneBasedNumberingIsConvertedForDevicesDocumentedThatWay() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 20), false);
        slave.holding(0, 0x4049, 0x0FDB);
        endpoint = TestEndpoint.tcp(slave.port).device("address-base", "1").tag("first", "hr:1:float32").start();
        assertThat(endpoint.value("first")).isEqualTo((double) 3.1415927f);
    }

    @Test
    void scalingReadsEngineeringUnitsAndWritesRawOnes() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        slave.input(0, 215);            // tenths of a degree
        slave.input(1, 13824);          // half of a 0-27648 analog input
        slave.input(2, 30000);          // over range
        endpoint = TestEndpoint.tcp(slave.port).scaled("temp", "ir:0:int16", new Scaling(0.1, 0, Double.NaN,
                        Double.NaN))
                .scaled("ai", "ir:1:int16", Scaling.ofRanges(0, 27648, 0, 100, true))
                .scaled("ai-over", "ir:2:int16", Scaling.ofRanges(0, 27648, 0, 100, true))
                .scaled("sp", "hr:0:int16", new Scaling(0.1, 0, Double.NaN, Double.NaN)).start();
        assertThat((Double) endpoint.value("temp")).isCloseTo(21.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(endpoint.value("ai")).isEqualTo(50.0);
        assertThat(endpoint.value("ai-over")).as("clamped to the eng range").isEqualTo(100.0);
        // 12.34 in tenths is 123.4: an int16 register takes the nearest whole raw value, 123.
        TagValue readBack = endpoint.endpoint.write("sp", 12.34).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(slave.holdingValue(0)).isEqualTo(123);
        assertThat((Double) readBack.value()).isCloseTo(12.3, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aDeadbandKeepsSmallChangesFromBeingReported() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 10), false);
        slave.input(0, 1000);
        slave.input(1, 1000);
        endpoint = TestEndpoint.tcp(slave.port)
                .withDeadband("abs", "ir:0", new dev.stator.driver.api.Deadband(5, false), null)
                .withDeadband("pct", "ir:1", dev.stator.driver.api.Deadband.parse("1%"),
                        new dev.stator.driver.api.EngineeringRange(0, 2000)).start();
        endpoint.value("abs");
        endpoint.value("pct");
        slave.input(0, 1004);   // within 5
        slave.input(1, 1019);   // within 1 % of 2000 = 20
        Thread.sleep(400);      // several scans of 50 ms
        slave.input(0, 1006);
        slave.input(1, 1021);
        assertThat(endpoint.await("abs", v -> Long.valueOf(1006).equals(v.value())).value()).isEqualTo(1006L);
        assertThat(endpoint.await("pct", v -> Long.valueOf(1021).equals(v.value())).value()).isEqualTo(1021L);
        assertThat(endpoint.received.stream().filter(r -> r.tag().equals("abs")).map(r -> r.value().value())
                .toList()).as("1004 never reported").containsExactly(1000L, 1006L);
        assertThat(endpoint.received.stream().filter(r -> r.tag().equals("pct")).map(r -> r.value().value())
                .toList()).containsExactly(1000L, 1021L);
    }

    @Test
    void rtuFramesOverTcp() throws Exception {
        slave = TestSlave.start(TestSlave.image(1, 20), true);
        slave.holding(0, 0x4049, 0x0FDB);
        endpoint = new TestEndpoint.Spec(ModbusDriverProvider.RTU_OVER_TCP, slave.port).tag("pi", "hr:0:float32")
                .start();
        assertThat(endpoint.value("pi")).isEqualTo((double) 3.1415927f);
    }
}
