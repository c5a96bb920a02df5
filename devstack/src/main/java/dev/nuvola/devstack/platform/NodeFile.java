package dev.nuvola.devstack.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * libvirt test-driver node files ({@code test:///ABSOLUTE/PATH/node.xml}): a host's size and its
 * domains, which start running. {@code memory} and {@code vcpu} are the hypervisor maximums,
 * {@code currentMemory} and {@code vcpu/@current} the live sizes.
 */
public final class NodeFile {

    public record Domain(String name, long memoryMiB, long maxMemoryMiB, int vcpus, int maxVcpus) {
    }

    private NodeFile() {
    }

    public static String xml(long memoryMiB, int cpus, List<Domain> domains) {
        StringBuilder xml = new StringBuilder(256 + 320 * domains.size());
        xml.append("<node>\n  <cpu>\n    <mhz>2400</mhz>\n    <model>x86_64</model>\n")
                .append("    <nodes>1</nodes>\n    <sockets>1</sockets>\n    <cores>").append(cpus)
                .append("</cores>\n    <threads>1</threads>\n    <active>").append(cpus).append("</active>\n  </cpu>\n")
                .append("  <memory>").append(memoryMiB * 1024).append("</memory>\n");
        for (Domain d : domains) {
            xml.append("  <domain type='test'>\n    <name>").append(d.name()).append("</name>\n")
                    .append("    <uuid>").append(UUID.nameUUIDFromBytes(d.name().getBytes(StandardCharsets.UTF_8)))
                    .append("</uuid>\n")
                    .append("    <memory unit='MiB'>").append(d.maxMemoryMiB()).append("</memory>\n")
                    .append("    <currentMemory unit='MiB'>").append(d.memoryMiB()).append("</currentMemory>\n")
                    .append("    <vcpu placement='static' current='").append(d.vcpus()).append("'>")
                    .append(d.maxVcpus()).append("</vcpu>\n")
                    .append("    <os>\n      <type arch='x86_64'>hvm</type>\n    </os>\n  </domain>\n");
        }
        return xml.append("</node>\n").toString();
    }
}
