package io.kubeobserve.devstack.cluster.logs;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marker every generated log entry carries, so a verifier can tell which container wrote it and
 * whether entries were lost, duplicated or reordered on the way to the index:
 *
 * <pre>{@code <<ko:<namespace>/<pod>/<container>#<sequence>>>}</pre>
 *
 * <p>The sequence starts at 1 per container (namespace/pod/container) and grows by one per log entry
 * (one CRI line, or one series of {@code P} pieces ending in an {@code F} piece), across rotations and
 * container restarts; each line of a stack trace is its own entry. The marker is the last thing of
 * plain lines and sits inside the {@code msg} string of JSON lines (it needs no JSON escaping). An
 * entry split into partial pieces has its marker once, in its final ({@code F}) piece.
 */
public final class LogLineMarker {

  /** Finds markers in text: group 1 the container key, group 2 the sequence number. */
  public static final Pattern PATTERN = Pattern.compile("<<ko:([^#>]+)#(\\d+)>>");

  /**
   * A parsed marker.
   *
   * @param container {@code namespace/pod/container}
   * @param sequence the entry's number within the container, from 1
   */
  public record Marker(String container, long sequence) {}

  private LogLineMarker() {}

  /** The marker text of entry {@code sequence} of {@code containerKey}. */
  public static String format(String containerKey, long sequence) {
    return "<<ko:" + containerKey + "#" + sequence + ">>";
  }

  /** The last marker in {@code text}, if any. */
  public static Optional<Marker> find(String text) {
    Matcher matcher = PATTERN.matcher(text);
    Marker last = null;
    while (matcher.find()) {
      last = new Marker(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return Optional.ofNullable(last);
  }
}
