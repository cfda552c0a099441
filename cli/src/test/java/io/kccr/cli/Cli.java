package io.kccr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code kccr} in this JVM, as {@code bin/kccr} would, with its output captured. */
record Cli(int code, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Kccr.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        Cli result = new Cli(code, out.toString(), err.toString());
        System.out.println("$ kccr " + String.join(" ", args) + "  -> " + code + System.lineSeparator() + result.out()
                + result.err());
        return result;
    }
}
