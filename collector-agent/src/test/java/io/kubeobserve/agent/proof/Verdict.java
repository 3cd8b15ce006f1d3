package io.kubeobserve.agent.proof;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a {@link LogStreamVerifier} found: entries written and received, every missing (container,
 * sequence) as ranges such as {@code ns/pod/c#120-131}, content mismatches, duplicates, and
 * records it could not attribute. {@link #toString()} is the report a failing assertion prints.
 *
 * @param written entries the containers wrote
 * @param records Kafka records read
 * @param logRecords OTLP log records in them
 * @param entries entries (markers) received, duplicates included
 * @param missing entries written that never arrived
 * @param missingRanges every missing entry, as {@code container#first-last} ranges
 * @param missingBytes file bytes of the missing entries, per container
 * @param mismatches entries whose content (or resource) differs from what was written
 * @param mismatchExamples the first of them
 * @param duplicates receipts beyond the first of an entry
 * @param duplicatesPerContainer those receipts per container
 * @param duplicateBytes file bytes of those extra receipts
 * @param duplicatesWithOtherContent extra receipts whose content differs from the first receipt
 * @param uidChanged extra receipts whose {@code log.record.uid} differs from the first receipt's
 * @param unexpected entries received that no container wrote
 * @param undecodable records that are not OTLP logs
 * @param withoutMarker log records without any marker (a piece of an entry, or garbage)
 * @param withoutMarkerExamples the first of them
 */
record Verdict(long written, long records, long logRecords, long entries, long missing, List<String> missingRanges,
    Map<String, Long> missingBytes, long mismatches, List<String> mismatchExamples, long duplicates,
    Map<String, Long> duplicatesPerContainer, long duplicateBytes, long duplicatesWithOtherContent, long uidChanged,
    long unexpected, long undecodable, long withoutMarker, List<String> withoutMarkerExamples) {

  private static final int EXAMPLES = 20;
  private static final int RANGES_SHOWN = 60;

  /** Nothing missing, nothing altered, nothing foreign (duplicates allowed). */
  boolean lossless() {
    return missing == 0 && mismatches == 0 && unexpected == 0 && undecodable == 0 && uidChanged == 0
        && duplicatesWithOtherContent == 0;
  }

  /** Missing entries of the containers whose key satisfies {@code filter}. */
  long missingOf(Predicate<String> filter) {
    return missingRanges.stream().filter(range -> filter.test(range.substring(0, range.lastIndexOf('#'))))
        .mapToLong(range -> {
          String numbers = range.substring(range.lastIndexOf('#') + 1);
          int dash = numbers.indexOf('-');
          return dash < 0 ? 1 : Long.parseLong(numbers.substring(dash + 1)) - Long.parseLong(numbers.substring(0, dash)) + 1;
        }).sum();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder()
        .append("written ").append(written).append(" entries; received ").append(entries).append(" in ")
        .append(logRecords).append(" log records, ").append(records).append(" Kafka records\n")
        .append("missing ").append(missing).append(", content mismatches ").append(mismatches)
        .append(", duplicates ").append(duplicates).append(" (").append(duplicateBytes).append(" bytes; ")
        .append(duplicatesWithOtherContent).append(" with other content, ").append(uidChanged)
        .append(" with another log.record.uid), unexpected ").append(unexpected).append(", undecodable ")
        .append(undecodable).append(", without marker ").append(withoutMarker).append('\n');
    if (!missingRanges.isEmpty()) {
      text.append("missing bytes per container: ").append(missingBytes).append('\n')
          .append("missing: ").append(String.join(", ", missingRanges.subList(0, Math.min(RANGES_SHOWN, missingRanges.size()))));
      if (missingRanges.size() > RANGES_SHOWN) {
        text.append(" … and ").append(missingRanges.size() - RANGES_SHOWN).append(" more ranges");
      }
      text.append('\n');
    }
    if (!duplicatesPerContainer.isEmpty()) {
      text.append("duplicates per container: ").append(duplicatesPerContainer).append('\n');
    }
    mismatchExamples.forEach(example -> text.append("mismatch: ").append(example).append('\n'));
    withoutMarkerExamples.forEach(example -> text.append("without marker: ").append(example).append('\n'));
    return text.toString();
  }

  /** Collects a verdict; the verifier counts arrivals into one and copies it to compare. */
  static final class Builder {
    long written;
    long records;
    long logRecords;
    long entries;
    long missing;
    final List<String> missingRanges = new ArrayList<>();
    final Map<String, Long> missingBytes = new TreeMap<>();
    long mismatchCount;
    final List<String> mismatches = new ArrayList<>();
    long duplicates;
    final Map<String, Long> duplicatesPerContainer = new TreeMap<>();
    long duplicateBytes;
    long duplicatesWithOtherContent;
    long uidChanged;
    long unexpected;
    long undecodable;
    long withoutMarker;
    final List<String> withoutMarkerExamples = new ArrayList<>();

    void mismatch(String container, long sequence, String what) {
      mismatchCount++;
      if (mismatches.size() < EXAMPLES) {
        mismatches.add(container + "#" + sequence + ": " + LogStreamVerifier.abbreviate(what));
      }
    }

    void duplicate(boolean otherContent, boolean otherUid, String container, long sequence, String body) {
      duplicates++;
      duplicatesPerContainer.merge(container, 1L, Long::sum);
      if (otherContent) {
        duplicatesWithOtherContent++;
        mismatch(container, sequence, "received again with other content: " + body);
      }
      if (otherUid) {
        uidChanged++;
      }
    }

    Builder copy() {
      Builder copy = new Builder();
      copy.entries = entries;
      copy.mismatchCount = mismatchCount;
      copy.mismatches.addAll(mismatches);
      copy.duplicates = duplicates;
      copy.duplicatesPerContainer.putAll(duplicatesPerContainer);
      copy.duplicatesWithOtherContent = duplicatesWithOtherContent;
      copy.uidChanged = uidChanged;
      copy.unexpected = unexpected;
      copy.undecodable = undecodable;
      return copy;
    }

    Verdict build() {
      return new Verdict(written, records, logRecords, entries, missing, List.copyOf(missingRanges),
          Collections.unmodifiableMap(new TreeMap<>(missingBytes)), mismatchCount, List.copyOf(mismatches),
          duplicates, Collections.unmodifiableMap(new TreeMap<>(duplicatesPerContainer)), duplicateBytes,
          duplicatesWithOtherContent, uidChanged, unexpected, undecodable, withoutMarker,
          List.copyOf(withoutMarkerExamples));
    }
  }
}
