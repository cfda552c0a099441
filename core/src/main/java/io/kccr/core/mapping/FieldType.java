package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import java.util.Locale;

/** The field types a mapping may declare, named as Elasticsearch names them. */
public enum FieldType {
    TEXT, KEYWORD, LONG, INTEGER, SHORT, BYTE, DOUBLE, FLOAT, HALF_FLOAT, SCALED_FLOAT, BOOLEAN, DATE, GEO_POINT, OBJECT;

    /** The name used in mappings JSON, e.g. {@code geo_point}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whole-number types, indexed as points of their width and doc values as longs. */
    public boolean isIntegral() {
        return this == LONG || this == INTEGER || this == SHORT || this == BYTE;
    }

    /** Floating-point types, indexed as double points and sortable-long doc values. */
    public boolean isFloatingPoint() {
        return this == DOUBLE || this == FLOAT || this == HALF_FLOAT || this == SCALED_FLOAT;
    }

    public boolean isNumeric() {
        return isIntegral() || isFloatingPoint();
    }

    /** Parses a mapping's {@code type}; unknown types are a {@code mapper_parsing_exception}. */
    public static FieldType fromJson(String name, String field) {
        if (name == null) {
            return OBJECT;
        }
        for (FieldType type : values()) {
            if (type.jsonName().equals(name)) {
                return type;
            }
        }
        throw InvalidRequestException.mapperParsing("No handler for type [" + name + "] declared on field [" + field
                + "]; supported types: text, keyword, long, integer, short, byte, double, float, half_float,"
                + " scaled_float, boolean, date, geo_point, object");
    }
}
