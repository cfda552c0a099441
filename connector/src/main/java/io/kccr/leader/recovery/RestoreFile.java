package io.kccr.leader.recovery;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * One file of a restore session, open for reading. While it is open the session does not expire;
 * closing it counts as activity of the session. The channel reads the pinned file even if the
 * session is released meanwhile (the file stays readable until closed). Not thread-safe.
 */
public final class RestoreFile implements Closeable {
    private final RestoreSession session;
    private final String name;
    private final long length;
    private final FileChannel channel;

    RestoreFile(RestoreSession session, String name, long length, FileChannel channel) {
        this.session = session;
        this.name = name;
        this.length = length;
        this.channel = channel;
    }

    /** The file's name. */
    public String name() {
        return name;
    }

    /** The file's length as the manifest lists it. */
    public long length() {
        return length;
    }

    /** The open channel; read it with positional reads. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            session.readDone();
        }
    }
}
