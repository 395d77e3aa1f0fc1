package io.streamcontrol.control;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The service knows the streaming job only through the job contract (its settings, the tables both use): none of the
 * job's own classes, and none of Spark but its launcher. The jobs' packages depend on each other without cycles.
 */
@AnalyzeClasses(packages = "io.streamcontrol.control", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theServiceUsesOnlyTheJobContract = noClasses()
            .that().resideInAPackage("io.streamcontrol.control..")
            .should().dependOnClassesThat().resideInAnyPackage("io.streamcontrol.job..", "io.streamcontrol.generator..")
            .because("the service and the job share only io.streamcontrol.contract (module job-contract)");

    @ArchTest
    static final ArchRule theServiceRunsSparkOnlyThroughItsLauncher = noClasses()
            .that().resideInAPackage("io.streamcontrol.control..")
            .should().dependOnClassesThat(describe("Spark, but its launcher",
                    c -> c.getPackageName().startsWith("org.apache.spark")
                            && !c.getPackageName().startsWith("org.apache.spark.launcher")));

    @ArchTest
    static final ArchRule theJobsPackagesAreFreeOfCycles = slices().matching("io.streamcontrol.control.jobs.(*)..")
            .should().beFreeOfCycles();
}
