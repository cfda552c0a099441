package io.kccr.core.settings;

/** The units of a {@link ByteSizeValue}, binary multiples as in Elasticsearch: {@code 1kb} is 1024 bytes. */
public enum ByteSizeUnit {
    BYTES("b", 1L),
    KB("kb", 1L << 10),
    MB("mb", 1L << 20),
    GB("gb", 1L << 30),
    TB("tb", 1L << 40),
    PB("pb", 1L << 50);

    private final String suffix;
    private final long bytes;

    ByteSizeUnit(String suffix, long bytes) {
        this.suffix = suffix;
        this.bytes = bytes;
    }

    /** How the unit is written after a number: {@code b}, {@code kb}, ... {@code pb}. */
    public String suffix() {
        return suffix;
    }

    /** Bytes in one of this unit. */
    public long bytes() {
        return bytes;
    }
}
