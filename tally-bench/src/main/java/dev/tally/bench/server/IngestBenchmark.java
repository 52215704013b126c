package dev.tally.bench.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server ingest benchmark: for each batch size, the peak rate with N connections (closed loop), then latency at
 * 50% and 90% of that peak (open loop), against Tally over HTTP or against PostgreSQL doing the same work the way
 * Lago does. Prints one Markdown table row per phase. Run by {@code tally-bench/ingest-bench.sh}.
 *
 * <pre>
 *   IngestBenchmark --target tally --url http://127.0.0.1:18181 --key tly_... [--pid 1234]
 *   IngestBenchmark --target postgres --jdbc jdbc:postgresql://127.0.0.1:15432/bench?user=postgres
 *   common: --batches 1000,100,1 --connections 64 --seconds 8 --warmup 3
 * </pre>
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String target = a.getOrDefault("target", "tally");
    int connections = Integer.parseInt(a.getOrDefault("connections", "64"));
    Duration phase = Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "8")));
    Duration warmup = Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "3")));
    String base = target + "-" + Long.toString(System.currentTimeMillis(), 36);
    Path pidStatus = a.containsKey("pid") ? Path.of("/proc", a.get("pid"), "status") : null;
    if (target.equals("postgres")) {
      PostgresTarget.createSchema(a.get("jdbc"));
    }
    System.out.println("| target | batch | load | requests/s | events/s | p50 ms | p99 ms | errors | server RSS MiB |");
    System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (String b : a.getOrDefault("batches", "1000,100,1").split(",")) {
      int batch = Integer.parseInt(b.trim());
      runPhase(a, target, base + "-b" + batch + "-w", connections, batch, warmup, 0, null, null);
      LoadRunner.Result peak = runPhase(a, target, base + "-b" + batch + "-p", connections, batch, phase, 0,
          "peak", pidStatus);
      for (double share : new double[] {0.5, 0.9}) {
        runPhase(a, target, base + "-b" + batch + "-" + (int) (share * 100), connections, batch, phase,
            share * peak.requestsPerSecond(), (int) (share * 100) + "% of peak", pidStatus);
      }
    }
    System.exit(0);
  }

  private static LoadRunner.Result runPhase(Map<String, String> a, String target, String run, int connections,
      int batch, Duration length, double rate, String label, Path pidStatus) throws Exception {
    List<LoadTarget> targets = new ArrayList<>();
    LoadTarget prototype = target.equals("postgres")
        ? new PostgresTarget(a.get("jdbc"), run)
        : new HttpTarget(URI.create(a.get("url")), a.get("key"), run, connections);
    for (int i = 0; i < connections; i++) {
      targets.add(prototype.forThread());
    }
    LoadRunner.Result r = LoadRunner.run(targets, batch, length, rate);
    for (LoadTarget t : targets) {
      if (t != prototype) {
        t.close();
      }
    }
    prototype.close();
    if (label != null) {
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.1f | %.1f | %d | %s |%n", target, batch, label,
          r.requestsPerSecond(), r.requestsPerSecond() * batch, r.millisAt(0.5), r.millisAt(0.99), r.errors(),
          rss(pidStatus));
      if (r.errors() > 0) {
        System.out.println("<!-- first error: " + r.firstError().replace("--", "- -") + " -->");
      }
      System.out.flush();
    }
    return r;
  }

  private static String rss(Path status) throws IOException {
    if (status == null || !Files.exists(status)) {
      return "-";
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.toString(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
      }
    }
    return "-";
  }
}
