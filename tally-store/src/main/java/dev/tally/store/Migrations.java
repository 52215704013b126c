package dev.tally.store;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Versioned schema migrations, applied in order, each in its own transaction and recorded in
 * {@code schema_migrations}.
 *
 * <p>Each feature area owns a <em>track</em> of migrations ({@code events} here; {@code server}, {@code cost},
 * {@code pricing} in their modules), so that areas evolve their tables without coordinating version numbers. A track
 * whose recorded version is newer than this build knows is refused rather than misread.
 *
 * <p>To change a schema, add {@code V<n>__<what>.sql} to the track's resource folder and its name to the track's
 * list; never edit a script that has shipped.
 */
final class Migrations {
  private Migrations() {}

  /**
   * Applies the pending scripts of one track.
   *
   * @param conn the writing connection
   * @param clock for the applied-at time
   * @param track the track's name
   * @param resourceDir the classpath folder of the scripts, such as {@code /dev/tally/store/migrations}
   * @param scripts script names in order; script {@code i} has version {@code i + 1}
   * @param anchor a class whose class loader sees the scripts
   */
  public static void apply(Connection conn, Clock clock, String track, String resourceDir, List<String> scripts,
      Class<?> anchor) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (track VARCHAR NOT NULL, version INTEGER NOT NULL, "
          + "script VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (track, version))");
    }
    int current;
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT coalesce(max(version), 0) FROM schema_migrations WHERE track = ?")) {
      ps.setString(1, track);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        current = rs.getInt(1);
      }
    }
    if (current > scripts.size()) {
      throw new TallyException(ErrorCode.CONFLICT, "this store's '" + track + "' schema is at version " + current
          + " but this Tally knows only up to " + scripts.size() + ": use a newer Tally");
    }
    for (int v = current + 1; v <= scripts.size(); v++) {
      String script = scripts.get(v - 1);
      boolean auto = conn.getAutoCommit();
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        for (String sql : statements(read(anchor, resourceDir + "/" + script))) {
          st.execute(sql);
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO schema_migrations VALUES (?, ?, ?, ?)")) {
          ps.setString(1, track);
          ps.setInt(2, v);
          ps.setString(3, script);
          ps.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
          ps.executeUpdate();
        }
        conn.commit();
      } catch (SQLException | RuntimeException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(auto);
      }
    }
  }

  /** Splits a script into statements at semicolons that end a line; comment-only pieces are dropped. */
  static List<String> statements(String script) {
    return java.util.Arrays.stream(script.split(";\\s*(\\r?\\n|$)"))
        .map(String::strip)
        .filter(s -> !s.isEmpty() && !s.lines().allMatch(l -> l.strip().isEmpty() || l.strip().startsWith("--")))
        .toList();
  }

  private static String read(Class<?> anchor, String path) {
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration " + path + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + path, e);
    }
  }
}
