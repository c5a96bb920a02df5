#!/bin/bash
# Creates the platform's topics (events/src/main/java/dev/nuvola/events/Topics.java): each topic and its
# dead-letter topic, compacted where the topic is a table of latest states. Idempotent (--if-not-exists).
# Used by docker-compose.yml (service kafka-topics) and by the dev overlay's Job (kafka-topics).
# deploy-tests checks that these lists equal Topics.ALL and Topics.COMPACTED.
set -euo pipefail

# Not KAFKA_*: the apache/kafka image turns every KAFKA_* variable into a broker setting.
BOOTSTRAP="${NUVOLA_KAFKA_BOOTSTRAP:-kafka:9092}"
PARTITIONS="${NUVOLA_TOPIC_PARTITIONS:-6}"
KAFKA_TOPICS="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"

TOPICS="nuvola.guest-metrics nuvola.host-status nuvola.guest-policies nuvola.resize-commands nuvola.resize-results nuvola.migration-requests nuvola.migration-commands nuvola.migration-events"
COMPACTED="nuvola.host-status nuvola.guest-policies"

create() {
    "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" \
        --partitions "$PARTITIONS" --replication-factor 1 "${@:2}"
}

for topic in $TOPICS; do
    if [[ " $COMPACTED " == *" $topic "* ]]; then
        create "$topic" --config cleanup.policy=compact
    else
        create "$topic"
    fi
    # Same partition count as the topic, so a dead record keeps its key's partition; never compacted:
    # every failed record matters.
    create "$topic.dlq"
done
echo "[kafka-topics] $(echo $TOPICS | wc -w) topics and their .dlq ready on $BOOTSTRAP"
