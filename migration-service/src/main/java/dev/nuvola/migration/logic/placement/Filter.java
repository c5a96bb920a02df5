package dev.nuvola.migration.logic.placement;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;


/**
 * A yes/no rule on one candidate host, as in Nova's FilterScheduler. {@link #why} is only asked of hosts
 * that failed, so that the hot path builds no text.
 */
public interface Filter {
    String name();

    boolean passes(GuestToPlace guest, HostRoom host);

    /** Why {@code host} fails this filter for {@code guest}. */
    String why(GuestToPlace guest, HostRoom host);

    static Filter of(String name, BiPredicate<GuestToPlace, HostRoom> passes,
                     BiFunction<GuestToPlace, HostRoom, String> why) {
        return new Filter() {
            public String name() {
                return name;
            }

            public boolean passes(GuestToPlace guest, HostRoom host) {
                return passes.test(guest, host);
            }

            public String why(GuestToPlace guest, HostRoom host) {
                return why.apply(guest, host);
            }
        };
    }

    /** The operator's choice of target, when there is one: every other host is out. */
    Filter REQUIRED_HOST = of("RequiredHostFilter", Rules::requiredHost,
            (guest, host) -> "the request names " + guest.requiredHostId() + " as the target");

    Filter NOT_SOURCE = of("NotSourceFilter", Rules::notSource, (guest, host) -> "the guest runs here already");

    Filter HOST_STATE = of("HostStateFilter", Rules::active,
            (guest, host) -> "host is " + host.state() + ", not ACTIVE");

    /** Free room minus what migrations in flight towards the host already hold. */
    Filter CAPACITY = of("CapacityFilter", Rules::fits, Filter::capacityShortfall);

    Filter ANTI_AFFINITY = of("AntiAffinityFilter", Rules::antiAffinity,
            (guest, host) -> "a guest of anti-affinity group '" + guest.antiAffinityGroup() + "' is (or will be) here");

    Filter MIGRATION_METHOD = of("MigrationMethodFilter", Rules::hasMethod,
            (guest, host) -> Methods.whyNone(guest, host.capabilities()));

    /**
     * Cheapest and most selective first: most hosts are decided by the first filters. {@link Rules#firstStandardFailure}
     * follows this order.
     */
    List<Filter> STANDARD = List.of(REQUIRED_HOST, NOT_SOURCE, HOST_STATE, CAPACITY, ANTI_AFFINITY, MIGRATION_METHOD);

    private static String capacityShortfall(GuestToPlace guest, HostRoom host) {
        StringBuilder why = new StringBuilder();
        if (host.memoryAvailableMiB() < guest.size().memoryMiB()) {
            why.append("needs ").append(guest.size().memoryMiB()).append(" MiB, has ")
                    .append(host.memoryAvailableMiB()).append(" MiB (").append(host.memoryFreeMiB()).append(" free, ")
                    .append(host.reservedMemoryMiB()).append(" reserved)");
        }
        if (host.vcpusAvailable() < guest.size().vcpus()) {
            if (!why.isEmpty()) {
                why.append("; ");
            }
            why.append("needs ").append(guest.size().vcpus()).append(" vCPUs, has ").append(host.vcpusAvailable())
                    .append(" (").append(host.vcpusFree()).append(" free, ").append(host.reservedVcpus())
                    .append(" reserved)");
        }
        return why.toString();
    }
}
