package dev.tally.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A temporary directory deleted with everything in it on close, for the jqwik properties, which JUnit's
 * {@code @TempDir} does not reach.
 */
public final class TempDirectory implements AutoCloseable {
  private final Path path;

  private TempDirectory(Path path) {
    this.path = path;
  }

  public static TempDirectory create(String prefix) throws IOException {
    return new TempDirectory(Files.createTempDirectory(prefix));
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
