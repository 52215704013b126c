package dev.tally.store.demo;

import dev.tally.api.IngestResult;
import dev.tally.core.demo.DemoCost;
import dev.tally.core.demo.DemoData;
import dev.tally.core.pricing.Customer;
import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.ImportOutcome;
import dev.tally.store.pricing.InvoiceExport;
import dev.tally.store.pricing.PricingStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads the {@link DemoData demo tenant} into a store: its meters, then its events, in one all-or-nothing unit; and,
 * on request, its pricing catalogue and a year of invoices, and its own cloud bill for the year ({@link DemoCost}) as
 * cost data.
 */
public final class DemoLoader {
  /** The tenant the demo goes into unless told otherwise. */
  public static final String DEMO_TENANT = "demo";

  private final TallyStore store;

  public DemoLoader(TallyStore store) {
    this.store = store;
  }

  /** Applies the demo meters and stores the demo events; loading twice stores nothing new. */
  public IngestResult load(String tenant, DemoData demo) {
    store.ensureTenant(tenant);
    store.meters().apply(tenant, DemoData.meters(), false);
    long[] position = {0};
    EventIngestor.StreamOutcome o = store.ingestor().ingestStream(tenant, store.clock().instant(), sink -> {
      demo.generate(e -> sink.accept(e, ++position[0]));
      return true;
    }, false);
    if (!o.committed()) {
      throw new IllegalStateException("the demo generator produced events its own meters refuse: "
          + o.valueProblems().get(0).describe());
    }
    return o.result();
  }

  /**
   * Applies the demo pricing catalogue (plans for AI tokens, translation, storage and requests, with a commitment, a
   * discount and credits; see docs/pricing.md) and runs the invoices of every month of the demo year. Running it
   * again changes nothing: invoice runs are idempotent.
   *
   * @return how many invoices the tenant has for the demo year
   */
  public int invoiceYear(String tenant) {
    PricingStore pricing = PricingStore.open(store);
    pricing.catalog().apply(tenant, PricingStore.demoCatalog(), "demo-catalog.yaml");
    for (int m = 1; m <= 12; m++) {
      pricing.runner().run(tenant, YearMonth.of(DemoData.YEAR, m), Set.of());
    }
    return pricing.invoices().list(tenant, Optional.empty(), Optional.empty()).size();
  }

  /**
   * Imports the demo organisation's own cloud bill for the demo year ({@link DemoCost}: its daily FOCUS rows, with the
   * known answers its constants state) into the tenant's cost data, through the same importer as {@code tally import
   * --format focus}. Running it again adds nothing: the bill is the same bytes every time, recognised as the same
   * import.
   *
   * @return the import's outcome
   */
  public ImportOutcome costYear(String tenant) {
    return importFocus(tenant, "demo-cost-" + DemoData.YEAR + ".focus.csv", DemoCost.focusCsv());
  }

  /**
   * Feeds the tenant's invoices, as FOCUS rows, into its cost data, so that the cost reports ({@code tally report})
   * work on Tally's own rated usage as they do on imported cloud bills. Running it again adds nothing: the same rows
   * are recognised as the same import.
   *
   * @return the import's outcome
   */
  public ImportOutcome invoicesAsCostData(String tenant) {
    PricingStore pricing = PricingStore.open(store);
    String focus = InvoiceExport.focus(pricing.invoices().list(tenant, Optional.empty(), Optional.empty()),
        pricing.catalog().load(tenant).customers().stream().collect(Collectors.toMap(Customer::id, Customer::name)));
    return importFocus(tenant, "demo-invoices.focus.csv", focus);
  }

  /** Imports FOCUS CSV text under a name for messages (the importer keeps it in a temporary file for DuckDB). */
  private ImportOutcome importFocus(String tenant, String name, String focusCsv) {
    return CostStore.on(store).importer().importStream(tenant, name,
        new ByteArrayInputStream(focusCsv.getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, CostFormat.FOCUS, false);
  }
}
