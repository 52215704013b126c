package dev.tally.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the tests that each run on a server of their own: a {@link TestingServer} over a store in a temporary
 * directory, started before each test and closed after it. A subclass's own {@code @BeforeEach} (defining meters,
 * ingesting) runs after this one's; a test that needs other limits {@link #restart}s it.
 */
abstract class ServerTestBase {
  @TempDir Path dir;
  TestingServer t;

  @BeforeEach
  void startServer() {
    t = new TestingServer(dir);
  }

  @AfterEach
  void stopServer() {
    t.close();
  }

  /** Closes the server and starts another over the same store with these limits, log first or not. */
  void restart(ServerLimits limits, boolean logFirst) {
    t.close();
    t = new TestingServer(dir, limits, logFirst);
  }
}
