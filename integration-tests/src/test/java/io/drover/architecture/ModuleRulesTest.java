package io.drover.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, enforced by the build (ArchUnit over every module's production classes):
 * no module reaches into another's {@code internal} packages, the coordinator and the worker never
 * see each other, the protocol layer knows no web stack, and the embeddable worker stays light.
 */
class ModuleRulesTest {
    /** Module → the packages it owns. */
    private static final Map<String, String[]> MODULES =
            Map.of(
                    "common-model",
                            new String[] {
                                "io.drover.model..",
                                "io.drover.protocol..",
                                "io.drover.store..",
                                "io.drover.client.."
                            },
                    "leader-election", new String[] {"io.drover.election.."},
                    "coordinator", new String[] {"io.drover.coordinator.."},
                    "worker", new String[] {"io.drover.worker.."},
                    "server", new String[] {"io.drover.server.."},
                    "cli", new String[] {"io.drover.cli.."});

    private static final String[] WEB_STACK = {
        "io.dropwizard..",
        "jakarta.ws..",
        "jakarta.servlet..",
        "org.eclipse.jetty..",
        "org.glassfish.."
    };

    /** Metrics libraries: the servers report what the libraries expose through listeners. */
    private static final String[] METRICS = {"io.prometheus..", "com.codahale.metrics.."};

    private static JavaClasses drover;

    @BeforeAll
    static void importClasses() {
        drover =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.drover");
        assertThat(drover.size())
                .as("every module's classes are on the test's class path")
                .isGreaterThan(150);
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        MODULES.forEach(
                (module, packages) -> {
                    String[] internals =
                            java.util.Arrays.stream(packages)
                                    .map(p -> p.replace("..", ".internal.."))
                                    .toArray(String[]::new);
                    noClasses()
                            .that()
                            .resideOutsideOfPackages(packages)
                            .should()
                            .dependOnClassesThat()
                            .resideInAnyPackage(internals)
                            .as("no class outside " + module + " uses its internal packages")
                            .check(drover);
                });
    }

    @Test
    void coordinatorAndWorkerNeverSeeEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.drover.coordinator..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.drover.worker..")
                .check(drover);
        noClasses()
                .that()
                .resideInAPackage("io.drover.worker..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.drover.coordinator..")
                .check(drover);
    }

    @Test
    void protocolLayer_knowsNoWebStack_andNoOtherModule() {
        noClasses()
                .that()
                .resideInAnyPackage(MODULES.get("common-model"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(WEB_STACK)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.drover.election..",
                        "io.drover.coordinator..",
                        "io.drover.worker..",
                        "io.drover.server..",
                        "io.drover.cli..")
                .check(drover);
    }

    @Test
    void embeddableWorker_andCoordinator_stayOffTheWebStack_andOffMetricsLibraries() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.drover.worker..",
                        "io.drover.coordinator..",
                        "io.drover.election..",
                        "io.drover.model..",
                        "io.drover.protocol..",
                        "io.drover.store..",
                        "io.drover.client..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(WEB_STACK)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(METRICS)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("io.drover.server..", "io.drover.cli..")
                .check(drover);
    }
}
