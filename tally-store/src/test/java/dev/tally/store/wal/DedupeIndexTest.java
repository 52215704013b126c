package dev.tally.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dedupe index on a real RocksDB: marks survive reopening, identities never collide. */
class DedupeIndexTest {
  @TempDir Path dir;

  private static DedupeIndex.Key key(String tenant, String source, String id) {
    return new DedupeIndex.Key(tenant, source, id);
  }

  @Test
  void marksAndTheirPositionSurviveReopening() {
    try (DedupeIndex index = DedupeIndex.open(dir)) {
      assertThat(index.indexedPosition()).isZero();
      assertThat(index.seen(List.of(key("t", "s", "1")))).containsExactly(false);
      index.markSeen(List.of(key("t", "s", "1"), key("t", "s", "2")), 7);
      assertThat(index.seen(List.of(key("t", "s", "1"), key("t", "s", "3"), key("t", "s", "2"))))
          .containsExactly(true, false, true);
      assertThat(index.indexedPosition()).isEqualTo(7);
    }
    try (DedupeIndex index = DedupeIndex.open(dir)) {
      assertThat(index.indexedPosition()).isEqualTo(7);
      assertThat(index.seen(List.of(key("t", "s", "2"), key("u", "s", "2")))).containsExactly(true, false);
    }
  }

  @Test
  void identitiesThatConcatenateAlikeStayApart() {
    try (DedupeIndex index = DedupeIndex.open(dir)) {
      index.markSeen(List.of(key("t", "ab", "c"), key("t", "x\u0000", "y")), 1);
      assertThat(index.seen(List.of(key("t", "a", "bc"), key("t", "ab", "c"), key("t", "x", "\u0000y"))))
          .containsExactly(false, true, false);
    }
  }

  @Test
  void manyKeysAfterAFlushAreStillFoundAndNewOnesAreNot() {
    try (DedupeIndex index = DedupeIndex.open(dir)) {
      List<DedupeIndex.Key> keys = new ArrayList<>();
      for (int i = 0; i < 50_000; i++) {
        keys.add(key("t", "src", "id-" + i));
      }
      index.markSeen(keys, 1);
      index.flush();
      assertThat(index.diskBytes()).isPositive();
      boolean[] seen = index.seen(List.of(key("t", "src", "id-49999"), key("t", "src", "id-50000")));
      assertThat(seen).containsExactly(true, false);
    }
  }
}
