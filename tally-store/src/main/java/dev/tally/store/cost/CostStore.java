package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.store.TallyStore;
import java.util.List;

/**
 * Cost and usage analytics on a {@link TallyStore}: the entry point to importing bills, reporting on them, budgets and
 * alerts. Creating one applies the {@code cost} schema track, so the store itself needs no knowledge of this area.
 */
public final class CostStore {
  /** The schema track of this area. */
  public static final String TRACK = "cost";

  private static final List<String> MIGRATIONS = List.of("V1__focus.sql", "V2__restatements.sql",
      "V3__import_rounding_and_basis.sql");

  private final TallyStore store;

  private CostStore(TallyStore store) {
    this.store = store;
  }

  /** The cost area of a store, its schema brought up to date. */
  public static CostStore on(TallyStore store) {
    requireNonNull(store, "store is null");
    store.migrate(TRACK, "/dev/tally/store/cost", MIGRATIONS, CostStore.class);
    return new CostStore(store);
  }

  public TallyStore store() {
    return store;
  }

  /** The aggregating reports: totals, growth, series, peaks. */
  public CostReports reports() {
    return new CostReports(store);
  }

  /** The reports that explain and predict: explain, anomalies, forecast. */
  public CostInsights insights() {
    return new CostInsights(store);
  }

  /** Budgets and their standing. */
  public Budgets budgets() {
    return new Budgets(store);
  }

  /** Alerts: produced from budgets and anomalies, listed, delivered to a webhook. */
  public CostAlerts alerts() {
    return new CostAlerts(store, budgets(), insights());
  }

  /** Imports cost files. */
  public CostImporter importer() {
    return new CostImporter(store);
  }
}
