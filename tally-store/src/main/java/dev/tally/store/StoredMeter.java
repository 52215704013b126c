package dev.tally.store;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Meter;
import java.util.ArrayList;
import java.util.List;

/**
 * A meter as the store holds it: the definition and the table its extracted values live in.
 *
 * @param meter the definition
 * @param tableId the number of its data table {@code meter_data_<tableId>}
 */
public record StoredMeter(Meter meter, int tableId) {
  public StoredMeter {
    requireNonNull(meter, "meter is null");
  }

  /** The data table's name. */
  public String table() {
    return "meter_data_" + tableId;
  }

  /** The column holding group-by key {@code key}, or -1 if the meter has no such key. */
  public String groupColumn(String key) {
    List<String> keys = new ArrayList<>(meter.groupBy().keySet());
    int i = keys.indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("meter " + meter.slug() + " has no group-by key " + key);
    }
    return "g_" + i;
  }
}
