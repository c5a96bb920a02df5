package dev.nuvola.agent.driver.libvirt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.nuvola.agent.driver.Allocation;
import dev.nuvola.agent.driver.DriverCapability;
import dev.nuvola.agent.driver.DriverException;
import dev.nuvola.agent.driver.GuestDriver;
import dev.nuvola.agent.driver.GuestState;
import dev.nuvola.agent.driver.HostCapacity;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_GROW;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MEMORY_SHRINK;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_MIGRATION;
import static dev.nuvola.agent.driver.DriverCapability.LIVE_VCPU;
import static dev.nuvola.agent.driver.DriverCapability.SAVE_RESTORE;

/**
 * {@link GuestDriver} over libvirt: a guest is a libvirt domain, its name the domain name.
 *
 * <p>One {@link Connect} is held open for the driver's life. Every method that touches it is
 * {@code synchronized}: the agent calls from a metrics thread and a command thread, libvirt-java
 * 0.5.3 is not safe to share between threads, and libvirt reports errors per thread (we read them
 * right after the failing call).
 *
 * <p>Reads and memory changes go through {@link LibvirtNative} (raw libvirt calls over JNA): the
 * binding has no setMemoryFlags and no listAllDomains, and its getInfo/memoryStats are too slow
 * for a per-cycle read of 1,000 domains. Lookups by name and vCPU changes use the binding.
 */
public final class LibvirtDriver implements GuestDriver {

    private static final System.Logger LOG = System.getLogger(LibvirtDriver.class.getName());

    private static final long KIB_PER_MIB = 1024;

    private static final int NOT_ACTIVE = -1;

    private static final Pattern MAX_VCPUS_XML = Pattern.compile("<vcpu\\b[^>]*>\\s*(\\d+)\\s*</vcpu>");

    static {
        LibvirtNative.silenceErrorPrinting();
    }

    private final String uri;
    private final Set<DriverCapability> capabilities;
    private final Connect connect;

    /** A running domain's maximum vCPUs cannot change until it restarts, which gives it a new id. */
    private record MaxVcpus(int domainId, int value) {
    }

    private final Map<String, MaxVcpus> maxVcpusByName = new HashMap<>();

    /** Reused by every read: the methods using them are synchronized. */
    private final Memory infoScratch = new Memory(LibvirtNative.INFO_SIZE);
    private final Memory statsScratch = new Memory(LibvirtNative.STATS_SIZE);

    /** Flipped off the first time the hypervisor says it has no memory statistics at all. */
    private boolean memoryStatsSupported = true;

    private boolean closed;

    /**
     * @param uri a libvirt connection URI: {@code qemu:///system}, {@code lxc:///system},
     *            {@code test:///default}, {@code test:///ABSOLUTE/PATH/node.xml}
     */
    public LibvirtDriver(String uri) {
        this.uri = uri;
        this.capabilities = capabilitiesFor(uri);
        try {
            this.connect = new Connect(uri);
        } catch (LibvirtException e) {
            throw new DriverException("cannot open libvirt connection " + uri + ": " + reason(e), e);
        }
    }

    @Override
    public String name() {
        return "libvirt";
    }

    public String uri() {
        return uri;
    }

    @Override
    public Set<DriverCapability> capabilities() {
        return capabilities;
    }

