package dev.tally.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions set up the way Tally's engines need them. */
public final class Sessions {
  private Sessions() {}

  /**
   * A session on {@code master} ({@code local[*]}, {@code spark://host:7077}, {@code yarn}, ...). Under
   * {@code spark-submit} the master and configuration come from the submission and {@code master} is ignored.
   */
  public static SparkSession open(String master, boolean submitted) {
    SparkSession.Builder b = SparkSession.builder().appName("tally-spark");
    if (!submitted) {
      b.master(master);
      if (master.startsWith("local")) {
        // One machine: no UI to serve, no host name to resolve, few shuffle partitions for small answers.
        b.config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            // A year of date partitions is listed by the driver itself, not by a Spark job.
            .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000");
      }
    }
    SparkSession spark = b.getOrCreate();
    exactDecimals(spark);
    return spark;
  }

  /**
   * The settings Tally's exactness depends on, applied to any session an engine is given: UTC session time (no SQL
   * depends on the machine's zone), and decimal arithmetic that keeps its scale (Spark's default rounds a product
   * whose precision exceeds 38 digits down to 6 decimals; Tally's values have 9).
   */
  public static void exactDecimals(SparkSession spark) {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().set("spark.sql.decimalOperations.allowPrecisionLoss", "false");
  }
}
