package io.kccr.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import io.kccr.core.wire.Operation;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.IndexCatalog;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the code base, on the main classes of every module below the CLI (node's test
 * class path holds them all): dependencies go one way, core &lt;- connector, core &lt;- streams-app,
 * both &lt;- node; neither engine knows the HTTP server, and nothing uses Kafka Streams (the follower
 * engine applies through core's feed of plain consumers); no two packages depend on each other, directly or
 * through others. (The CLI and bench are a
 * package each, above node, so Maven alone keeps them out of any cycle.)
 */
class ArchitectureTest {
    private static final String CORE = "io.kccr.core..";
    private static final String LEADER = "io.kccr.leader..";
    private static final String FOLLOWER = "io.kccr.follower..";
    private static final String NODE = "io.kccr.node..";
    private static final String[] HTTP_SERVER = {"io.javalin..", "org.eclipse.jetty..", "jakarta.servlet.."};
    private static final String KAFKA_STREAMS = "org.apache.kafka.streams..";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() throws URISyntaxException, IOException {
        // the modules' class directories (or jars, once packaged) only: scanning the whole class path takes seconds
        Set<Location> modules = new HashSet<>();
        for (Class<?> module : List.of(Operation.class, IndexCatalog.class, FollowerIndex.class, Node.class)) {
            Path code = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
            modules.add(Files.isDirectory(code) ? Location.of(code) : Location.of(new JarFile(code.toFile())));
        }
        classes = new ClassFileImporter().importLocations(modules);
    }

    @Test
    void coreDependsOnNoOtherModuleNorOnTheHttpServerOrKafkaStreams() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(LEADER, FOLLOWER, NODE)
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP_SERVER)
                .orShould().dependOnClassesThat().resideInAPackage(KAFKA_STREAMS)
                .check(classes);
    }

    @Test
    void theLeaderEngineKnowsNeitherTheFollowerNorTheNodeNorTheHttpServerNorKafkaStreams() {
        noClasses().that().resideInAPackage(LEADER)
                .should().dependOnClassesThat().resideInAnyPackage(FOLLOWER, NODE)
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP_SERVER)
                .orShould().dependOnClassesThat().resideInAPackage(KAFKA_STREAMS)
                .check(classes);
    }

    @Test
    void theFollowerEngineKnowsNeitherTheLeaderNorTheNodeNorTheHttpServerNorKafkaStreams() {
        noClasses().that().resideInAPackage(FOLLOWER)
                .should().dependOnClassesThat().resideInAnyPackage(LEADER, NODE)
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP_SERVER)
                .orShould().dependOnClassesThat().resideInAPackage(KAFKA_STREAMS)
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.kccr.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void aRuleBrokenByTheCodeFails() {
        assertThatThrownBy(() -> noClasses().that().resideInAPackage(NODE)
                .should().dependOnClassesThat().resideInAnyPackage(HTTP_SERVER).check(classes))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> noClasses().that().resideInAPackage(NODE)
                .should().dependOnClassesThat().resideInAnyPackage(LEADER).check(classes))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void theRulesSeeEveryModule() {
        // a rule over no classes passes: make sure each module's classes were imported
        for (String module : new String[] {"io.kccr.core", "io.kccr.leader", "io.kccr.follower", "io.kccr.node"}) {
            assertThat(classes.stream().filter(c -> c.getPackageName()
                    .startsWith(module))).as(module).isNotEmpty();
        }
    }
}
