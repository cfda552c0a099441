package io.kccr.leader.recovery;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RestoreFileNamesTest {
    private final Path dir = Path.of("/data/indices/abc/0");

    @Test
    void luceneFileNamesResolveInsideTheShardDirectory() {
        for (String name : new String[] {"segments_3", "_0.cfs", "_0.cfe", "_1_Lucene912_0.doc", "_a_1.liv", "_0.si"}) {
            assertThat(RestoreFileNames.resolve(dir, name)).isEqualTo(dir.resolve(name));
        }
    }

    @Test
    void anythingElseIsA400BeforeAnyFileIsLookedAt() {
        for (String name : new String[] {"../x", "..", ".", "", "/etc/passwd", "a/b", "..\\..\\x", "a\\b", "x\u0000y",
                "../../../../etc/passwd", ".hidden", "~root", "a b", "C:\\x", "é", "x".repeat(256), null}) {
            assertThatThrownBy(() -> RestoreFileNames.resolve(dir, name)).as("[%s]", name)
                    .isInstanceOfSatisfying(KccrException.class, e -> {
                        assertThat(e).isInstanceOf(InvalidRequestException.class);
                        assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    });
        }
    }
}
