package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pricing on top of a {@link TallyStore}: the catalogue, invoice runs, explanations, simulation and export. Creating it
 * applies the {@code pricing} schema track.
 */
public final class PricingStore {
  /** The classpath resource of the demo tenant's catalogue. */
  public static final String DEMO_CATALOG = "/dev/tally/store/pricing/demo-catalog.yaml";

  private final TallyStore store;
  private final CatalogStore catalog;
  private final InvoiceStore invoices;
  private final UsageMeasurer measurer;

  private PricingStore(TallyStore store) {
    this.store = store;
    this.catalog = new CatalogStore(store);
    this.invoices = new InvoiceStore(store);
    this.measurer = new UsageMeasurer(store);
  }

  /** Pricing over the store, with its schema migrated. */
  public static PricingStore open(TallyStore store) {
    requireNonNull(store, "store is null");
    store.migrate("pricing", "/dev/tally/store/pricing", List.of("V1__catalog_and_invoices.sql",
        "V2__voids_and_credit_notes.sql"),
        PricingStore.class);
    return new PricingStore(store);
  }

  public CatalogStore catalog() {
    return catalog;
  }

  public InvoiceStore invoices() {
    return invoices;
  }

  /** Runs invoices. */
  public InvoiceRunner runner() {
    return new InvoiceRunner(store, catalog, measurer);
  }

  /** Voids and credit notes. */
  public InvoiceCorrections corrections() {
    return new InvoiceCorrections(store);
  }

  /** Credit wallets' balances and ledgers. */
  public WalletLedger wallets() {
    return new WalletLedger(store, catalog);
  }

  /** Explains invoice lines down to their events. */
  public InvoiceExplainer explainer() {
    return new InvoiceExplainer(store, invoices);
  }

  /** Re-rates past usage under another plan. */
  public Simulator simulator() {
    return new Simulator(catalog, invoices, measurer);
  }

  /** The demo tenant's catalogue, as YAML text. */
  public static String demoCatalog() {
    try (InputStream in = PricingStore.class.getResourceAsStream(DEMO_CATALOG)) {
      if (in == null) {
        throw new TallyException(ErrorCode.INTERNAL, DEMO_CATALOG + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot read " + DEMO_CATALOG + ": " + e.getMessage(), e);
    }
  }
}