    /**
     * What each libvirt hypervisor driver does to a running domain, from the URI scheme
     * ({@code qemu+ssh} counts as {@code qemu}). Conservative: an unknown scheme gets nothing.
     * <ul>
     *   <li>qemu: the virtio balloon grows memory up to the domain's maximum and shrinks it; vCPUs
     *       hot-plug up to the maximum; live migration and save/restore are native.</li>
     *   <li>lxc: memory is a cgroup limit, raised or lowered live (virDomainSetMemoryFlags LIVE).
     *       The lxc driver implements no virDomainSetVcpusFlags, and no virDomainSave; its
     *       migration does not carry process state across, so none of those are claimed.</li>
     *   <li>test: live memory and vCPU changes and save/restore work (measured); the test driver
     *       has no migration.</li>
     * </ul>
     */
    static Set<DriverCapability> capabilitiesFor(String uri) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        int plus = scheme.indexOf('+');
        if (plus >= 0) {
            scheme = scheme.substring(0, plus);
        }
        return switch (scheme) {
            case "qemu" -> Set.copyOf(EnumSet.of(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK, LIVE_VCPU,
                    LIVE_MIGRATION, SAVE_RESTORE));
            case "lxc" -> Set.copyOf(EnumSet.of(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK));
            case "test" -> Set.copyOf(EnumSet.of(LIVE_MEMORY_GROW, LIVE_MEMORY_SHRINK, LIVE_VCPU,
                    SAVE_RESTORE));
            default -> Set.of();
        };
    }

    @Override
    public synchronized HostCapacity capacity() {
        ensureOpen();
        try {
            NodeInfo node = connect.nodeInfo();
            return new HostCapacity(node.memory / KIB_PER_MIB, node.cpus);
        } catch (LibvirtException e) {
            throw new DriverException("cannot read node info from " + uri + ": " + reason(e), e);
        }
    }

    /**
     * Every active (running or paused) domain, in one pass over libvirt's handles: per domain one
     * getInfo and one memoryStats; the maximum vCPUs is read once per domain start. No XML.
     */
    @Override
    public synchronized List<GuestState> guests() {
        List<GuestState> guests = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        forEachActiveDomain(domain -> {
            GuestState guest = read(domain);
            guests.add(guest);
            seen.add(guest.name());
        });
        maxVcpusByName.keySet().retainAll(seen);
        return guests;
    }

    /** Sizes only: no name, usage or vCPU maximum per domain, which is most of what {@link #guests()} costs. */
    @Override
    public synchronized Allocation allocation() {
        long[] memoryMiB = {0};
        int[] vcpus = {0};
        forEachActiveDomain(domain -> {
            LibvirtNative.Info info = LibvirtNative.info(domain, infoScratch);
            memoryMiB[0] += info.memoryKiB() / KIB_PER_MIB; // rounded per guest, as guests() does
            vcpus[0] += info.vcpus();
        });
        return new Allocation(memoryMiB[0], vcpus[0]);
    }

    /** Hands every active domain to {@code reader} in one pass, skips one that stops meanwhile, frees them all. */
    private void forEachActiveDomain(Consumer<Pointer> reader) {
        ensureOpen();
        Pointer[] domains;
        try {
            domains = LibvirtNative.listActiveDomains(LibvirtNative.handle(connect));
        } catch (LibvirtNative.Failure e) {
            throw new DriverException("cannot list domains on " + uri + ": " + e.getMessage(), e);
        }
        try {
            for (Pointer domain : domains) {
                try {
                    reader.accept(domain);
                } catch (LibvirtNative.Failure e) {
                    if (e.code != LibvirtNative.ERR_NO_DOMAIN) { // else it stopped while we read
                        throw new DriverException("cannot read a domain on " + uri + ": " + e.getMessage(), e);
                    }
                }
            }
        } finally {
            for (Pointer domain : domains) {
                LibvirtNative.free(domain);
            }
        }
    }

    /** The named domain, active or not; empty if libvirt knows no such domain. */
    @Override
    public synchronized Optional<GuestState> guest(String name) {
        ensureOpen();
        Domain domain;
        try {
            domain = connect.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return Optional.empty();
            }
            throw new DriverException("cannot look up guest " + name + " on " + uri + ": " + reason(e), e);
        }
        try {
            return Optional.of(read(LibvirtNative.handle(domain)));
        } catch (LibvirtNative.Failure e) {
            if (e.code == LibvirtNative.ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw new DriverException("cannot read guest " + name + " on " + uri + ": " + e.getMessage(), e);
        } finally {
            free(domain);
        }
    }

    /**
     * Sets the balloon (or cgroup limit) of a running guest. A persistent guest also gets the
     * size in its saved definition, so a restart of the guest keeps it.
     */
    @Override
    public synchronized void setMemory(String name, long memoryMiB) {
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("memory must be positive: " + memoryMiB + " MiB");
        }
        ensureOpen();
        Domain domain = lookup(name);
        try {
            Pointer handle = LibvirtNative.handle(domain);
            long kib = memoryMiB * KIB_PER_MIB;
            // Live first: that is the change the agent asked for. Two calls instead of one with
            // LIVE|CONFIG because the test driver rejects the pair ("mutually exclusive");
            // qemu accepts either form.
            try {
                LibvirtNative.setMemoryFlags(handle, kib, LibvirtNative.AFFECT_LIVE);
            } catch (LibvirtNative.Failure e) {
                throw new DriverException("cannot set memory of " + name + " to " + memoryMiB + " MiB: "
                        + e.getMessage(), e);
            }
            if (isPersistent(domain)) {
                try {
                    LibvirtNative.setMemoryFlags(handle, kib, LibvirtNative.AFFECT_CONFIG);
                } catch (LibvirtNative.Failure e) {
                    // The guest runs at the new size; only a later restart would lose it, so this
                    // is not the agent's failure to report.
                    LOG.log(System.Logger.Level.WARNING, "{0} now runs with {1} MiB, but its saved"
                            + " definition kept the old size: {2}", name, memoryMiB, e.getMessage());
                }
            }
        } finally {
            free(domain);
        }
    }

    /** Hot-plugs or unplugs vCPUs up to the guest's maximum; persistent guests keep the count. */
    @Override
    public synchronized void setVcpus(String name, int vcpus) {
        if (vcpus <= 0) {
            throw new IllegalArgumentException("vCPUs must be positive: " + vcpus);
        }
        onDomain(name, "cannot set vCPUs of " + name + " to " + vcpus, domain -> {
            int flags = Domain.VcpuFlags.LIVE;
            if (isPersistent(domain)) {
                flags |= Domain.VcpuFlags.CONFIG;
            }
            domain.setVcpusFlags(vcpus, flags);
        });
    }

    /** Live, peer to peer, defined on the target and removed here: the guest is never on both hosts. */
    @Override
    public synchronized void migrateLive(String name, String targetUri) {
        long flags = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PEER2PEER | Domain.MigrateFlags.PERSIST_DEST
                | Domain.MigrateFlags.UNDEFINE_SOURCE | Domain.MigrateFlags.ABORT_ON_ERROR;
        onDomain(name, "cannot migrate " + name + " to " + targetUri, domain -> domain.migrateToURI(targetUri, flags, null, 0));
    }

    @Override
    public synchronized void save(String name, Path file) {
        onDomain(name, "cannot save " + name + " to " + file, domain -> domain.save(file.toString()));
    }

    /** libvirt restores a transient domain; it is then defined from its own live XML so that it stays. */
    @Override
    public synchronized String restore(Path file) {
        ensureOpen();
        Set<String> before = runningNames();
        try {
            connect.restore(file.toString());
        } catch (LibvirtException e) {
            throw new DriverException("cannot restore from " + file + ": " + reason(e), e);
        }
        Set<String> added = runningNames();
        added.removeAll(before);
        if (added.size() != 1) {
            throw new DriverException("restoring " + file + " did not start exactly one guest: " + added);
        }
        String name = added.iterator().next();
        Domain domain = lookup(name);
        try {
            if (!isPersistent(domain)) {
                connect.domainDefineXML(domain.getXMLDesc(0)).free();
            }
        } catch (LibvirtException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} runs here after the restore, but could not be defined"
                    + " persistently: {1}", name, reason(e));
        } finally {
            free(domain);
        }
        return name;
    }

    @Override
    public synchronized void undefine(String name) {
        onDomain(name, "cannot remove " + name, domain -> {
            if (domain.isActive() == 1) {
                throw new DriverException(name + " is running: only a stopped guest is removed");
            }
            domain.undefine();
        });
    }

    @Override
    public synchronized void destroy(String name) {
        onDomain(name, "cannot stop " + name, Domain::destroy);
    }

    /** A libvirt call on one domain whose handle is freed afterwards; a refusal becomes a DriverException. */
    private interface DomainCall {
        void apply(Domain domain) throws LibvirtException;
    }

    private void onDomain(String name, String failure, DomainCall call) {
        ensureOpen();
        Domain domain = lookup(name);
        try {
            call.apply(domain);
        } catch (LibvirtException e) {
            throw new DriverException(failure + ": " + reason(e), e);
        } finally {
            free(domain);
        }
    }

    private Set<String> runningNames() {
        Set<String> names = new HashSet<>();
        for (GuestState guest : guests()) {
            if (guest.running()) {
                names.add(guest.name());
            }
        }
        return names;
    }

    /** For tests in this package: the raw connection, to check what libvirt holds. Bypasses the lock. */
    Connect connection() {
        return connect;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connect.close();
        } catch (LibvirtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing libvirt connection {0}: {1}", uri, reason(e));
        }
    }

    // ---- reading one domain ----

    private GuestState read(Pointer domain) {
        String name = LibvirtNative.name(domain);
        int id = LibvirtNative.id(domain);
        LibvirtNative.Info info = LibvirtNative.info(domain, infoScratch);
        boolean active = id != NOT_ACTIVE;
        return new GuestState(
                name,
                info.state() == LibvirtNative.STATE_RUNNING,
                info.memoryKiB() / KIB_PER_MIB,
                info.maxMemoryKiB() / KIB_PER_MIB,
                info.vcpus(),
                active ? maxVcpusOfActive(domain, id, name, info) : maxVcpusFromXml(domain, info),
                active ? usedMiB(domain) : GuestState.UNKNOWN,
                info.cpuTimeNanos());
    }

    private int maxVcpusOfActive(Pointer domain, int id, String name, LibvirtNative.Info info) {
        MaxVcpus cached = maxVcpusByName.get(name);
        if (cached != null && cached.domainId() == id) {
            return cached.value();
        }
        int value;
        try {
            value = LibvirtNative.maxVcpus(domain);
        } catch (LibvirtNative.Failure e) {
            if (e.code == LibvirtNative.ERR_NO_DOMAIN) {
                throw e;
            }
            value = maxVcpusFromXml(domain, info); // a driver without virDomainGetMaxVcpus
        }
        maxVcpusByName.put(name, new MaxVcpus(id, value));
        return value;
    }

    /** Inactive domains (qemu refuses getMaxVcpus for them) and drivers without that call. */
    private static int maxVcpusFromXml(Pointer domain, LibvirtNative.Info info) {
        Matcher m = MAX_VCPUS_XML.matcher(LibvirtNative.xml(domain));
        return m.find() ? Integer.parseInt(m.group(1)) : info.vcpus();
    }

    /**
     * The guest's working set in MiB: balloon size minus what the guest reports unused (needs the
     * balloon driver's stats in the guest), else the host-side RSS, else UNKNOWN. The test driver
     * returns no statistics at all.
     */
    private long usedMiB(Pointer domain) {
        if (!memoryStatsSupported) {
            return GuestState.UNKNOWN;
        }
        long[] stats;
        try {
            stats = LibvirtNative.memoryStats(domain, statsScratch);
        } catch (LibvirtNative.Failure e) {
            if (e.code == LibvirtNative.ERR_NO_SUPPORT) {
                memoryStatsSupported = false;
            }
            return GuestState.UNKNOWN;
        }
        long actual = stats[LibvirtNative.STAT_ACTUAL_BALLOON];
        long unused = stats[LibvirtNative.STAT_UNUSED];
        long rss = stats[LibvirtNative.STAT_RSS];
        if (actual >= 0 && unused >= 0) {
            return Math.max(0, actual - unused) / KIB_PER_MIB;
        }
        if (rss >= 0) {
            return rss / KIB_PER_MIB;
        }
        return GuestState.UNKNOWN;
    }

    // ---- helpers ----

    private Domain lookup(String name) {
        try {
            return connect.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                throw new DriverException("no guest named " + name + " on " + uri, e);
            }
            throw new DriverException("cannot look up guest " + name + " on " + uri + ": " + reason(e), e);
        }
    }

    private static boolean isPersistent(Domain domain) {
        try {
            return domain.isPersistent() == 1;
        } catch (LibvirtException e) {
            return false; // then only the live size changes, which is what was asked
        }
    }

    /** Releases the C handle now rather than leaving it to libvirt-java's finalizer. */
    private static void free(Domain domain) {
        try {
            domain.free();
        } catch (LibvirtException e) {
            // nothing to do: the handle is gone either way
        }
    }

    private static boolean isNoDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    private static String reason(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }

    private void ensureOpen() {
        if (closed) {
            throw new DriverException("libvirt driver for " + uri + " is closed");
        }
    }
}
