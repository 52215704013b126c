package dev.tally.spark;

import picocli.CommandLine.Option;

/** What every tally-spark command takes: the lake, the tenant, and where Spark runs. */
public final class LakeOptions {
  @Option(names = "--input", required = true, paramLabel = "DIR",
      description = "The lake written by 'tally export parquet': a directory, hdfs:// or s3a:// path.")
  String input;

  @Option(names = "--tenant", paramLabel = "T", defaultValue = "default",
      description = "Tenant whose data to use (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
      description = "Spark master (default: ${DEFAULT-VALUE}); ignored under spark-submit, which sets its own.")
  String master;

  /** Opens the session and the lake. */
  SparkLake open() {
    return new SparkLake(Sessions.open(master, System.getProperty("spark.master") != null), input);
  }
}
