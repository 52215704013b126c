package dev.tally.store;

import dev.tally.api.IngestResult;
import dev.tally.core.demo.DemoData;

/** Loads the {@link DemoData demo tenant} into a store: its meters, then its events, in one all-or-nothing unit. */
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
}
