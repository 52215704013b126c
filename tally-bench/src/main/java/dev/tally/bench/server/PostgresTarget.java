package dev.tally.bench.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * The same work done the way Lago's default store does it: PostgreSQL, an events table with a unique index on the
 * event's key, one {@code INSERT} per event, one transaction per request, committed durably (synchronous_commit on,
 * PostgreSQL's default).
 */
final class PostgresTarget implements LoadTarget {
  static final String SCHEMA = """
      DROP TABLE IF EXISTS events;
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        organization_id text NOT NULL,
        transaction_id text NOT NULL,
        external_subscription_id text NOT NULL,
        code text NOT NULL,
        timestamp timestamptz NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now());
      CREATE UNIQUE INDEX events_unique_key ON events (organization_id, external_subscription_id, transaction_id)""";

  private final String url;
  private final String run;
  private final Connection conn;
  private final PreparedStatement insert;

  PostgresTarget(String url, String run) throws Exception {
    this.url = url;
    this.run = run;
    this.conn = DriverManager.getConnection(url);
    conn.setAutoCommit(false);
    this.insert = conn.prepareStatement("INSERT INTO events (organization_id, transaction_id, "
        + "external_subscription_id, code, timestamp, properties) VALUES (?, ?, ?, ?, ?, ?::jsonb) "
        + "ON CONFLICT DO NOTHING");
  }

  /** Creates the table and its unique index, replacing any from an earlier run. */
  static void createSchema(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String sql : SCHEMA.split(";")) {
        st.execute(sql);
      }
    }
  }

  @Override
  public void send(long request, int count) throws Exception {
    long first = request * count;
    try {
      for (int i = 0; i < count; i++) {
        long n = first + i;
        insert.setString(1, "org-1");
        insert.setString(2, run + "-" + n);
        insert.setString(3, "customer-" + EventText.subject(n));
        insert.setString(4, "api.request");
        insert.setTimestamp(5, new Timestamp(EventText.epochSecond(n) * 1000));
        insert.setString(6, "{\"endpoint\":\"" + EventText.endpoint(n) + "\",\"tokens\":" + EventText.tokens(n) + "}");
        insert.executeUpdate();
      }
      conn.commit();
    } catch (Exception e) {
      conn.rollback();
      throw e;
    }
  }

  @Override
  public LoadTarget forThread() throws Exception {
    return new PostgresTarget(url, run);
  }

  @Override
  public void close() throws Exception {
    conn.close();
  }
}
