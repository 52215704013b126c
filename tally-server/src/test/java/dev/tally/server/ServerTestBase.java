package dev.tally.server;

import dev.tally.server.spi.ServerLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the tests that each run on a server of their own: a {@link TestingServer} over a store in a temporary
 * directory, started before each test and closed after it. A subclass's own {@code @BeforeEach} (defining meters,
 * ingesting) runs after this one's; a test that needs other limits {@link #restart}s it.
 */
public abstract class ServerTestBase {
  @TempDir Path dir;
  protected TestingServer t;

  @BeforeEach
  protected void startServer() {
    t = new TestingServer(dir);
  }

  @AfterEach
  protected void stopServer() {
    t.close();
  }

  /** Closes the server and starts another over the same store with these limits, log first or not. */
  protected void restart(ServerLimits limits, boolean logFirst) {
    t.close();
    t = new TestingServer(dir, limits, logFirst);
  }
}
