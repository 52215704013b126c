package dev.tally.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Whether DuckDB can insert N event identities shaped like the metering benchmark's ({@code 'default', 'bench',
 * 'ev-<n>'}) into a table with a {@code PRIMARY KEY (tenant, source, id)} under a memory limit, in one transaction;
 * with {@code plain}, into the same table without the key. The measurement behind dropping the key on
 * {@code events} (ARCHITECTURE.md, "Exactly once, forever").
 *
 * <p>Usage: {@code PrimaryKeyProbe DIR MEMORY_LIMIT N pk|plain}, for example {@code PrimaryKeyProbe /tmp/p 6GB
 * 50000000 pk}. Prints the outcome and the process's peak resident memory.
 */
public final class PrimaryKeyProbe {
  private PrimaryKeyProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !(args[3].equals("pk") || args[3].equals("plain"))) {
      throw new IllegalArgumentException("usage: PrimaryKeyProbe DIR MEMORY_LIMIT N pk|plain");
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    String memory = args[1];
    long n = Long.parseLong(args[2].replace("_", ""));
    boolean pk = args[3].equals("pk");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("probe.duckdb"));
        Statement st = c.createStatement()) {
      st.execute("SET memory_limit = '" + memory.replace("'", "") + "'");
      st.execute("SET temp_directory = '" + dir.resolve("tmp").toString().replace("'", "''") + "'");
      st.execute("CREATE TABLE e (tenant VARCHAR, source VARCHAR, id VARCHAR"
          + (pk ? ", PRIMARY KEY (tenant, source, id)" : "") + ")");
      long t0 = System.nanoTime();
      String outcome;
      try {
        st.execute("INSERT INTO e SELECT 'default', 'bench', 'ev-' || i FROM range(" + n + ") t(i)");
        outcome = "inserted";
      } catch (SQLException e) {
        outcome = "FAILED: " + e.getMessage().lines().findFirst().orElse("");
      }
      System.out.printf(Locale.ROOT, "%s, memory_limit %s, %,d keys: %s after %.1f s; peak resident %s%n",
          pk ? "primary key" : "no key", memory, n, outcome, (System.nanoTime() - t0) / 1e9, peakRss());
    }
  }

  private static String peakRss() throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB";
      }
    }
    return "unknown";
  }
}
