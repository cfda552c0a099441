package io.kccr.follower;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The processor of a follower's topology: hands each op record to its partition's store. Forwards nothing. */
final class ApplyProcessor implements Processor<byte[], byte[], Void, Void> {
    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private LuceneShardStore store;

    ApplyProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long offset = context.recordMetadata().orElseThrow().offset();
        store.apply(record, offset);
    }
}
