package io.kccr.node.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.wire.OpType;
import io.kccr.testkit.Http;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@code _bulk} body and pairs the response's items with what was sent. */
final class Bulk {
    /** One bulk item; {@code source} null for a delete. */
    record Item(String action, String id, byte[] source, Long ifSeqNo, Long ifPrimaryTerm) {
        OpType op() {
            return action.equals("delete") ? OpType.DELETE : OpType.INDEX;
        }
    }

    /** One item's outcome: its status and its result (or error) object. */
    record Outcome(Item item, int status, JsonNode result) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The ack when the item was written (2xx, or a not_found delete), else null. */
        Ack ack() {
            return ok() || (status == 404 && "not_found".equals(result.path("result").asText()))
                    ? Ack.of(result, status, item.op(), item.source()) : null;
        }
    }

    private final List<Item> items = new ArrayList<>();

    Bulk index(String id, byte[] source) {
        items.add(new Item("index", id, source, null, null));
        return this;
    }

    Bulk create(String id, byte[] source) {
        items.add(new Item("create", id, source, null, null));
        return this;
    }

    Bulk indexIf(String id, byte[] source, long ifSeqNo, long ifPrimaryTerm) {
        items.add(new Item("index", id, source, ifSeqNo, ifPrimaryTerm));
        return this;
    }

    Bulk delete(String id) {
        items.add(new Item("delete", id, null, null, null));
        return this;
    }

    List<Item> items() {
        return items;
    }

    int size() {
        return items.size();
    }

    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item item : items) {
            ObjectNode meta = Http.JSON.createObjectNode();
            ObjectNode action = meta.putObject(item.action());
            action.put("_id", item.id());
            if (item.ifSeqNo() != null) {
                action.put("if_seq_no", item.ifSeqNo());
                action.put("if_primary_term", item.ifPrimaryTerm());
            }
            out.writeBytes(meta.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if (item.source() != null) {
                out.writeBytes(item.source());
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** Sends the bulk; fails (IllegalStateException) unless the response is a 200 with one result per item. */
    List<Outcome> send(Http rest, String index) {
        Http.Response r = rest.bulk("/" + index + "/_bulk", body());
        if (r.status() != 200 || r.json().path("items").size() != items.size()) {
            throw new IllegalStateException("bulk of " + items.size() + " items failed: " + r);
        }
        List<Outcome> outcomes = new ArrayList<>(items.size());
        JsonNode results = r.json().get("items");
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            JsonNode result = results.get(i).get(item.action());
            if (result == null) {
                throw new IllegalStateException("bulk item " + i + " has no [" + item.action() + "] result: " + r);
            }
            outcomes.add(new Outcome(item, result.path("status").asInt(), result));
        }
        return outcomes;
    }
}
