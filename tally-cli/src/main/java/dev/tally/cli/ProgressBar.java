package dev.tally.cli;

import dev.tally.store.EventImporter;
import java.io.PrintWriter;

/**
 * A one-line progress display for long imports (events/s and, when the size is known, percent and ETA), drawn on
 * stderr only when stderr is a terminal, so that scripts and logs never see it.
 */
final class ProgressBar implements EventImporter.Progress {
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter err;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  /** A progress bar when stderr is a terminal, else null. */
  static ProgressBar forStderr(PrintWriter err, String label) {
    return System.console() != null && System.getenv("TALLY_NO_PROGRESS") == null ? new ProgressBar(err, label) : null;
  }

  @Override
  public void update(long events, long bytes, long totalBytes) {
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double secs = Math.max(1e-9, (now - started) / 1e9);
    long rate = (long) (events / secs);
    StringBuilder sb = new StringBuilder("\r").append(label).append(": ").append(events).append(" events, ")
        .append(rate).append(" events/s");
    if (bytes > 0 && totalBytes > 0) {
      double frac = Math.min(1.0, (double) bytes / totalBytes);
      int width = 24;
      int filled = (int) (frac * width);
      long eta = frac > 0 ? (long) (secs / frac - secs) : 0;
      sb.append(" [").append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
          .append((int) (frac * 100)).append("% ETA ").append(eta / 60).append("m").append(eta % 60).append("s");
    }
    err.print(sb.append("   "));
    err.flush();
    drawn = true;
  }

  void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
    }
  }
}
