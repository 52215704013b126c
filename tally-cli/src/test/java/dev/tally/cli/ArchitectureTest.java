package dev.tally.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tally.store.EventListing;
import dev.tally.store.TallyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries ARCHITECTURE.md draws, checked on the product's compiled classes (tests excluded): which module may
 * depend on which, that only the store touches its database connection, and that no package depends on itself
 * through others. tally-cli sees every product module but tally-spark, which is checked by the same rules in its own
 * build through its dependencies (it may use api, core and options only).
 */
class ArchitectureTest {
  private static JavaClasses product;

  @BeforeAll
  static void importProduct() {
    product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tally");
  }

  @Test
  void modulesDependOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("api").definedBy("dev.tally.api..")
        .layer("core").definedBy("dev.tally.core..")
        .layer("options").definedBy("dev.tally.options..")
        .layer("store").definedBy("dev.tally.store..")
        .layer("server").definedBy("dev.tally.server..")
        .layer("console").definedBy("dev.tally.console..")
        .layer("cli").definedBy("dev.tally.cli..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("console").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("server").mayOnlyBeAccessedByLayers("console", "cli")
        .whereLayer("store").mayOnlyBeAccessedByLayers("server", "console", "cli")
        // The command lines' shared options: the CLI's (and tally-spark's, checked in its own build) only.
        .whereLayer("options").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("core").mayOnlyBeAccessedByLayers("options", "store", "server", "console", "cli")
        .check(product);
  }

  @Test
  void onlyTheStoreRunsSqlOnItsConnection() {
    // The rule below matches calls by signature; the store's own services make such calls, so a rule that saw none
    // here would be matching nothing.
    assertThat(product.get(EventListing.class).getMethodCallsFromSelf())
        .anyMatch(call -> call.getTarget().getOwner().isEquivalentTo(TallyStore.class)
            && call.getTarget().getName().equals("read"));
    noClasses().that().resideOutsideOfPackage("dev.tally.store..")
        .should().callMethod(TallyStore.class, "read", TallyStore.SqlWork.class)
        .orShould().callMethod(TallyStore.class, "write", TallyStore.SqlWork.class)
        .because("the store owns its SQL: other modules use its services (MeterStore, CostStore, EventListing, ...)")
        .check(product);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.tally.(**)").should().beFreeOfCycles().check(product);
  }
}
