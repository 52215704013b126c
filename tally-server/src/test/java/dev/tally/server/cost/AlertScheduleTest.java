package dev.tally.server.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.Horizon;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import dev.tally.store.cost.Budget;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.WebhookSender;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule inside tally serve checks budgets and anomalies on its own and delivers the alerts to a real local
 * webhook, each once, retrying a receiver that was down on a later tick.
 */
class AlertScheduleTest {
  @TempDir Path dir;

  @Test
  void alertsAreProducedOnceAndDeliveredWithoutAnyCommand() throws Exception {
    // 3 July 2024: July's usage so far is 300, 75% of a 400 budget: the 50% threshold is crossed, 80% is not; and 300
    // on 1 July after three weeks of nothing is an anomaly of the total.
    TestingClock clock = new TestingClock(Instant.parse("2024-07-03T12:00:00Z"));
    List<String> bodies = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean fail = failuresLeft.getAndDecrement() > 0;
      if (!fail) {
        bodies.add(body);
      }
      exchange.sendResponseHeaders(fail ? 503 : 204, -1);
      exchange.close();
    });
    receiver.start();
    try (TallyStore store = TallyStore.open(dir.resolve("data"), clock)) {
      CostStore cost = CostStore.on(store);
      Path bill = Files.writeString(dir.resolve("bill.csv"), "BilledCost,EffectiveCost,ListCost,BillingCurrency,"
          + "ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n"
          + "100,100,100,USD,Usage,2024-06-10,2024-06-11,EC2\n"
          + "300,300,300,USD,Usage,2024-07-01,2024-07-02,EC2\n");
      cost.importer().importFile("acme", bill, CostFormat.FOCUS);
      cost.budgets().create("acme", new Budget("ops", Horizon.MONTH, new BigDecimal("400"), ChargeScope.USAGE,
          List.of(), List.of(Budget.Threshold.parse("50"), Budget.Threshold.parse("80"))));
      cost.alerts().webhook("acme", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
          "0123456789abcdef-secret");
      store.ensureTenant("quiet");
      // One attempt per tick: the receiver's first answer (503) leaves the alert pending until the next tick.
      try (AlertSchedule schedule = AlertSchedule.start(store, Duration.ofMillis(50), clock, ZoneOffset.UTC,
          AnomalySettings.defaults(), new WebhookSender(clock, 1, Duration.ZERO))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> schedule.ticks() >= 4 && bodies.size() >= 2);
        assertThat(schedule.produced()).isEqualTo(2);
      }
      // Each alert delivered once, although every tick checked again and the first delivery failed.
      List<String> keys = new java.util.ArrayList<>();
      for (String body : bodies) {
        JsonNode alert = Json.json().readTree(body);
        keys.add(alert.get("key").asText());
      }
      assertThat(keys).containsExactlyInAnyOrder("budget:ops:2024-07:actual:50", "anomaly:total:2024-07-01");
      assertThat(cost.alerts().list("acme").rows()).hasSize(2);
      assertThat(cost.alerts().watchedTenants()).containsExactly("acme");
    } finally {
      receiver.stop(0);
    }
  }
}
