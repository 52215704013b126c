package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.Percentages;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.format.Decimals;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts: produced once when a budget threshold is crossed or an anomaly appears, listed, and delivered to the
 * tenant's webhook.
 *
 * <p>"Once" is enforced by the store, not by memory: each alert has a key naming what happened and when (budget
 * {@code team-a}, period {@code 2024-09}, 80% of actual; or anomaly of the total on {@code 2024-09-14}), unique per
 * tenant, so checking again (every hour from cron, say) never repeats an alert. Delivery is separate from production:
 * an alert is stored first, then sent; one that could not be delivered stays pending and is retried by the next
 * delivery run, every attempt recorded with its status or error.
 */
public final class CostAlerts {
  private final TallyStore store;
  private final Budgets budgets;
  private final CostInsights insights;

  CostAlerts(TallyStore store, Budgets budgets, CostInsights insights) {
    this.store = requireNonNull(store, "store is null");
    this.budgets = requireNonNull(budgets, "budgets is null");
    this.insights = requireNonNull(insights, "insights is null");
  }

  /** An alert as stored. */
  public record Alert(long id, String key, String kind, String message, String payload) {
    public Alert {
      requireNonNull(key, "key is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(message, "message is null");
      requireNonNull(payload, "payload is null");
    }
  }

  /**
   * The tenants a scheduled check looks at: those with cost data, a budget or a webhook. Others have nothing to be
   * alerted about.
   */
  public List<String> watchedTenants() {
    return store.read(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tenant FROM cost_imports UNION SELECT tenant "
          + "FROM cost_budgets UNION SELECT tenant FROM cost_webhooks ORDER BY 1");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  /** Sets (or replaces) the tenant's webhook. */
  public void webhook(String tenant, String url, String secret) {
    TallyStore.checkTenant(tenant);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("url", "is not a URL", url));
    }
    if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
      throw TallyException.invalid(Problem.of("url", "must be an http or https URL with a host", url));
    }
    if (secret == null || secret.length() < 16) {
      throw TallyException.invalid(Problem.of("secret", "must be at least 16 characters (it keys the HMAC)"));
    }
    store.ensureTenant(tenant);
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO cost_webhooks VALUES (?, ?, ?)")) {
        ps.setString(1, tenant);
        ps.setString(2, url);
        ps.setString(3, secret);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Checks budgets (standing before {@code asOf}) and the total's anomalies on the {@code anomalyDays} days before
   * {@code asOf}, and stores an alert for each crossing or anomaly not alerted before.
   *
   * @return the alerts produced by this check (none if everything was alerted already)
   */
  public List<Alert> check(String tenant, LocalDate asOf, ZoneId zone, AnomalySettings settings, int anomalyDays) {
    TallyStore.checkTenant(tenant);
    if (anomalyDays < 1) {
      throw TallyException.invalid(Problem.of("anomalyDays", "must be at least 1", Integer.toString(anomalyDays)));
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Budgets.Standing s : budgets.standings(tenant, asOf, zone)) {
      for (Budget.Threshold t : s.budget().thresholds()) {
        if (s.crossed(t)) {
          candidates.add(budgetAlert(s, t));
        }
      }
    }
    CostScope recent = CostScope.of(tenant).withZone(zone).withDays(Optional.of(asOf.minusDays(anomalyDays)),
        Optional.of(asOf));
    ReportTable anomalies = insights.anomalies(recent, Optional.empty(), settings, CostInsights.defaultDimensions());
    for (Map<String, Object> a : anomalies.records()) {
      candidates.add(anomalyAlert(a, anomalies.currency().orElse("")));
    }
    return store.write(c -> {
      List<Alert> produced = new ArrayList<>();
      for (Candidate cand : candidates) {
        long id;
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('cost_alert_ids')");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
        String payload = payload(id, tenant, cand);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_alerts VALUES (?, ?, ?, ?, ?, ?::JSON, ?,"
            + " NULL) ON CONFLICT DO NOTHING")) {
          ps.setLong(1, id);
          ps.setString(2, tenant);
          ps.setString(3, cand.key());
          ps.setString(4, cand.kind());
          ps.setString(5, cand.message());
          ps.setString(6, payload);
          ps.setObject(7, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
          if (ps.executeUpdate() == 1) {
            produced.add(new Alert(id, cand.key(), cand.kind(), cand.message(), payload));
          }
        }
      }
      return produced;
    });
  }

  private record Candidate(String key, String kind, String message, ObjectNode details) {}

  private static Candidate budgetAlert(Budgets.Standing s, Budget.Threshold t) {
    Budget b = s.budget();
    BigDecimal spent = s.spent(t.basis());
    String currency = s.currency().orElse("");
    String what = t.basis() == Budget.Basis.ACTUAL ? "spent" : "forecast";
    String message = "budget " + b.name() + " " + s.period().label() + ": " + what + " " + Decimals.plain(spent)
        + " " + currency + " of " + Decimals.plain(b.amount()) + " (" + Percentages.share(spent, b.amount())
        .map(BigDecimal::toPlainString).orElse("-") + "%), reached the " + t + " threshold";
    ObjectNode d = Json.json().createObjectNode();
    d.put("budget", b.name());
    d.put("period", s.period().label());
    d.put("basis", t.basis().name().toLowerCase(Locale.ROOT));
    d.put("thresholdPercent", t.percent());
    d.put("amount", Decimals.normalise(b.amount()));
    d.put(what, Decimals.normalise(spent));
    d.put("currency", currency);
    return new Candidate("budget:" + b.name() + ":" + s.period().label() + ":" + d.get("basis").asText() + ":"
        + t.percent().stripTrailingZeros().toPlainString(), "budget", message, d);
  }

