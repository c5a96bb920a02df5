package dev.nuvola.system;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The collections of this JVM (the benchmark's, which runs the broker) while it is open: a broker that stops
 * stops every service's traffic at once, and nothing else in the benchmark would show it.
 */
final class GcPauses implements NotificationListener, AutoCloseable {
    private record Pause(String name, long millis, long endedAt) {
    }

    private final List<Pause> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    GcPauses() {
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                    .from((CompositeData) notification.getUserData());
            synchronized (pauses) {
                pauses.add(new Pause(info.getGcName(), info.getGcInfo().getDuration(), System.currentTimeMillis()));
            }
        }
    }

    /** e.g. "41 collections, 380 ms in all, the longest 95 ms (G1 Young Generation, ended 05:37:06 UTC)". */
    String summary() {
        synchronized (pauses) {
            if (pauses.isEmpty()) {
                return "no collection";
            }
            Pause longest = pauses.stream().max((a, b) -> Long.compare(a.millis(), b.millis())).orElseThrow();
            return String.format("%d collections, %d ms in all, the longest %d ms (%s, ended %s UTC)", pauses.size(),
                    pauses.stream().mapToLong(Pause::millis).sum(), longest.millis(), longest.name(),
                    LocalTime.ofInstant(Instant.ofEpochMilli(longest.endedAt()), ZoneOffset.UTC).withNano(0));
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // not registered: nothing to remove
            }
        }
    }
}
