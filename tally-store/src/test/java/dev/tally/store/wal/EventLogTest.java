package dev.tally.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log on real files: group commit, reading back, segments, torn tails and corruption. */
class EventLogTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<EventLog.Record> records) {
    return records.stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void concurrentAppendsShareSyncsAndGetGaplessPositions() throws Exception {
    try (EventLog log = EventLog.open(dir, 1 << 20)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Long>> acks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        acks.add(pool.submit(() -> {
          long last = 0;
          for (int i = 0; i < 100; i++) {
            last = log.append(bytes("t" + thread + "-" + i)).get();
          }
          return last;
        }));
      }
      // And 200 handed over at once by one producer, without waiting in between: they share syncs for sure.
      List<CompletableFuture<Long>> burst = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        burst.add(log.append(bytes("burst-" + i)));
      }
      for (Future<Long> a : acks) {
        a.get();
      }
      Set<Long> positions = new HashSet<>();
      for (CompletableFuture<Long> b : burst) {
        positions.add(b.get());
      }
      pool.shutdown();
      assertThat(positions).hasSize(200);
      assertThat(log.durablePosition()).isEqualTo(1000);
      assertThat(log.syncCount()).isLessThan(1000 - 150);
      List<EventLog.Record> all = log.read(1, 10_000);
      assertThat(all).extracting(EventLog.Record::position).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
      assertThat(texts(all)).contains("t3-99", "burst-0", "burst-199");
    }
  }

  @Test
  void reopenedLogContinuesAfterItsLastRecordAcrossSegments() throws Exception {
    try (EventLog log = EventLog.open(dir, 64)) {
      for (int i = 1; i <= 10; i++) {
        assertThat(log.append(bytes("record-" + i)).get()).isEqualTo(i);
      }
      assertThat(log.segments().size()).isGreaterThan(3);
    }
    try (EventLog log = EventLog.open(dir, 64)) {
      assertThat(log.durablePosition()).isEqualTo(10);
      assertThat(log.append(bytes("record-11")).get()).isEqualTo(11);
      assertThat(texts(log.read(9, 100))).containsExactly("record-9", "record-10", "record-11");
      assertThat(texts(log.read(1, 2))).containsExactly("record-1", "record-2");
    }
  }

  @Test
  void segmentsAreRemovedOnlyWhenAllTheirRecordsAreLoaded() throws Exception {
    try (EventLog log = EventLog.open(dir, 64)) {
      for (int i = 1; i <= 10; i++) {
        log.append(bytes("record-" + i)).get();
      }
      List<Long> before = log.segments();
      long secondStart = before.get(1);
      assertThat(log.removeUpTo(secondStart - 2)).isZero();
      assertThat(log.removeUpTo(secondStart - 1)).isEqualTo(1);
      assertThat(log.segments()).isEqualTo(before.subList(1, before.size()));
      assertThat(log.removeUpTo(Long.MAX_VALUE)).isEqualTo(before.size() - 2);
      assertThat(log.segments()).hasSize(1);
    }
    try (EventLog log = EventLog.open(dir, 64)) {
      assertThat(log.durablePosition()).isEqualTo(10);
      assertThat(log.append(bytes("record-11")).get()).isEqualTo(11);
    }
  }

  @Test
  void aTornTailIsCutOffAndLoggingGoesOn() throws Exception {
    try (EventLog log = EventLog.open(dir, 1 << 20)) {
      for (int i = 1; i <= 3; i++) {
        log.append(bytes("record-" + i)).get();
      }
    }
    Path seg = EventLog.segment(dir, 1);
    long whole = Files.size(seg);
    // A group that was being written when the machine stopped: a whole header and part of its payload.
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(whole);
      byte[] torn = new byte[EventLog.HEADER + 4];
      torn[0] = 100;
      f.write(torn);
    }
    try (EventLog log = EventLog.open(dir, 1 << 20)) {
      assertThat(log.durablePosition()).isEqualTo(3);
      assertThat(Files.size(seg)).isEqualTo(whole);
      assertThat(log.append(bytes("record-4")).get()).isEqualTo(4);
    }
    // A last record whose bytes are all there but garbled (never synced) is a tear too.
    long before = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(before - 1);
      f.write('X');
    }
    try (EventLog log = EventLog.open(dir, 1 << 20)) {
      assertThat(texts(log.read(1, 10))).containsExactly("record-1", "record-2", "record-3");
    }
  }

  @Test
  void corruptionBeforeTheTailStopsOpeningAndNamesSegmentAndOffset() throws Exception {
    try (EventLog log = EventLog.open(dir, 1 << 20)) {
      for (int i = 1; i <= 3; i++) {
        log.append(bytes("record-" + i)).get();
      }
    }
    Path seg = EventLog.segment(dir, 1);
    int second = EventLog.HEADER + "record-1".length();
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(second + EventLog.HEADER + 2);
      f.write('#');
    }
    assertThatThrownBy(() -> EventLog.open(dir, 1 << 20))
        .isInstanceOf(TallyException.class)
        .hasMessageContaining(seg.toString())
        .hasMessageContaining("byte offset " + second)
        .hasMessageContaining("checksum");
  }

  @Test
  void aDamagedEarlierSegmentStopsOpeningEvenAtItsEnd() throws Exception {
    try (EventLog log = EventLog.open(dir, 64)) {
      for (int i = 1; i <= 6; i++) {
        log.append(bytes("record-" + i)).get();
      }
    }
    Path first = EventLog.segment(dir, 1);
    long size = Files.size(first);
    try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
      f.setLength(size - 3);
    }
    assertThatThrownBy(() -> EventLog.open(dir, 64))
        .isInstanceOf(TallyException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("cut short");
  }
}
