package io.kubeobserve.bench.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from {@code /proc/<pid>/stat} (utime + stime, in
 * clock ticks of {@code getconf CLK_TCK}) and {@code /proc/<pid>/status} (VmRSS, VmHWM).
 */
final class ProcStats {

  private static final long TICKS_PER_SECOND = clockTicks();

  private ProcStats() {}

  /** User and system CPU time of {@code pid} so far, in nanoseconds; -1 once the process is gone. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException e) {
      return -1;
    }
  }

  /** VmRSS (now) or VmHWM (peak) of {@code pid} in bytes; -1 once the process is gone. */
  static long memoryBytes(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]) * 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      return Long.parseLong(new String(getconf.getInputStream().readAllBytes()).trim());
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }
}
