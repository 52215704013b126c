package dev.tally.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * What LATEST's tie-break costs: on the value table of the metering benchmark's {@code latest} meter in a Tally store,
 * the latest value per subject by Tally's key (event time, then ingestion order, as one 128-bit number), by event
 * time alone (what the hand-written reference does, ties broken arbitrarily), and by a (time, seq) struct. Best of
 * five, twice. Run on a closed store (the benchmark's {@code tally-json} after a run).
 *
 * <p>Usage: {@code LatestTieBreakProbe STORE_DIR/tally.duckdb}.
 */
public final class LatestTieBreakProbe {
  private LatestTieBreakProbe() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement st = c.createStatement()) {
      String table;
      try (ResultSet rs = st.executeQuery("SELECT table_id FROM meters WHERE slug = 'latest'")) {
        rs.next();
        table = "meter_data_" + rs.getInt(1);
      }
      String[] keys = {"epoch_us(ts)::HUGEINT * 9223372036854775808 + seq", "ts", "(ts, seq)"};
      for (int round = 0; round < 2; round++) {
        for (String k : keys) {
          long best = Long.MAX_VALUE;
          for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT subject, arg_max(value, " + k + ") FROM " + table
                + " GROUP BY subject ORDER BY subject")) {
              while (rs.next()) {
                rs.getObject(2);
              }
            }
            best = Math.min(best, System.nanoTime() - t0);
          }
          System.out.printf(Locale.ROOT, "arg_max(value, %s): best of 5 %d ms%n", k, best / 1_000_000);
        }
      }
    }
  }
}
