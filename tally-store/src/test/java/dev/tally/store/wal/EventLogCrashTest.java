package dev.tally.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable, under SIGKILL: another JVM appends from several threads and prints each record once its
 * future completes; this test kills it with SIGKILL at a varying moment (mid-group, mid-segment roll), reopens the log
 * and finds every acknowledged record at its position, with its payload.
 */
class EventLogCrashTest {
  @TempDir Path dir;

  @RepeatedTest(5)
  void everyAcknowledgedRecordSurvivesSigkill(org.junit.jupiter.api.RepetitionInfo rep) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AppendForever.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    Map<Long, String> acknowledged = new HashMap<>();
    int wanted = 200 + 300 * rep.getCurrentRepetition();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (!line.startsWith("ack ")) {
          continue;
        }
        String[] parts = line.split(" ", 3);
        acknowledged.put(Long.parseLong(parts[1]), parts[2]);
        if (acknowledged.size() >= wanted) {
          // SIGKILL: no shutdown hook, no close, while the producers keep appending.
          new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
          break;
        }
      }
    }
    p.waitFor();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(wanted);
    try (EventLog log = EventLog.open(dir, 4096)) {
      List<EventLog.Record> records = log.read(1, Integer.MAX_VALUE);
      Map<Long, String> stored = new HashMap<>();
      records.forEach(r -> stored.put(r.position(), new String(r.payload(), StandardCharsets.UTF_8)));
      assertThat(stored).containsAllEntriesOf(acknowledged);
      assertThat(records).extracting(EventLog.Record::position).isSorted();
      assertThat(log.durablePosition()).isEqualTo(records.size());
    }
  }

  /** Appends records from four threads until killed, printing {@code ack POSITION PAYLOAD} once each is durable. */
  public static final class AppendForever {
    public static void main(String[] args) {
      EventLog log = EventLog.open(Path.of(args[0]), 4096);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        int thread = t;
        pool.submit(() -> {
          for (long i = 0; ; i++) {
            String payload = "thread-" + thread + "-record-" + i + "-" + "x".repeat((int) (i % 50));
            CompletableFuture<Long> ack = log.append(payload.getBytes(StandardCharsets.UTF_8));
            long position = ack.join();
            synchronized (System.out) {
              System.out.println("ack " + position + " " + payload);
              System.out.flush();
            }
          }
        });
      }
    }
  }
}
