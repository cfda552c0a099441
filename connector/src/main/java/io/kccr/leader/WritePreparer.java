package io.kccr.leader;

import io.kccr.core.error.ContentTooLongException;
import io.kccr.core.error.KccrException;
import io.kccr.core.index.Ids;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;
import io.kccr.leader.topics.MetadataLog;
import java.nio.charset.StandardCharsets;

/**
 * Makes one leader index's writes ready for their shard's writer, on the caller's thread: checks the index's write
 * blocks, the id and the size of the record the document becomes, parses the source, and publishes any new fields
 * to the {@code .meta} topic before the write may name them (through {@link PublishedMetadata}). Whatever it refuses
 * it refuses with a {@link KccrException} before anything is published for the write.
 *
 * <p>Thread-safe: it holds no state but the record size limit, which any thread may change.
 */
final class WritePreparer {
    /** Bytes a record of the ops topic carries besides its id and source (headers, batch and record framing). */
    static final int RECORD_OVERHEAD = 512;

    private final IndexBlocks blocks;
    private final DocumentMapper mapper;
    private final PublishedMetadata published;
    private final MetadataLog metadataLog;
    private volatile int maxRecordBytes = Integer.MAX_VALUE;

    WritePreparer(IndexBlocks blocks, DocumentMapper mapper, PublishedMetadata published, MetadataLog metadataLog) {
        this.blocks = blocks;
        this.mapper = mapper;
        this.published = published;
        this.metadataLog = metadataLog;
    }

    /** The largest ops record the index's topic takes; larger documents are refused. */
    void limitRecordBytes(int bytes) {
        this.maxRecordBytes = bytes;
    }

    /**
     * An index write of {@code source} under {@code id} (null: a new id is generated), let through the writes of block
     * {@code throughBlock} (-1: none).
     */
    WriteRequest index(String id, byte[] source, WriteCondition condition, int throughBlock) {
        blocks.check(throughBlock);
        boolean autoId = id == null;
        String docId = autoId ? Ids.random() : id;
        Ids.validate(docId);
        checkRecordSize(docId, source);
        ParsedDocument doc = mapper.parse(docId, source, published.current().mappings());
        long mappingVersion = published.applyDynamicMappings(doc, false);
        if (mappingVersion < 0) { // another write added the same field with another type meanwhile
            doc = mapper.parse(docId, source, published.current().mappings());
            mappingVersion = published.applyDynamicMappings(doc, true);
        }
        return new WriteRequest(OpType.INDEX, docId, doc, autoId, mappingVersion, condition);
    }

    /** A delete of {@code id}, refused while any block refuses writes. */
    WriteRequest delete(String id, WriteCondition condition) {
        blocks.check(-1);
        Ids.validate(id);
        return new WriteRequest(OpType.DELETE, id, null, false, published.current().mappingVersion(), condition);
    }

    private void checkRecordSize(String id, byte[] source) {
        long size = (long) id.getBytes(StandardCharsets.UTF_8).length + source.length + RECORD_OVERHEAD;
        int limit = maxRecordBytes;
        if (size > limit) {
            String name = published.current().name();
            throw new ContentTooLongException("document [" + id + "] of index [" + name + "] is " + source.length
                    + " bytes, too large for its Kafka topic [" + metadataLog.names().ops(name) + "], which takes"
                    + " records of at most " + limit + " bytes (max.message.bytes, less " + RECORD_OVERHEAD
                    + " bytes of framing); split the document, or raise max.message.bytes on the topic"
                    + " (kafka-configs.sh --alter --entity-type topics --add-config max.message.bytes=...)");
        }
    }
}