  private static Candidate anomalyAlert(Map<String, Object> a, String currency) {
    String message = "anomaly in " + a.get("series") + " on " + a.get("day") + ": " + Decimals.plain((BigDecimal)
        a.get("actual")) + " " + currency + " against " + Decimals.plain(((BigDecimal) a.get("expected")).setScale(2,
        RoundingMode.HALF_UP)) + " expected" + Optional.ofNullable(a.get("impact_percent"))
        .map(p -> " (" + (((BigDecimal) p).signum() > 0 ? "+" : "") + ((BigDecimal) p).toPlainString() + "%)")
        .orElse("");
    ObjectNode d = Json.json().valueToTree(a);
    d.put("currency", currency);
    return new Candidate("anomaly:" + a.get("series") + ":" + a.get("day"), "anomaly", message, d);
  }

  private String payload(long id, String tenant, Candidate c) {
    ObjectNode p = Json.json().createObjectNode();
    p.put("id", id);
    p.put("tenant", tenant);
    p.put("kind", c.kind());
    p.put("key", c.key());
    p.put("message", c.message());
    p.put("createdAt", store.clock().instant().toString());
    p.set("details", c.details());
    try {
      return Json.json().writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write an alert as JSON", e);
    }
  }

  /** What a delivery run did. */
  public record Delivery(int pending, int delivered, int failed, Optional<String> url) {}

  /**
   * Sends every undelivered alert to the tenant's webhook (none configured: nothing is sent and the alerts stay
   * pending), recording each attempt. No store lock is held while waiting for the receiver.
   */
  public Delivery deliver(String tenant, WebhookSender sender) {
    record Hook(String url, String secret) {}
    record Pending(long id, String payload, int attempts) {}
    Optional<Hook> hook = store.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT url, secret FROM cost_webhooks WHERE tenant = ?")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Hook(rs.getString(1), rs.getString(2))) : Optional.<Hook>empty();
        }
      }
    });
    List<Pending> pending = store.read(c -> {
      List<Pending> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT a.id, CAST(a.payload AS VARCHAR),"
          + " (SELECT coalesce(max(attempt), 0) FROM cost_alert_deliveries d WHERE d.alert_id = a.id)"
          + " FROM cost_alerts a WHERE a.tenant = ? AND a.delivered_at IS NULL ORDER BY a.id")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Pending(rs.getLong(1), rs.getString(2), rs.getInt(3)));
          }
        }
      }
      return out;
    });
    if (hook.isEmpty()) {
      return new Delivery(pending.size(), 0, 0, Optional.empty());
    }
    int delivered = 0;
    for (Pending p : pending) {
      boolean ok = sender.send(hook.get().url(), hook.get().secret(), p.id(), p.payload(), p.attempts() + 1,
          attempt -> record(p.id(), hook.get().url(), attempt));
      if (ok) {
        delivered++;
        store.write(c -> {
          try (PreparedStatement ps = c.prepareStatement("UPDATE cost_alerts SET delivered_at = ? WHERE id = ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
            ps.setLong(2, p.id());
            return ps.executeUpdate();
          }
        });
      }
    }
    return new Delivery(pending.size(), delivered, pending.size() - delivered, Optional.of(hook.get().url()));
  }

  private void record(long alertId, String url, WebhookSender.Attempt a) {
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_alert_deliveries VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, alertId);
        ps.setInt(2, a.number());
        ps.setString(3, url);
        ps.setObject(4, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
        if (a.status().isPresent()) {
          ps.setInt(5, a.status().getAsInt());
        } else {
          ps.setNull(5, Types.INTEGER);
        }
        ps.setString(6, a.error().orElse(null));
        return ps.executeUpdate();
      }
    });
  }

  /** The tenant's alerts, newest first, with their delivery state. */
  public ReportTable list(String tenant) {
    TallyStore.checkTenant(tenant);
    return store.read(c -> {
      List<List<Object>> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.created_at, a.kind, a.alert_key, a.message,"
          + " a.delivered_at, count(d.attempt), arg_max(d.status, d.attempt), arg_max(d.error, d.attempt)"
          + " FROM cost_alerts a LEFT JOIN cost_alert_deliveries d ON d.alert_id = a.id WHERE a.tenant = ?"
          + " GROUP BY ALL ORDER BY a.id DESC")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            OffsetDateTime delivered = rs.getObject(6, OffsetDateTime.class);
            int status = rs.getInt(8);
            boolean hasStatus = !rs.wasNull();
            rows.add(CostReports.row(BigDecimal.valueOf(rs.getLong(1)), rs.getObject(2, OffsetDateTime.class)
                .toInstant().toString(), rs.getString(3), rs.getString(4), rs.getString(5),
                delivered == null ? "pending" : "delivered " + delivered.toInstant(), BigDecimal.valueOf(rs.getLong(7)),
                hasStatus ? Integer.toString(status) : rs.getString(9)));
          }
        }
      }
      return CostReports.table("alerts", Optional.empty(), List.of("id", "created_at", "kind", "key", "message",
          "delivery", "attempts", "last_result"), rows, List.of());
    });
  }
}
