package io.kccr.leader;

import io.kccr.core.error.VersionConflictException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.shard.GetResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Elasticsearch's update API on a leader index: read the current source, merge a partial
 * document into it, and write it back only if nobody wrote in between (compare-and-set on
 * seq_no and primary term), retrying up to {@code retry_on_conflict} times. Scripts are not
 * supported.
 */
public final class DocumentUpdater {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an update did. */
    public record Outcome(WriteResult result) {
    }

    private final LeaderIndex index;
    private final Duration timeout;

    public DocumentUpdater(LeaderIndex index, Duration timeout) {
        this.index = index;
        this.timeout = timeout;
    }

    /**
     * Applies an update request body ({@code doc}, {@code upsert}, {@code doc_as_upsert},
     * {@code detect_noop}) to document {@code id}.
     */
    public Outcome update(String id, JsonNode body, int retryOnConflict, Long ifSeqNo, Long ifPrimaryTerm) {
        if (body.has("script")) {
            throw InvalidRequestException.illegalArgument("scripted updates are not supported; send a partial document in [doc]");
        }
        JsonNode doc = body.get("doc");
        JsonNode upsert = body.get("upsert");
        boolean docAsUpsert = body.path("doc_as_upsert").asBoolean(false);
        boolean detectNoop = body.path("detect_noop").asBoolean(true);
        if (doc == null && upsert == null) {
            throw InvalidRequestException.validation("Validation Failed: 1: script or doc is missing;");
        }
        if (doc != null && !doc.isObject()) {
            throw InvalidRequestException.parsing("[doc] must be an object");
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return new Outcome(attempt(id, doc, upsert, docAsUpsert, detectNoop, ifSeqNo, ifPrimaryTerm));
            } catch (VersionConflictException e) {
                if (attempt >= retryOnConflict || ifSeqNo != null) {
                    throw e;
                }
            }
        }
    }

    private WriteResult attempt(String id, JsonNode doc, JsonNode upsert, boolean docAsUpsert, boolean detectNoop,
                                Long ifSeqNo, Long ifPrimaryTerm) {
        GetResult current = index.get(id);
        try {
            if (!current.found()) {
                if (ifSeqNo != null) {
                    throw NotFoundException.document(index.name(), id);
                }
                JsonNode created = docAsUpsert && doc != null ? doc : upsert;
                if (created == null) {
                    throw NotFoundException.document(index.name(), id);
                }
                return Acks.await(index.index(id, JSON.writeValueAsBytes(created), WriteCondition.CREATE), timeout);
            }
            ObjectNode source = (ObjectNode) JSON.readTree(current.source());
            ObjectNode merged = source.deepCopy();
            if (doc != null) {
                merge(merged, doc);
            }
            if (detectNoop && merged.equals(source)) {
                return new WriteResult(id, -1, current.seqNo(), current.primaryTerm(), current.version(),
                        WriteResult.Result.NOOP);
            }
            WriteCondition cond = ifSeqNo != null ? WriteCondition.ifMatch(ifSeqNo, ifPrimaryTerm)
                    : WriteCondition.ifMatch(current.seqNo(), current.primaryTerm());
            return Acks.await(index.index(id, JSON.writeValueAsBytes(merged), cond), timeout);
        } catch (IOException e) {
            throw InvalidRequestException.mapperParsing("failed to parse the stored source of [" + id + "]", e);
        }
    }

    /** Elasticsearch's partial-document merge: objects merge recursively, everything else is replaced. */
    static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode obj && e.getValue().isObject()) {
                merge(obj, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

}
