package io.kccr.core.wire;

/** What an operation does to its document; the {@code op} header of an operation event. */
public enum OpType {
    INDEX("index"), DELETE("delete");

    private final String wireName;

    OpType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static OpType fromWire(String name) {
        for (OpType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown op [" + name + "], expected index or delete");
    }
}
