package io.kccr.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("a/b/state.json");
        StateFile.write(file, "one".getBytes(StandardCharsets.UTF_8));
        StateFile.write(file, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("two");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldContent() throws Exception {
        Path file = dir.resolve("state.json");
        StateFile.write(file, "old".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("state.json.tmp").resolve("child")); // the temporary file cannot be created
        assertThatThrownBy(() -> StateFile.write(file, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
    }

    @Test
    void ownerOnlyFilesAreReadableByTheirOwnerAlone() throws Exception {
        Path file = dir.resolve("secret.json");
        StateFile.write(file, "{}".getBytes(StandardCharsets.UTF_8), true);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void deleteRemovesTheFileAndIgnoresAMissingOne() throws Exception {
        Path file = dir.resolve("state.json");
        StateFile.write(file, "x".getBytes(StandardCharsets.UTF_8));
        StateFile.delete(file);
        StateFile.delete(file);
        assertThat(file).doesNotExist();
    }
}
