package io.kubeobserve.agent.logs;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pod metadata from the kubelet's log path
 * {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log[.<rotation-suffix>]}.
 * Namespaces and pod names cannot contain {@code _}, so the pod directory splits unambiguously.
 *
 * @param restartCount the container's restart count, the file's name without {@code .log}
 */
public record PodLogPath(String namespace, String podName, String podUid, String containerName, int restartCount) {

  private static final Pattern PATH = Pattern.compile(
      "(?:^|.*[/\\\\])([^/\\\\_]+)_([^/\\\\_]+)_([^/\\\\_]+)[/\\\\]([^/\\\\]+)[/\\\\](\\d+)\\.log(?:\\.[^/\\\\]+)?$");

  /** The metadata of a kubelet log path, or empty when the path is not one. */
  public static Optional<PodLogPath> parse(String path) {
    Matcher matcher = PATH.matcher(path);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PodLogPath(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4),
          Integer.parseInt(matcher.group(5))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
