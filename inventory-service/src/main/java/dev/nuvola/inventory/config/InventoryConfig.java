package dev.nuvola.inventory.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "nuvola.inventory")
public interface InventoryConfig {

    /** Agents sample every second; the inventory keeps at most one sample per guest per this interval. */
    @WithDefault("5s")
    Duration metricsSampleInterval();

    /** Kept samples older than this are deleted: the dashboard's chart shows this much. */
    @WithDefault("6h")
    Duration sampleRetention();

    /** The site this inventory serves: its SITE prefixes give addresses to every guest without a HOST prefix. */
    @WithDefault("default")
    String site();

    /**
     * Applied event ids are forgotten after this long: far longer than any redelivery (a consumer restart, a
     * rebalance) takes, and the table would otherwise grow with every event for ever.
     */
    @WithDefault("168h")
    Duration processedEventRetention();

    Outbox outbox();

    interface Outbox {
        /** How often unsent entries are looked for (each commit also triggers a relay at once). */
        @WithDefault("1s")
        Duration poll();

        /** Entries relayed in one transaction. */
        @WithDefault("100")
        int batch();

        /** Sent entries are deleted after this long (consumers dedupe by event id; Kafka keeps the events). */
        @WithDefault("24h")
        Duration keepSent();
    }
}
