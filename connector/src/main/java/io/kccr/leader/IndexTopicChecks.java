package io.kccr.leader;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexBlock;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.TopicDurability;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a leader index's Kafka topics must be before it takes writes: named legally (the topics are named after the
 * index), durable enough to keep every acknowledged write (unless the cluster allows otherwise), and the record size
 * its ops topic accepts, which bounds a document. Thread-safe.
 */
final class IndexTopicChecks {
    private static final Logger log = LoggerFactory.getLogger(IndexTopicChecks.class);

    private final MetadataLog metadataLog;

    IndexTopicChecks(MetadataLog metadataLog) {
        this.metadataLog = metadataLog;
    }

    /** The index's topics must be legal Kafka topic names: a 400 naming the rule, not a Kafka error. */
    void checkNames(String name) {
        String longest = metadataLog.names().ops(name).length() > metadataLog.names().meta(name).length()
                ? metadataLog.names().ops(name) : metadataLog.names().meta(name);
        if (!name.matches("[a-zA-Z0-9._-]+")) {
            throw InvalidRequestException.invalidIndexName(name, "must contain only the characters Kafka allows in topic names"
                    + " [a-z0-9._-], as the index's topics are named after it");
        }
        if (longest.length() > 249) {
            throw InvalidRequestException.invalidIndexName(name, "is too long for its Kafka topic [" + longest + "] ("
                    + longest.length() + " > 249 characters); use a shorter name");
        }
    }

    /**
     * Blocks writes to an index whose topics can lose acknowledged writes (unless that is allowed), and limits its
     * documents to what its ops topic takes.
     */
    void apply(LeaderIndex index) throws Exception {
        String name = index.name();
        TopicDurability durability = metadataLog.durability();
        MetadataLog.TopicSettings ops = metadataLog.describe(metadataLog.names().ops(name));
        index.limitRecordBytes(Math.min(ops.maxMessageBytes(), OperationPublisher.MAX_REQUEST_BYTES));
        if (durability.allowUnsafe()) {
            return;
        }
        for (MetadataLog.TopicSettings topic : List.of(ops, metadataLog.describe(metadataLog.names().meta(name)))) {
            String reason = topic.unsafeReason();
            if (reason != null) {
                String advice = TopicDurability.advice(topic.topic(), reason);
                log.warn("index [{}] takes no writes: {}", name, advice);
                index.addBlock(IndexBlock.unsafeTopic(advice));
                return;
            }
        }
    }
}
