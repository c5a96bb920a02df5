package dev.nuvola.migration.logic.placement;

import java.util.List;

/**
 * Scores a host that passed every filter, as in Nova: each weigher's raw values are normalised to 0..1
 * over the candidates, multiplied by the weigher's multiplier and summed. Higher wins.
 */
public interface Weigher {
    String name();

    double raw(GuestToPlace guest, HostRoom host);

    /** Memory left on the host after the guest lands: pack onto roomy hosts, keep headroom for grows. */
    Weigher FREE_MEMORY = new Weigher() {
        public String name() {
            return "freeMemory";
        }

        public double raw(GuestToPlace guest, HostRoom host) {
            return Rules.freeMemoryAfter(guest, host);
        }
    };

    /**
     * The fraction of the host left free after placement, of its scarcer resource (memory or vCPUs): spreads
     * load evenly whatever the hosts' sizes, where free memory alone would always prefer the biggest host.
     */
    Weigher BALANCE = new Weigher() {
        public String name() {
            return "balance";
        }

        public double raw(GuestToPlace guest, HostRoom host) {
            return Rules.balanceAfter(guest, host);
        }
    };

    /** Like Nova's BuildFailureWeigher: a host whose migrations failed lately is tried last. */
    Weigher RECENT_FAILURES = new Weigher() {
        public String name() {
            return "recentFailures";
        }

        public double raw(GuestToPlace guest, HostRoom host) {
            return Rules.failures(guest, host);
        }
    };

    List<Weigher> STANDARD = List.of(FREE_MEMORY, BALANCE, RECENT_FAILURES);
}
