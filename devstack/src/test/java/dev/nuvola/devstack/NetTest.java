package dev.nuvola.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NetTest {

    @Test
    void freePortNeverHandsOutTheSamePortTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ports.add(Net.freePort(Net.IPV6_LOOPBACK));
        }
        assertEquals(300, ports.size());
    }
}
