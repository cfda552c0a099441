package io.kccr.core.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * A shard's digest as newline-delimited JSON, the body of {@code GET /<index>/_ccr/digest/<shard>}:
 *
 * <pre>
 * {"index":"cities","shard":0,"number_of_shards":3,"max_seq_no":812,"checkpoint":800}
 * {"_id":"c1","_seq_no":17,"hash":"5f0c...32 hex digits"}
 * {"_id":"c10","_seq_no":811}                  (above the checkpoint: no hash)
 * {"end":{"docs":2}}
 * </pre>
 *
 * The documents come in {@link IdOrder}; the end line, with the count, tells a complete digest from a cut-off one.
 */
public final class DigestNdjson {
    private static final JsonFactory JSON = new JsonFactory();

    private DigestNdjson() {
    }

    /** Writes all of {@code digest} to {@code json}, a line at a time; flushes at the end. */
    public static void write(DigestStream digest, JsonGenerator json) throws IOException {
        DigestHeader h = digest.header();
        json.writeStartObject();
        json.writeStringField("index", h.index());
        json.writeNumberField("shard", h.shard());
        json.writeNumberField("number_of_shards", h.numberOfShards());
        json.writeNumberField("max_seq_no", h.maxSeqNo());
        json.writeNumberField("checkpoint", h.checkpoint());
        json.writeEndObject();
        json.writeRaw('\n');
        for (DocDigest d = digest.next(); d != null; d = digest.next()) {
            json.writeStartObject();
            json.writeStringField("_id", d.id());
            json.writeNumberField("_seq_no", d.seqNo());
            if (d.hash() != null) {
                json.writeStringField("hash", d.hash());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
        json.writeStartObject();
        json.writeObjectFieldStart("end");
        json.writeNumberField("docs", digest.count());
        json.writeEndObject();
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
    }

    /** Reads a digest {@link #write} wrote; closing the stream closes {@code in}. */
    public static DigestStream reader(InputStream in) throws IOException {
        JsonParser parser = JSON.createParser(in);
        try {
            return new Reader(parser);
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    private static final class Reader implements DigestStream {
        private final JsonParser parser;
        private final DigestHeader header;
        private long count;
        private boolean ended;

        Reader(JsonParser parser) throws IOException {
            this.parser = parser;
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a digest starts with its header line, got " + parser.currentToken());
            }
            String index = null;
            int shard = -1;
            int shards = -1;
            long maxSeqNo = -1;
            long checkpoint = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "index" -> index = parser.getText();
                    case "shard" -> shard = parser.getIntValue();
                    case "number_of_shards" -> shards = parser.getIntValue();
                    case "max_seq_no" -> maxSeqNo = parser.getLongValue();
                    case "checkpoint" -> checkpoint = parser.getLongValue();
                    default -> parser.skipChildren();
                }
            }
            if (index == null || shard < 0 || shards < 1) {
                throw new IOException("a digest's header names its index, shard and number_of_shards");
            }
            this.header = new DigestHeader(index, shard, shards, maxSeqNo, checkpoint);
        }

        @Override
        public DigestHeader header() {
            return header;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public DocDigest next() throws IOException {
            if (ended) {
                return null;
            }
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new IOException("the digest of shard [" + header.shard() + "] of [" + header.index()
                        + "] ended after " + count + " documents without its end line: the node stopped sending");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new IOException("expected a digest line, got " + token);
            }
            String id = null;
            long seqNo = -1;
            String hash = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "_id" -> id = parser.getText();
                    case "_seq_no" -> seqNo = parser.getLongValue();
                    case "hash" -> hash = parser.getText();
                    case "end" -> {
                        long docs = -1;
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String field = parser.currentName();
                            parser.nextToken();
                            if (field.equals("docs")) {
                                docs = parser.getLongValue();
                            } else {
                                parser.skipChildren();
                            }
                        }
                        if (docs != count) {
                            throw new IOException("the digest of shard [" + header.shard() + "] of [" + header.index()
                                    + "] says " + docs + " documents but held " + count);
                        }
                        ended = true;
                    }
                    default -> parser.skipChildren();
                }
            }
            if (ended) {
                return null;
            }
            if (id == null) {
                throw new IOException("a digest line without _id in shard [" + header.shard() + "]");
            }
            count++;
            return new DocDigest(id, seqNo, hash);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
