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

    boolean has(String flag) {
        return args.contains(flag);
    }
}
