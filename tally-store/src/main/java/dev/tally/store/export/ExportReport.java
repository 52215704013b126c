package dev.tally.store.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one export run wrote: new rows and files per data set (a data set is {@code events}, {@code cost_charges},
 * {@code invoices} or {@code meter_values/<slug>}), per tenant.
 *
 * @param out the lake directory
 * @param run the run's id, also the prefix of every file it wrote
 * @param tenants per tenant, the rows written per data set (zero when nothing was new)
 * @param files the number of Parquet files written
 * @param definitions the definition files (meters.json, catalog.json) written because they changed
 */
public record ExportReport(Path out, String run, Map<String, Map<String, Long>> tenants, long files,
    List<String> definitions) {
  public ExportReport {
    requireNonNull(out, "out is null");
    requireNonNull(run, "run is null");
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    tenants.forEach((t, m) -> copy.put(t, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    tenants = Collections.unmodifiableMap(copy);
    definitions = List.copyOf(definitions);
  }

  /** Rows written in all, over every tenant and data set. */
  public long rows() {
    return tenants.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** As JSON, for the admin route and {@code --format json}. */
  public ObjectNode toJson() {
    ObjectNode n = Json.json().createObjectNode();
    n.put("out", out.toString());
    n.put("run", run);
    n.put("rows", rows());
    n.put("files", files);
    ObjectNode ts = n.putObject("tenants");
    tenants.forEach((t, m) -> {
      ObjectNode o = ts.putObject(t);
      m.forEach(o::put);
    });
    definitions.forEach(n.putArray("definitions")::add);
    return n;
  }

  /** Reads {@link #toJson()} back (the CLI's side of the admin route). */
  public static ExportReport fromJson(com.fasterxml.jackson.databind.JsonNode n) {
    Map<String, Map<String, Long>> tenants = new LinkedHashMap<>();
    n.path("tenants").fields().forEachRemaining(t -> {
      Map<String, Long> m = new LinkedHashMap<>();
      t.getValue().fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
      tenants.put(t.getKey(), m);
    });
    List<String> defs = new java.util.ArrayList<>();
    n.path("definitions").forEach(d -> defs.add(d.asText()));
    return new ExportReport(Path.of(n.path("out").asText()), n.path("run").asText(), tenants,
        n.path("files").asLong(), defs);
  }

  /** For people: one line per tenant and data set that got rows, then the totals. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    tenants.forEach((t, m) -> m.forEach((set, rows) -> {
      if (rows > 0) {
        sb.append("tenant ").append(t).append(": ").append(set).append(' ').append(rows).append(" new row")
            .append(rows == 1 ? "" : "s").append('\n');
      }
    }));
    definitions.forEach(d -> sb.append("wrote ").append(d).append('\n'));
    if (rows() == 0) {
      sb.append("nothing new since the last export to ").append(out).append('\n');
    } else {
      sb.append("exported ").append(rows()).append(" rows in ").append(files).append(" new Parquet file")
          .append(files == 1 ? "" : "s").append(" to ").append(out).append(" (run ").append(run).append(")\n");
    }
    return sb.toString();
  }
}
