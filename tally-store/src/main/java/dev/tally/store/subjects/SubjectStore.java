package dev.tally.store.subjects;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * The subjects of a store's tenants (OpenMeter's {@code /api/v1/subjects}): stored per tenant, keyed by the events'
 * subject. Creating one applies the {@code subjects} schema track, so the store itself needs no knowledge of this
 * area (as the cost and pricing areas).
 */
public final class SubjectStore {
  /** The schema track of this area. */
  public static final String TRACK = "subjects";

  private static final List<String> MIGRATIONS = List.of("V1__subjects.sql");
  private static final String COLUMNS = "id, key, display_name, CAST(metadata AS VARCHAR), current_period_start, "
      + "current_period_end, stripe_customer_id";
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final TallyStore store;
  private final SecureRandom random = new SecureRandom();

  private SubjectStore(TallyStore store) {
    this.store = store;
  }

  /** The subjects area of a store, its schema brought up to date. */
  public static SubjectStore on(TallyStore store) {
    requireNonNull(store, "store is null");
    store.migrate(TRACK, "/dev/tally/store/subjects", MIGRATIONS, SubjectStore.class);
    return new SubjectStore(store);
  }

  /** A tenant's subjects, by key. */
  public List<Subject> list(String tenant) {
    TallyStore.checkTenant(tenant);
    return store.read(c -> query(c, "SELECT " + COLUMNS + " FROM subjects WHERE tenant = ? ORDER BY key", tenant));
  }

  /** The subject with this key, else the one with this id. */
  public Optional<Subject> find(String tenant, String keyOrId) {
    TallyStore.checkTenant(tenant);
    List<Subject> found = store.read(c -> query(c, "SELECT " + COLUMNS + " FROM subjects WHERE tenant = ? AND "
        + "(key = ? OR id = ?) ORDER BY key = ? DESC LIMIT 1", tenant, keyOrId, keyOrId, keyOrId));
    return found.stream().findFirst();
  }

  /**
   * Stores subjects whole, in one transaction: each replaces the stored subject of its key, keeping its id, or is
   * created with a new id. The ids given in {@code subjects} are ignored (use any, such as an empty string).
   *
   * @return the subjects as stored, in the order given
   */
  public List<Subject> putAll(String tenant, List<Subject> subjects) {
    TallyStore.checkTenant(tenant);
    store.ensureTenant(tenant);
    return store.write(c -> {
      c.setAutoCommit(false);
      try {
        List<Subject> out = new ArrayList<>();
        for (Subject s : subjects) {
          out.add(put(c, tenant, s));
        }
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /**
   * Deletes the subject with this key (else this id).
   *
   * @throws TallyException (not found) if there is none
   */
  public void delete(String tenant, String keyOrId) {
    Subject s = find(tenant, keyOrId).orElseThrow(() -> notFound(keyOrId));
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM subjects WHERE tenant = ? AND key = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, s.key());
        return ps.executeUpdate();
      }
    });
  }

  /** The error for a subject that does not exist. */
  public static TallyException notFound(String keyOrId) {
    return new TallyException(ErrorCode.NOT_FOUND, "no subject '" + keyOrId + "'");
  }

  private Subject put(DuckDBConnection c, String tenant, Subject s) throws SQLException {
    Optional<Subject> old = query(c, "SELECT " + COLUMNS + " FROM subjects WHERE tenant = ? AND key = ?", tenant,
        s.key()).stream().findFirst();
    OffsetDateTime now = OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC);
    String id = old.map(Subject::id).orElseGet(this::ulid);
    if (old.isPresent()) {
      // Only the non-key columns change: DuckDB updates them in place, the key's index untouched.
      try (PreparedStatement ps = c.prepareStatement("UPDATE subjects SET display_name = ?, metadata = ?::JSON, "
          + "current_period_start = ?, current_period_end = ?, stripe_customer_id = ?, updated_at = ? "
          + "WHERE tenant = ? AND key = ?")) {
        bind(ps, 1, s);
        ps.setObject(6, now);
        ps.setString(7, tenant);
        ps.setString(8, s.key());
        ps.executeUpdate();
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO subjects (display_name, metadata, "
          + "current_period_start, current_period_end, stripe_customer_id, created_at, updated_at, tenant, key, id) "
          + "VALUES (?, ?::JSON, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bind(ps, 1, s);
        ps.setObject(6, now);
        ps.setObject(7, now);
        ps.setString(8, tenant);
        ps.setString(9, s.key());
        ps.setString(10, id);
        ps.executeUpdate();
      }
    }
    return new Subject(id, s.key(), s.displayName(), s.metadata(), s.currentPeriodStart(), s.currentPeriodEnd(),
        s.stripeCustomerId());
  }

  private static void bind(PreparedStatement ps, int from, Subject s) throws SQLException {
    ps.setString(from, s.displayName().orElse(null));
    try {
      ps.setString(from + 1, s.metadata().isPresent() ? Json.json().writeValueAsString(s.metadata().get()) : null);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("metadata cannot be written as JSON", e);
    }
    ps.setObject(from + 2, s.currentPeriodStart().map(i -> OffsetDateTime.ofInstant(i, ZoneOffset.UTC)).orElse(null));
    ps.setObject(from + 3, s.currentPeriodEnd().map(i -> OffsetDateTime.ofInstant(i, ZoneOffset.UTC)).orElse(null));
    ps.setString(from + 4, s.stripeCustomerId().orElse(null));
  }

  private static List<Subject> query(DuckDBConnection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      List<Subject> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Subject(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
              Optional.ofNullable(rs.getString(4)).map(SubjectStore::map), instant(rs, 5), instant(rs, 6),
              Optional.ofNullable(rs.getString(7))));
        }
      }
      return out;
    }
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  private static Map<String, Object> map(String json) {
    try {
      return Json.json().readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored subject metadata is not a JSON object: " + json, e);
    }
  }

  /** A ULID: 48 bits of milliseconds then 80 random bits, in Crockford's base 32 (26 characters, sortable by time). */
  private String ulid() {
    long time = store.clock().millis();
    byte[] rnd = new byte[10];
    random.nextBytes(rnd);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 characters of 5 bits.
    java.math.BigInteger bits = new java.math.BigInteger(1, rnd);
    for (int i = 25; i >= 10; i--) {
      out[i] = CROCKFORD[bits.intValue() & 31];
      bits = bits.shiftRight(5);
    }
    return new String(out);
  }
}
