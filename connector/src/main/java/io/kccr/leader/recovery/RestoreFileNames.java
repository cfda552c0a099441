package io.kccr.leader.recovery;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Which file names a restore session serves at all: Lucene's own ({@code segments_3},
 * {@code _0.cfs}, {@code _1_Lucene912_0.doc}), never a path. A name that is not one is refused with
 * a 400 before any file is looked at; whether the session's commit lists it is checked after.
 */
final class RestoreFileNames {
    private static final Pattern LUCENE_FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,254}");

    private RestoreFileNames() {
    }

    /**
     * {@code dir.resolve(name)}, once {@code name} is checked to be a plain file name (letters, digits,
     * {@code _ . -}, not starting with a dot, at most 255 characters) that resolves to a file directly
     * inside {@code dir}.
     *
     * @throws KccrException 400 {@code illegal_argument_exception} for anything else (a path, {@code ..},
     *                      an absolute path, a separator, an empty name)
     */
    static Path resolve(Path dir, String name) {
        if (name == null || !LUCENE_FILE.matcher(name).matches()) {
            throw malformed(name);
        }
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve(name).normalize();
        if (!base.equals(file.getParent())) {
            throw malformed(name);
        }
        return file;
    }

    private static KccrException malformed(String name) {
        return InvalidRequestException.illegalArgument("invalid file name [" + name + "]: a restore session serves the files"
                + " its manifest lists, by their plain names (letters, digits, '_', '.', '-'), never a path");
    }
}
