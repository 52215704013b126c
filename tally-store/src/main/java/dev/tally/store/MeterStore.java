package dev.tally.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.api.ErrorCode;
import dev.tally.api.Meter;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meter definitions of each tenant, and the data tables that hold their extracted values.
 *
 * <p>Changing a meter rebuilds its data table from the stored events in the same transaction as the definition
 * change, so a query never sees a new definition with old values. Stored events whose value does not fit the new
 * definition are not counted, and the change reports how many there were and which.
 */
public final class MeterStore {
  /** How many offending events a change report names. */
  static final int SAMPLE_LIMIT = 5;

  private final TallyStore store;
  // The store is owned by one process, so this cache is coherent; it is replaced on every change.
  private final Map<String, List<StoredMeter>> cache = new ConcurrentHashMap<>();

  MeterStore(TallyStore store) {
    this.store = store;
  }

  /** What a change did to one meter. */
  public enum Change {
    CREATED,
    UPDATED,
    UNCHANGED,
    DELETED
  }

  /**
   * The outcome of changing one meter.
   *
   * @param slug the meter
   * @param change what happened
   * @param backfilled how many stored events were counted into the rebuilt table
   * @param skipped how many stored events of the meter's type had a value that does not fit
   * @param skippedSample ids ({@code source/id}) of up to five of them
   */
  public record MeterChange(String slug, Change change, long backfilled, long skipped, List<String> skippedSample) {
    public MeterChange {
      skippedSample = List.copyOf(skippedSample);
    }
  }

  /** The meters of a tenant, by slug. */
  public List<StoredMeter> list(String tenant) {
    return cache.computeIfAbsent(tenant, t -> store.read(c -> load(c, t)));
  }

  /** Meter definitions only. */
  public List<Meter> definitions(String tenant) {
    return list(tenant).stream().map(StoredMeter::meter).toList();
  }

  public Optional<StoredMeter> find(String tenant, String slug) {
    return list(tenant).stream().filter(m -> m.meter().slug().equals(slug)).findFirst();
  }

  /** The meter, or a NOT_FOUND error naming it. */
  public StoredMeter require(String tenant, String slug) {
    return find(tenant, slug).orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no meter '" + slug + "'"));
  }

  /**
   * Creates or updates the given meters (and, with {@code prune}, deletes the tenant's others) in one transaction.
   */
  public List<MeterChange> apply(String tenant, List<Meter> meters, boolean prune) {
    TallyStore.checkTenant(tenant);
    meters.forEach(MeterDefinitions::validate);
    store.ensureTenant(tenant);
    // The backfill counts every event acknowledged before this call (a running server's log-first path may not have
    // loaded them yet); waited for before the write lock, which the loader needs to load them.
    store.awaitAcknowledgedWrites();
    // The cache is dropped while the write lock is still held (the lock is re-entrant), so no ingest can pick up
    // the old definitions after this change commits.
    return store.write(w -> {
      try {
        return store.transaction(c -> {
          Map<String, StoredMeter> existing = new LinkedHashMap<>();
          load(c, tenant).forEach(m -> existing.put(m.meter().slug(), m));
          List<MeterChange> changes = new ArrayList<>();
          for (Meter m : meters) {
            changes.add(put(c, tenant, m, existing.remove(m.slug())));
          }
          if (prune) {
            for (StoredMeter old : existing.values()) {
              drop(c, tenant, old);
              changes.add(new MeterChange(old.meter().slug(), Change.DELETED, 0, 0, List.of()));
            }
          }
          return changes;
        });
      } finally {
        cache.remove(tenant);
        store.ingestor().forgetStatements();
      }
    });
  }

  /** Creates or replaces one meter. */
  public MeterChange put(String tenant, Meter meter) {
    return apply(tenant, List.of(meter), false).get(0);
  }

  /** Deletes one meter and its values; the events stay. */
  public void delete(String tenant, String slug) {
    StoredMeter m = require(tenant, slug);
    store.write(w -> {
      try {
        return store.transaction(c -> {
          drop(c, tenant, m);
          return null;
        });
      } finally {
        cache.remove(tenant);
        store.ingestor().forgetStatements();
      }
    });
  }

  private MeterChange put(Connection c, String tenant, Meter meter, StoredMeter old) throws SQLException {
    if (old != null && old.meter().equals(meter)) {
      return new MeterChange(meter.slug(), Change.UNCHANGED, 0, 0, List.of());
    }
    OffsetDateTime now = OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC);
    int tableId;
    if (old == null) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('meter_table_ids')")) {
        rs.next();
        tableId = rs.getInt(1);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO meters VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, tenant);
        ps.setString(2, meter.slug());
        ps.setInt(3, tableId);
        ps.setString(4, definitionJson(meter));
        ps.setObject(5, now);
        ps.setObject(6, now);
        ps.executeUpdate();
      }
    } else {
      tableId = old.tableId();
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + old.table());
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE meters SET definition = ?, updated_at = ? WHERE tenant = ? AND slug = ?")) {
        ps.setString(1, definitionJson(meter));
        ps.setObject(2, now);
        ps.setString(3, tenant);
        ps.setString(4, meter.slug());
        ps.executeUpdate();
      }
    }
    StoredMeter stored = new StoredMeter(meter, tableId);
    try (Statement st = c.createStatement()) {
      st.execute(MeterSql.createTable(stored));
    }
    MeterSql.Paths paths = MeterSql.Paths.of(List.of(meter));
    String source = MeterSql.storedEvents(paths);
    long backfilled;
    try (PreparedStatement ps = c.prepareStatement(MeterSql.insertValues(stored, paths, source))) {
      ps.setString(1, tenant);
      backfilled = ps.executeUpdate();
    }
    long skipped = 0;
    List<String> sample = new ArrayList<>();
    if (meter.aggregation().needsValue()) {
      String sql = "SELECT source, id, count(*) OVER () FROM ("
          + MeterSql.candidates(meter, paths, source, "source, id, seq") + ") WHERE NOT " + MeterSql.valid(meter)
          + " ORDER BY seq LIMIT " + SAMPLE_LIMIT;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sample.add(rs.getString(1) + "/" + rs.getString(2));
            skipped = rs.getLong(3);
          }
        }
      }
    }
    return new MeterChange(meter.slug(), old == null ? Change.CREATED : Change.UPDATED, backfilled, skipped, sample);
  }

  private void drop(Connection c, String tenant, StoredMeter m) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + m.table());
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM meters WHERE tenant = ? AND slug = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, m.meter().slug());
      ps.executeUpdate();
    }
  }

  private static List<StoredMeter> load(Connection c, String tenant) throws SQLException {
    List<StoredMeter> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT definition, table_id FROM meters WHERE tenant = ? ORDER BY slug")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          try {
            Meter m = MeterDefinitions.parseOne(Json.json().readTree(rs.getString(1)));
            out.add(new StoredMeter(m, rs.getInt(2)));
          } catch (JsonProcessingException e) {
            throw new TallyException(ErrorCode.INTERNAL, "stored meter definition is unreadable: " + e.getMessage(), e);
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static String definitionJson(Meter m) {
    return MeterDefinitions.toJson(m).toString();
  }
}
