package dev.nuvola.agent.driver.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.PointerByReference;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

import java.lang.reflect.Field;

/**
 * The libvirt C calls that libvirt-java 0.5.3 lacks (virDomainSetMemoryFlags,
 * virConnectListAllDomains) or makes slow (getInfo and memoryStats build JNA Structures by
 * reflection on every call: 50 ms for 1,000 domains against 6.5 ms with the raw calls below).
 *
 * <p>Callers must hold the driver's lock: libvirt keeps its last error per thread, read here right
 * after the failing call, and the scratch buffers passed in are reused.
 */
final class LibvirtNative {

    /** virDomainModificationImpact: change the running guest, its saved definition, or both. */
    static final int AFFECT_LIVE = 1;
    static final int AFFECT_CONFIG = 2;

    /** virErrorNumber values we act on. */
    static final int ERR_NO_SUPPORT = 3;
    static final int ERR_NO_DOMAIN = 42;

    /** virDomainState. */
    static final int STATE_RUNNING = 1;

    /** virDomainMemoryStatTags we read, and how many tags there are (VIR_DOMAIN_MEMORY_STAT_NR). */
    static final int STAT_UNUSED = 4;
    static final int STAT_ACTUAL_BALLOON = 6;
    static final int STAT_RSS = 7;
    static final int STAT_NR = 13;

    private static final int LIST_DOMAINS_ACTIVE = 1;

    /*
     * struct virDomainInfo { unsigned char state; unsigned long maxMem; unsigned long memory;
     *                        unsigned short nrVirtCpu; unsigned long long cpuTime; }
     * on LP64 (Linux x86_64, aarch64): offsets 0, 8, 16, 24, 32; size 40.
     */
    static final int INFO_SIZE = 40;
    private static final int INFO_STATE = 0;
    private static final int INFO_MAX_MEM = 8;
    private static final int INFO_MEMORY = 16;
    private static final int INFO_NR_VIRT_CPU = 24;
    private static final int INFO_CPU_TIME = 32;

    /* struct virDomainMemoryStat { int tag; unsigned long long val; }: offsets 0, 8; size 16. */
    private static final int STAT_SIZE = 16;
    private static final int STAT_VAL = 8;
    static final int STATS_SIZE = STAT_SIZE * STAT_NR;

    private interface Virt extends Library {
        int virConnectListAllDomains(Pointer conn, PointerByReference domains, int flags);

        String virDomainGetName(Pointer domain);

        int virDomainGetID(Pointer domain);

        int virDomainGetInfo(Pointer domain, Pointer info);

        int virDomainMemoryStats(Pointer domain, Pointer stats, int nrStats, int flags);

        int virDomainGetMaxVcpus(Pointer domain);

        /** The caller frees the returned string. */
        Pointer virDomainGetXMLDesc(Pointer domain, int flags);

        int virDomainSetMemoryFlags(Pointer domain, NativeLong memoryKiB, int flags);

        int virDomainFree(Pointer domain);

        int virGetLastErrorCode();

        String virGetLastErrorMessage();
    }

    private static final Virt VIRT = Native.load("virt", Virt.class);

    /** libvirt-java keeps the C handles in non-public fields (Connect.vcp, Domain.vdp): found once. */
    private static final Field CONNECT_POINTER = accessible(Connect.class, "vcp");
    private static final Field DOMAIN_POINTER = accessible(Domain.class, "vdp");

    /**
     * Without an error function libvirt prints every error to stderr, including the ones we expect
     * and turn into exceptions (unknown guest, size above max). The callback must stay strongly
     * reachable, or JNA frees it while libvirt still holds it.
     */
    private static final Libvirt.VirErrorCallback SILENT = new Libvirt.VirErrorCallback() {
        @Override
        public void errorCallback(Pointer userData, virError error) {
        }
    };

    /** A libvirt call returned -1; code is libvirt's virErrorNumber. */
    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** One virDomainGetInfo; memory in KiB. */
    record Info(int state, long maxMemoryKiB, long memoryKiB, int vcpus, long cpuTimeNanos) {
    }

