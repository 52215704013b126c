package dev.tally.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the server takes new requests, and how many are in flight, so that shutdown can stop accepting and then
 * wait for the requests already running to finish.
 */
final class Lifecycle {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int inFlight;
  private volatile boolean draining;

  /** Counts a request in; false (and not counted) once draining has begun. */
  boolean enter() {
    lock.lock();
    try {
      if (draining) {
        return false;
      }
      inFlight++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  void exit() {
    lock.lock();
    try {
      if (--inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean draining() {
    return draining;
  }

  /** Refuses new requests from now on and waits for those in flight; returns whether they all finished in time. */
  boolean drain(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      draining = true;
      long left = timeout.toNanos();
      while (inFlight > 0 && left > 0) {
        left = idle.awaitNanos(left);
      }
      return inFlight == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Requests in flight now, for the shutdown log. */
  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }
}
