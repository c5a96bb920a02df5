package dev.nuvola.devstack.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.nuvola.devstack.platform.NodeFile;

/**
 * The demo's fleet, a small chat service ("ChatMe"): what runs on each simulated host, and the policy each kind
 * of guest gets. The XMPP server holds every user's connection, so it ranks highest, may not move and must
 * never be restarted; the web front ends rank lowest and move first when it needs room.
 */
public final class DemoFleet {

    /**
     * A guest's policy as inventory's {@code PUT /api/v1/guests/{id}/policy} takes it.
     *
     * @param maxMemoryMiB the most the policy allows; never above the guest's hypervisor maximum
     */
    public record Policy(long minMemoryMiB, long maxMemoryMiB, int minVcpus, int maxVcpus, int priority,
                         boolean migratable, boolean neverRestart, String antiAffinityGroup) {

        /** The same policy within the guest's hypervisor maxima, as inventory requires. */
        public Policy within(long hypervisorMaxMemoryMiB, int hypervisorMaxVcpus) {
            long max = Math.min(maxMemoryMiB, hypervisorMaxMemoryMiB);
            int maxV = Math.min(maxVcpus, hypervisorMaxVcpus);
            return new Policy(Math.min(minMemoryMiB, max), max, Math.min(minVcpus, maxV), maxV, priority, migratable,
                    neverRestart, antiAffinityGroup);
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"minMemoryMiB\":%d,\"maxMemoryMiB\":%d,\"minVcpus\":%d,\"maxVcpus\":%d,"
                            + "\"priority\":%d,\"migratable\":%b,\"neverRestart\":%b%s}", minMemoryMiB, maxMemoryMiB,
                    minVcpus, maxVcpus, priority, migratable, neverRestart,
                    antiAffinityGroup == null ? "" : ",\"antiAffinityGroup\":\"" + antiAffinityGroup + "\"");
        }
    }

    /** The chat server: first in line, stays where it is, never stopped. 6 GiB at most: its host can give that. */
    public static final Policy XMPP = new Policy(1024, 6144, 1, 8, 100, false, true, null);
    /** Databases: movable, but after the others; two never share a host. */
    public static final Policy DATABASE = new Policy(1024, 8192, 1, 4, 50, true, false, "db");
    public static final Policy MAIL = new Policy(256, 2048, 1, 2, 20, true, false, null);
    /** Web front ends: stateless, the first to make room. */
    public static final Policy WEB = new Policy(512, 4096, 1, 4, 10, true, false, null);

    /** The guest the evening scenario loads, on host 1. */
    public static final String CHAT_SERVER = "xmpp-1";

    private DemoFleet() {
    }

    /** The policy a demo guest gets from its name, or none for a guest that is not part of the fleet. */
    public static Optional<Policy> policyFor(String guest) {
        if (guest.startsWith("xmpp-")) {
            return Optional.of(XMPP);
        }
        if (guest.startsWith("db-")) {
            return Optional.of(DATABASE);
        }
        if (guest.startsWith("mail-")) {
            return Optional.of(MAIL);
        }
        if (guest.startsWith("web-")) {
            return Optional.of(WEB);
        }
        return Optional.empty();
    }

    /** The checkout's demo node file of host i, or a small generated one (one web guest) beyond those. */
    public static Path nodeFile(Path repo, Path work, int i) {
        Path shipped = repo.resolve("host-agent/src/main/resources/nodes/demo-host-" + i + ".xml");
        if (Files.isRegularFile(shipped)) {
            return shipped;
        }
        Path generated = work.resolve("demo-host-" + i + ".xml");
        try {
            Files.writeString(generated, NodeFile.xml(16384, 8,
                    List.of(new NodeFile.Domain("web-" + i, 1024, 4096, 1, 4))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + generated, e);
        }
        return generated;
    }
}
