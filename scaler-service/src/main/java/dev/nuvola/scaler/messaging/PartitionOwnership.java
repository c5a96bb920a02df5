package dev.nuvola.scaler.messaging;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.nuvola.scaler.service.ScalingService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/** When partitions move to another instance, this one forgets their guests; the new owner rebuilds them. */
@ApplicationScoped
@Named("scaler-partitions")
public class PartitionOwnership implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    private final ScalingService scaling;

    PartitionOwnership(ScalingService scaling) {
        this.scaling = scaling;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        scaling.revoked(partitions.stream().map(TopicPartition::partition).distinct().toList());
        LOG.infof("partitions revoked: %s; guests now owned: %d", partitions, scaling.ownedGuests().size());
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        LOG.infof("partitions assigned: %s", partitions);
    }
}