    private LibvirtNative() {
    }

    /** Stops libvirt's stderr printing for the whole process; errors still reach us as return codes. */
    static void silenceErrorPrinting() {
        try {
            Connect.setErrorCallback(SILENT);
        } catch (LibvirtException e) {
            // Only a cosmetic loss: errors keep being printed as well as reported.
        }
    }

    static Pointer handle(Connect connect) {
        return pointer(CONNECT_POINTER, connect, "connection already closed");
    }

    static Pointer handle(Domain domain) {
        return pointer(DOMAIN_POINTER, domain, "domain handle already freed");
    }

    /** Handles to every active domain; release each with {@link #free(Pointer)}. */
    static Pointer[] listActiveDomains(Pointer connection) {
        PointerByReference array = new PointerByReference();
        int count = check(VIRT.virConnectListAllDomains(connection, array, LIST_DOMAINS_ACTIVE));
        Pointer first = array.getValue();
        if (first == null) {
            return new Pointer[0];
        }
        Pointer[] domains = first.getPointerArray(0, count);
        Native.free(Pointer.nativeValue(first)); // the array itself; the handles stay ours
        return domains;
    }

    static void free(Pointer domain) {
        VIRT.virDomainFree(domain);
    }

    static String name(Pointer domain) {
        String name = VIRT.virDomainGetName(domain);
        if (name == null) {
            throw failure();
        }
        return name;
    }

    /** The domain's id, or -1 when it is not running. */
    static int id(Pointer domain) {
        return VIRT.virDomainGetID(domain);
    }

    static Info info(Pointer domain, Memory scratch) {
        check(VIRT.virDomainGetInfo(domain, scratch));
        return new Info(
                scratch.getByte(INFO_STATE) & 0xff,
                scratch.getNativeLong(INFO_MAX_MEM).longValue(),
                scratch.getNativeLong(INFO_MEMORY).longValue(),
                scratch.getShort(INFO_NR_VIRT_CPU) & 0xffff,
                scratch.getLong(INFO_CPU_TIME));
    }

    /**
     * virDomainMemoryStats, indexed by tag: {@code stats[STAT_RSS]} is the RSS in KiB, or -1 when
     * the hypervisor did not report it.
     */
    static long[] memoryStats(Pointer domain, Memory scratch) {
        int count = check(VIRT.virDomainMemoryStats(domain, scratch, STAT_NR, 0));
        long[] byTag = new long[STAT_NR];
        java.util.Arrays.fill(byTag, -1);
        for (int i = 0; i < count; i++) {
            int tag = scratch.getInt((long) i * STAT_SIZE);
            if (tag >= 0 && tag < STAT_NR) {
                byTag[tag] = scratch.getLong((long) i * STAT_SIZE + STAT_VAL);
            }
        }
        return byTag;
    }

    static int maxVcpus(Pointer domain) {
        return check(VIRT.virDomainGetMaxVcpus(domain));
    }

    static String xml(Pointer domain) {
        Pointer xml = VIRT.virDomainGetXMLDesc(domain, 0);
        if (xml == null) {
            throw failure();
        }
        try {
            return xml.getString(0, "UTF-8");
        } finally {
            Native.free(Pointer.nativeValue(xml));
        }
    }

    static void setMemoryFlags(Pointer domain, long memoryKiB, int flags) {
        check(VIRT.virDomainSetMemoryFlags(domain, new NativeLong(memoryKiB), flags));
    }

    private static int check(int rc) {
        if (rc < 0) {
            throw failure();
        }
        return rc;
    }

    private static Failure failure() {
        return new Failure(VIRT.virGetLastErrorCode(), VIRT.virGetLastErrorMessage());
    }

    private static Field accessible(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("libvirt-java no longer has " + type.getSimpleName() + "." + name);
        }
    }

    private static Pointer pointer(Field field, Object owner, String whenNull) {
        try {
            PointerType handle = (PointerType) field.get(owner);
            if (handle == null || handle.getPointer() == null) {
                throw new IllegalStateException(whenNull);
            }
            return handle.getPointer();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
