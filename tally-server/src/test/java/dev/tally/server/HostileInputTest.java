package dev.tally.server;

import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tally as a hostile client meets it: every reproduction of the ingest-hardening issue answers 4xx naming the problem
 * and refuses nothing beside it, one tenant's poisoned events and meters never fail another tenant's writes, and
 * thousands of generated hostile requests to every route of the API document never get a 5xx, never stop the server,
 * and change meter totals only by what was acknowledged.
 */
class HostileInputTest extends ServerTestBase {
  @BeforeEach
  void defineMeters() {
    for (String key : List.of(t.acmeKey, t.globexKey)) {
      assertThat(t.post("/api/v1/meters", key, "application/json",
          "{\"slug\":\"tokens\",\"eventType\":\"ai\",\"aggregation\":\"SUM\",\"valueProperty\":\"$.tokens\","
              + "\"groupBy\":{\"model\":\"$.model\"}}").statusCode()).isEqualTo(201);
      assertThat(t.post("/api/v1/meters", key, "application/json",
          "{\"slug\":\"calls\",\"eventType\":\"api-calls\",\"aggregation\":\"COUNT\"}").statusCode()).isEqualTo(201);
    }
  }

  static String ai(String id, String time, String tokens) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"fuzz\",\"type\":\"ai\",\"subject\":\"s\""
        + (time == null ? "" : ",\"time\":\"" + time + "\"") + ",\"data\":{\"tokens\":" + tokens
        + ",\"model\":\"m\"}}";
  }

  private HttpResponse<String> events(String key, String body) {
    return t.ingest(key, "application/cloudevents-batch+json", body);
  }

  /** A 4xx problem+json answer naming the given field in its problems (or detail). */
  private static void refused(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    assertThat(r.body()).as("the problem names %s", field).contains(field);
  }

  private BigDecimal total(String key, String meter) {
    HttpResponse<String> r = t.get("/api/v1/meters/" + meter + "/query?from=2000-01-01T00:00:00Z"
        + "&to=2100-01-01T00:00:00Z", key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode row : json(r).get("data")) {
      sum = sum.add(row.get("value").decimalValue());
    }
    return sum;
  }

  // --- the reproductions, one by one ---

  @Test
  void meterWithOutOfRangeEventFromIsRefusedOverPostAndPut() {
    for (String from : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
        "+294247-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "0000-12-31T23:00:00Z")) {
      refused(t.post("/api/v1/meters", t.acmeKey, "application/json",
          "{\"slug\":\"ef\",\"eventType\":\"x\",\"aggregation\":\"COUNT\",\"eventFrom\":\"" + from + "\"}"),
          "eventFrom");
      refused(t.put("/api/v1/meters/calls", t.acmeKey,
          "{\"slug\":\"calls\",\"eventType\":\"api-calls\",\"aggregation\":\"COUNT\",\"eventFrom\":\"" + from + "\"}"),
          "eventFrom");
    }
    assertThat(t.get("/api/v1/meters/ef", t.acmeKey).statusCode()).isEqualTo(404);
  }

  @Test
  void badEventsAreRefusedAloneNamingTheField() {
    refused(events(t.acmeKey, "[" + ai("t1", "+999999999-12-31T23:59:59Z", "1") + "]"), "time");
    refused(events(t.acmeKey, "[" + ai("t2", "+10000-01-01T00:00:00Z", "1") + "]"), "time");
    refused(events(t.acmeKey, "[" + ai("t3", "-0001-01-01T00:00:00Z", "1") + "]"), "time");
    refused(events(t.acmeKey, "[" + ai("t4", "2024-01-01T00:00:00Z\\u0000", "1") + "]"), "time");
    refused(events(t.acmeKey, "[" + ai("n1", "2024-01-01T00:00:00Z", "\"1000000000000000000000000000000\"") + "]"),
        "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n2", "2024-01-01T00:00:00Z", "12345678901234567890.123456789") + "]"),
        "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n3", "2024-01-01T00:00:00Z", "1234567890.123456789") + "]"), "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n4", "2024-01-01T00:00:00Z", "1e-400") + "]"), "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n5", "2024-01-01T00:00:00Z", "\"1e-400\"") + "]"), "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n6", "2024-01-01T00:00:00Z", "1e400") + "]"), "data.tokens");
    refused(events(t.acmeKey, "[" + ai("n7", "2024-01-01T00:00:00Z", "0.0000000001") + "]"), "data.tokens");
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"u1\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":{\"tokens\":1,\"note\":\"\\ud800\"}}]"), "data.note");
    String deep = "{\"a\":".repeat(1200) + "1" + "}".repeat(1200);
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"d1\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":" + deep + "}]"), "nest");
    refused(events(t.acmeKey, "[".repeat(1500) + "]".repeat(1500)), "body");
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"d2\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}]"), "data.a.a");
    // Nothing of any of them was stored; a good event beside them still is.
    assertThat(t.storedEvents("acme")).isZero();
    assertThat(events(t.acmeKey, "[" + ai("ok", "2024-01-01T00:00:00Z", "\"100000000000000000000\"") + "]")
        .statusCode()).isEqualTo(204);
    assertThat(total(t.acmeKey, "tokens")).isEqualByComparingTo("100000000000000000000");
  }

  @Test
  void numbersAreKeptToTheirLastDigitOrRefused() {
    String[] exact = {"\"12345678901234567890.123456789\"", "\"1234567890.123456789\"", "0.1", "\"-0.000000001\"",
        "18446744073709551615", "1e20", "\"5.100000000000\"", "\"0000012.5\""};
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < exact.length; i++) {
      HttpResponse<String> r = events(t.globexKey, "[" + ai("x" + i, "2024-02-01T00:00:00Z", exact[i]) + "]");
      assertThat(r.statusCode()).as(exact[i] + ": " + r.body()).isEqualTo(204);
      HttpResponse<String> q = t.get("/api/v1/meters/tokens/query?from=2024-02-01T00:00:00Z&to=2024-02-02T00:00:00Z"
          + "&windowSize=DAY", t.globexKey);
      expected = expected.add(new BigDecimal(exact[i].replace("\"", "")));
      assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
      assertThat(json(q).get("data").get(0).get("value").decimalValue()).as(exact[i]).isEqualByComparingTo(expected);
    }
    // The largest value that fits is kept whole; a sum past what DECIMAL(38,9) holds is refused by name, not a 500.
    String max = "99999999999999999999999999999.999999999";
    assertThat(events(t.globexKey, "[" + ai("max1", "2024-03-01T00:00:00Z", "\"" + max + "\"") + "]").statusCode())
        .isEqualTo(204);
    HttpResponse<String> one = t.get("/api/v1/meters/tokens/query?from=2024-03-01T00:00:00Z"
        + "&to=2024-03-02T00:00:00Z", t.globexKey);
    assertThat(json(one).get("data").get(0).get("value").decimalValue()).isEqualByComparingTo(max);
    assertThat(events(t.globexKey, "[" + ai("max2", "2024-03-01T01:00:00Z", "\"" + max + "\"") + "]").statusCode())
        .isEqualTo(204);
    refused(t.get("/api/v1/meters/tokens/query?from=2024-03-01T00:00:00Z&to=2024-03-02T00:00:00Z", t.globexKey),
        "29 integer digits");
    HttpResponse<String> hourly = t.get("/api/v1/meters/tokens/query?from=2024-03-01T00:00:00Z"
        + "&to=2024-03-02T00:00:00Z&windowSize=HOUR", t.globexKey);
    assertThat(hourly.statusCode()).as(hourly.body()).isEqualTo(200);
  }

  @Test
  void distinctIdsStayDistinct() {
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"order-\\ud800\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":{\"tokens\":1}}]"), "id");
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"order-\\udbff\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":{\"tokens\":1}}]"), "id");
    // Raw bytes ED A0 80 (a surrogate written as UTF-8, which UTF-8 forbids) in an id.
    byte[] head = "[{\"specversion\":\"1.0\",\"id\":\"order-".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"s\",\"data\":{\"tokens\":1}}]"
        .getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = (byte) 0xED;
    body[head.length + 1] = (byte) 0xA0;
    body[head.length + 2] = (byte) 0x80;
    System.arraycopy(tail, 0, body, head.length + 3, tail.length);
    HttpResponse<String> r = t.send(t.request("/api/v1/events", t.acmeKey)
        .header("Content-Type", "application/cloudevents-batch+json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
    refused(r, "UTF-8");
    assertThat(json(r).get("problems").get(0).get("message").asText()).contains("byte offset " + head.length);
    // Control characters in attributes are refused too; two ids that differ only in a valid character both count.
    refused(events(t.acmeKey, "[{\"specversion\":\"1.0\",\"id\":\"a\\u0000\",\"source\":\"s\",\"type\":\"ai\","
        + "\"subject\":\"s\",\"data\":{\"tokens\":1}}]"), "id");
    assertThat(events(t.acmeKey, "[" + ai("order-\uD83D\uDE00", null, "1") + "," + ai("order-\uD83D\uDE01", null, "1")
        + "]").headers().firstValue("Tally-Events-Stored")).hasValue("2");
  }

  @Test
  void queryAndListingBoundsAnswer400() {
    List<String> queries = List.of(
        "/api/v1/meters/tokens/query?from=-999999999-01-01T00:00:00Z",
        "/api/v1/meters/tokens/query?to=+999999999-01-01T00:00:00Z",
        "/api/v1/meters/tokens/query?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z&windowSize=MINUTE",
        "/api/v1/meters/tokens/query?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z&windowSize=HOUR",
        "/api/v1/meters/tokens/query?from=0001-01-01&to=9999-12-31&windowSize=DAY&windowTimeZone=Europe/Paris",
        "/api/v1/meters/tokens/query?from=0001-01-01&to=9999-12-31&windowSize=MINUTE&windowTimeZone=Pacific/Apia",
        "/api/v1/events?from=-999999999-01-01T00:00:00Z",
        "/api/v1/events?to=%2B999999999-01-01T00:00:00Z",
        "/api/v1/events?ingestedAtFrom=0000-01-01T00:00:00Z");
    for (String q : queries) {
      HttpResponse<String> r = t.get(q, t.acmeKey);
      assertThat(r.statusCode()).as(q + " -> " + r.body()).isBetween(400, 499);
    }
    // An illegal URI is refused by the HTTP layer, in the same problem+json shape, telling the client to reconnect.
    HttpResponse<String> nul = t.get("/api/v1/invoices/%00/explain", t.acmeKey);
    refused(nul, "refused before it reached Tally");
    assertThat(nul.headers().firstValue("Connection")).hasValue("close");
    HttpResponse<String> ok = t.get("/api/v1/meters/tokens/query?from=0001-01-01T00:00:00Z"
        + "&to=9999-12-31T00:00:00Z", t.acmeKey);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void budgetAmountsOutOfRangeAnswer400() {
    for (String amount : List.of("1e40", "\"1e40\"", "100000000000000000000000000000000", "-5", "1.0000000000001")) {
      HttpResponse<String> r = t.post("/api/v1/budgets", t.acmeKey, "application/json",
          "{\"name\":\"b\",\"amount\":" + amount + ",\"currency\":\"USD\",\"period\":\"MONTH\"}");
      assertThat(r.statusCode()).as(amount + " -> " + r.body()).isBetween(400, 499);
    }
  }

  @Test
  void malformedChunkedBodiesAnswer400() throws Exception {
    for (String chunk : List.of("zz", "-5", "ffffffffffffffffffff")) {
      String raw = "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + t.acmeKey
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + chunk + "\r\n{}\r\n0\r\n\r\n";
      assertThat(rawStatus(raw)).as(chunk).isBetween(400, 499);
    }
    // Headers past the server's 8 KiB limit: refused by the HTTP layer itself, with an answer, not a closed socket.
    String huge = "GET /api/v1/meters HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + "x".repeat(9000)
        + "\r\nConnection: close\r\n\r\n";
    assertThat(rawStatus(huge)).isBetween(400, 499);
    assertThat(t.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  private int rawStatus(String request) throws Exception {
    try (Socket s = new Socket(t.server.uri().getHost(), t.server.uri().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  // --- isolation ---

  @Test
  void oneTenantsPoisonNeverFailsAnothersWrites() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> good = new ArrayList<>();
      List<Future<HttpResponse<String>>> bad = new ArrayList<>();
      for (int round = 0; round < 50; round++) {
        int r = round;
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
          batch.append(i == 0 ? "" : ",").append(ai("g-" + r + "-" + i, "2024-03-01T00:00:00Z", "2"));
        }
        String goodBatch = batch.append(']').toString();
        good.add(pool.submit(() -> events(t.globexKey, goodBatch)));
        String poison = switch (r % 5) {
          case 0 -> "[" + ai("p" + r, "+999999999-12-31T23:59:59Z", "1") + "]";
          case 1 -> "[" + ai("p" + r, "2024-03-01T00:00:00Z", "\"100000000000000000000000000000\"") + "]";
          case 2 -> "[{\"specversion\":\"1.0\",\"id\":\"p" + r + "\",\"source\":\"s\",\"type\":\"ai\","
              + "\"subject\":\"s\",\"data\":{\"tokens\":1,\"note\":\"\\ud800\"}}]";
          case 3 -> "[" + ai("p" + r, "2024-03-01T00:00:00Z", "12345678901234567890.123456789") + "]";
          default -> null;
        };
        if (poison != null) {
          bad.add(pool.submit(() -> events(t.acmeKey, poison)));
        } else {
          bad.add(pool.submit(() -> t.post("/api/v1/meters", t.acmeKey, "application/json",
              "{\"slug\":\"ef" + r + "\",\"eventType\":\"ai\",\"aggregation\":\"COUNT\","
                  + "\"eventFrom\":\"+999999999-12-31T23:59:59Z\"}")));
        }
      }
      for (Future<HttpResponse<String>> f : good) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      }
      for (Future<HttpResponse<String>> f : bad) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(t.storedEvents("globex")).isEqualTo(50 * 20);
    assertThat(total(t.globexKey, "tokens")).isEqualByComparingTo("2000");
    assertThat(t.storedEvents("acme")).isZero();
  }

  // --- generated hostile requests over every route ---

  private static final String[] HOSTILE = {
      "", " ", "\u0000", "a\u0000b", "'; DROP TABLE events; --", "\" OR 1=1 --", "$..*", "$[?(@.a)]", "$.a[*]",
      "../../etc/passwd", "%00", "%", "\\", "\\ud800", "\uD800", "\uFFFF", "+999999999-12-31T23:59:59Z",
      "-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01", "1e40", "-1",
      "99999999999999999999999999999999999999", "NaN", "Infinity", "null", "true", "[]", "{}", "MINUTE", "HOUR",
      "DAY", "MONTH", "YEAR", "Europe/Paris", "Mars/Olympus", "+05:30", "x".repeat(5000), "<script>alert(1)</script>",
      "${jndi:ldap://x}", "%s%s%s%n", "\u202E", "😀"};

  private static final String[] BODIES = {
      "", "null", "[]", "{}", "[[[[[[[[", "{\"a\":", "\"str\"", "123", "1e400", "{\"slug\":null}",
      "{\"slug\":\"x\",\"eventType\":\"t\",\"aggregation\":\"SUM\",\"valueProperty\":\"$..a\"}",
      "{\"slug\":\"x\",\"eventType\":\"t\",\"aggregation\":\"COUNT\",\"eventFrom\":\"+10000-01-01T00:00:00Z\"}",
      "{\"name\":\"b\",\"amount\":1e40,\"currency\":\"USD\",\"period\":\"MONTH\"}",
      "{\"amount\":\"NaN\"}", "{\"subject\":\"\\ud800\"}", "[" + "{}".repeat(3) + "]",
      "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "{\"from\":\"-999999999-01-01T00:00:00Z\"}"};

  @Test
  void generatedHostileRequestsNeverGet5xxAndChangeTotalsOnlyByWhatWasAcknowledged() throws Exception {
    JsonNode doc = Json.yaml().readTree(t.get("/api/openapi.yaml", null).body());
    List<String[]> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
        String method = m.next().toUpperCase(java.util.Locale.ROOT);
        if (List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
          routes.add(new String[] {method, p.getKey()});
        }
      }
    }
    assertThat(routes).hasSizeGreaterThan(20);
    Random random = new Random(20261202L);
    AtomicLong acknowledgedTokens = new AtomicLong();
    AtomicLong acknowledgedCalls = new AtomicLong();
    int sent = 0;
    String previous = "";
    List<String> failures = new ArrayList<>();
    BigDecimal tokensBefore = total(t.globexKey, "tokens");
    for (int i = 0; i < 2400; i++) {
      HttpResponse<String> r;
      String what;
      if (i % 3 == 0) {
        // Ingest: a mix of good and hostile events in the globex tenant, whose totals are checked at the end.
        String body = hostileBatch(random, i, acknowledgedTokens, acknowledgedCalls);
        what = "POST /api/v1/events " + abbreviate(body);
        try {
          r = t.send(t.request("/api/v1/events", t.globexKey).header("Content-Type", contentType(random))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        } catch (java.io.UncheckedIOException e) {
          // A pooled connection that the server had closed after refusing an earlier request without reading its
          // body: a client sends again, which dedupe makes safe, and then counts a duplicate as its own.
          r = t.send(t.request("/api/v1/events", t.globexKey).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }
        if (r.statusCode() == 204) {
          long stored = Long.parseLong(r.headers().firstValue("Tally-Events-Stored").orElse("0"))
              + Long.parseLong(r.headers().firstValue("Tally-Events-Duplicates").orElse("0"));
          assertThat(stored).isLessThanOrEqualTo(1);
          assertThat(pendingTokens).as("stored although it must be refused: %s", what).isNotEqualTo(NEVER);
          if (stored == 1) {
            acknowledgedTokens.addAndGet(pendingTokens);
            acknowledgedCalls.addAndGet(pendingCalls);
          }
        }
      } else {
        String[] route = routes.get(random.nextInt(routes.size()));
        String path = route[1].replaceAll("\\{[^}]+}", enc(pick(random, HOSTILE)));
        StringBuilder q = new StringBuilder();
        for (String name : List.of("from", "to", "windowSize", "windowTimeZone", "subject", "groupBy",
            "filterGroupBy[model]", "limit", "id", "by", "top", "base", "compare", "period", "format")) {
          if (random.nextInt(4) == 0) {
            q.append(q.length() == 0 ? "?" : "&").append(enc(name)).append('=').append(enc(pick(random, HOSTILE)));
          }
        }
        String body = random.nextBoolean() ? pick(random, BODIES) : "{\"" + pick(random, HOSTILE).replace("\"", "")
            + "\":\"" + pick(random, HOSTILE).replace("\\", "").replace("\"", "") + "\"}";
        what = route[0] + " " + abbreviate(path + q) + " " + abbreviate(body);
        // A hostile key too, now and then (header values must be ASCII without line breaks for the client to send).
        HttpRequest.Builder b = t.request(path + q, random.nextInt(10) == 0
            ? abbreviate(pick(random, HOSTILE).replaceAll("[^\\x21-\\x7e]", "x")) : t.acmeKey);
        b.header("Content-Type", contentType(random));
        try {
          r = t.send(switch (route[0]) {
            case "GET" -> b.GET().build();
            case "DELETE" -> b.DELETE().build();
            case "PUT" -> b.PUT(HttpRequest.BodyPublishers.ofString(body)).build();
            default -> b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
          });
        } catch (java.io.UncheckedIOException e) {
          failures.add("no answer for " + what + ": " + e.getMessage() + " (after " + previous + ")");
          continue;
        }
      }
      sent++;
      previous = what + " -> " + r.statusCode() + " " + r.headers().map();
      if (r.statusCode() >= 500) {
        failures.add(r.statusCode() + " for " + what + ": " + abbreviate(r.body()));
      }
    }
    assertThat(sent).isGreaterThanOrEqualTo(2000);
    assertThat(failures).as("requests answered 5xx or not at all").isEmpty();
    assertThat(t.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(total(t.globexKey, "tokens")).isEqualByComparingTo(tokensBefore.add(
        BigDecimal.valueOf(acknowledgedTokens.get())));
    assertThat(total(t.globexKey, "calls")).isEqualByComparingTo(BigDecimal.valueOf(acknowledgedCalls.get()));
  }

  /** A value that must never be stored: its event is refused whatever happens. */
  private static final long NEVER = Long.MIN_VALUE;

  private long pendingTokens;
  private long pendingCalls;

  /** One event, good or hostile; remembers what it would add if acknowledged. */
  private String hostileBatch(Random random, int i, AtomicLong tokens, AtomicLong calls) {
    pendingTokens = 0;
    pendingCalls = 0;
    String id = "f" + i;
    return switch (random.nextInt(12)) {
      case 0 -> {
        pendingTokens = 7;
        yield "[" + ai(id, "2024-05-01T00:00:00Z", "7") + "]";
      }
      case 1 -> {
        pendingCalls = 1;
        yield "[{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"fuzz\",\"type\":\"api-calls\","
            + "\"subject\":\"s\",\"time\":\"2024-05-01T00:00:00Z\"}]";
      }
      case 2 -> {
        pendingTokens = 1;
        yield "[" + ai(id, pick(random, HOSTILE).replace("\"", "").replace("\\", ""), "1") + "]";
      }
      case 3 -> {
        pendingTokens = NEVER;
        yield "[" + ai(id, "2024-05-01T00:00:00Z", pick(random, new String[] {"1e400", "1e-400", "\"1e5\"",
          "12345678901234567890.123456789", "\"abc\"", "true", "{}", "[]", "null", "\"\"", "-0.0000000001",
          "\"99999999999999999999999999999999\""})) + "]";
      }
      case 4 -> "[{\"specversion\":\"1.0\",\"id\":\"" + pick(random, HOSTILE).replace("\"", "'").replace("\\", "/")
          + "x" + i + "\",\"source\":\"\",\"type\":\"ai\",\"subject\":\"s\"}]";
      case 5 -> "[{\"specversion\":\"2.0\",\"id\":\"" + id + "\"}]";
      case 6 -> "{\"a\":" + "[".repeat(random.nextInt(3000)) + "]";
      case 7 -> "[" + ai(id, "2024-05-01T00:00:00Z", "1") + "," + ai(id + "b", "2024-05-01T00:00:00Z", "\"x\"") + "]";
      case 8 -> pick(random, BODIES);
      case 9 -> "[{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"s\","
          + "\"data\":{\"tokens\":1,\"k\":\"\\udc00\"}}]";
      case 10 -> {
        pendingTokens = 1;
        yield "[" + ai(id, "2024-05-01T00:00:00Z", "1") + "]\u0000";
      }
      default -> {
        pendingTokens = 1;
        yield "[" + ai(id, "2024-05-01T00:00:00" + pick(random, new String[] {"", "+25:00", "Z\u0000", " Z",
          "+05:30", "z"}), "1") + "]";
      }
    };
  }

  private static String contentType(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "text/plain";
      case 1 -> "application/json; charset=latin1";
      case 2 -> "application/cloudevents+json";
      case 3 -> "";
      default -> random.nextBoolean() ? "application/json" : "application/cloudevents-batch+json";
    };
  }

  private static String pick(Random random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  /** URL-encoded, and short enough that a request line stays within the server's 8 KiB header limit. */
  private static String enc(String s) {
    return URLEncoder.encode(s.length() > 300 ? s.substring(0, 300) : s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
