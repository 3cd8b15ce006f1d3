package io.kubeobserve.devstack.cluster.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The bounded history of changes, the way etcd compaction bounds it: the last {@code window}
 * changes are kept; a watch or consistent list from a resourceVersion older than the oldest kept
 * change gets 410 Expired. Not thread-safe: the store guards it with its lock.
 */
final class ChangeHistory {

  private final int window;
  private final Deque<Change> changes = new ArrayDeque<>();
  private long compactedRevision;

  ChangeHistory(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("history window must be at least 1, got " + window);
    }
    this.window = window;
  }

  void append(Change change) {
    changes.addLast(change);
    while (changes.size() > window) {
      compactedRevision = changes.removeFirst().resourceVersion();
    }
  }

  /** The newest resourceVersion whose changes are no longer all kept (0 before any compaction). */
  long compactedRevision() {
    return compactedRevision;
  }

  /** Whether every change after {@code resourceVersion} is still kept. */
  boolean covers(long resourceVersion) {
    return resourceVersion >= compactedRevision;
  }

  /** The kept changes after {@code resourceVersion}, oldest first; 410 when some are gone. */
  List<Change> after(long resourceVersion, long current) {
    if (!covers(resourceVersion)) {
      throw StatusException.expired(
          "too old resource version: " + resourceVersion + " (" + (compactedRevision + 1) + ")");
    }
    List<Change> result = new ArrayList<>();
    for (Change change : changes) {
      if (change.resourceVersion() > resourceVersion) {
        result.add(change);
      }
    }
    return result;
  }

  /** The kept changes after {@code resourceVersion}, newest first (to roll state back). */
  List<Change> newestFirstAfter(long resourceVersion) {
    List<Change> result = new ArrayList<>();
    for (Iterator<Change> it = changes.descendingIterator(); it.hasNext(); ) {
      Change change = it.next();
      if (change.resourceVersion() <= resourceVersion) {
        break;
      }
      result.add(change);
    }
    return result;
  }

  int window() {
    return window;
  }
}
