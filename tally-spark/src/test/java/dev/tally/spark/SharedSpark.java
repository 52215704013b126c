package dev.tally.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the whole test run: local[2], no UI, bound to 127.0.0.1, two shuffle partitions.
 * Starting Spark costs seconds, so every test class shares it; it stops when the test JVM exits.
 */
final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("tally-spark-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          // A year of date partitions is listed by the driver itself, not by a Spark job.
          .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
