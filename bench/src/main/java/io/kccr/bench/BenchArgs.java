package io.kccr.bench;

import java.util.List;

/** {@code --name value} options of a benchmark's command line. */
final class BenchArgs {
    private final List<String> args;

    BenchArgs(List<String> args) {
        this.args = args;
    }

    int intOption(String name, int defaultValue) {
        int i = args.indexOf(name);
        if (i < 0) {
            return defaultValue;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        try {
            return Integer.parseInt(args.get(i + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a whole number, got [" + args.get(i + 1) + "]");
        }
    }

    String stringOption(String name, String defaultValue) {
        int i = args.indexOf(name);
        if (i < 0) {
            return defaultValue;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    /** Every {@code -E key=value} given, as node settings. */
    java.util.Map<String, String> nodeSettings() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("-E")) {
                String kv = args.get(i + 1);
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("-E takes key=value, got [" + kv + "]");
                }
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    boolean has(String flag) {
        return args.contains(flag);
    }
}
