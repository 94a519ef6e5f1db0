package dev.stator.driver.modbus;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A real j2mod Modbus slave on 127.0.0.1 with a plain process image that tests fill with known register patterns.
 * Tables hold {@code size} entries each, all zero until set.
 */
final class TestSlave implements AutoCloseable {

    final SimpleProcessImage image;
    final int port;
    private final ModbusSlave slave;

    private TestSlave(SimpleProcessImage image, int port, ModbusSlave slave) {
        this.image = image;
        this.port = port;
        this.slave = slave;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static SimpleProcessImage image(int unit, int size) {
        SimpleProcessImage image = new SimpleProcessImage(unit);
        for (int i = 0; i < size; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addInputRegister(new SimpleInputRegister(0));
            image.addDigitalOut(new SimpleDigitalOut(false));
            image.addDigitalIn(new SimpleDigitalIn(false));
        }
        return image;
    }

    /** A Modbus TCP slave (or RTU over TCP) serving {@code image} as unit 1 on a free loopback port. */
    static TestSlave start(SimpleProcessImage image, boolean rtuOverTcp) throws Exception {
        return start(image, freePort(), rtuOverTcp);
    }

    static TestSlave start(SimpleProcessImage image, int port, boolean rtuOverTcp) throws Exception {
        ModbusSlave s = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, rtuOverTcp);
        s.addProcessImage(1, image);
        s.open();
        return new TestSlave(image, port, s);
    }

    void holding(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            image.getRegister(address + i).setValue(words[i]);
        }
    }

    void input(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            ((SimpleInputRegister) image.getInputRegister(address + i)).setValue(words[i]);
        }
    }

    int holdingValue(int address) {
        return image.getRegister(address).toUnsignedShort();
    }

    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
    }
}
