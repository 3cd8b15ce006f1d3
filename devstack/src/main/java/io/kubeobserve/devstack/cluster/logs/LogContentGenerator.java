package io.kubeobserve.devstack.cluster.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic container output, one entry (or one stack trace: several entries) at a time, seeded per
 * container so a run is reproducible: nginx-style access lines and JSON application logs on stdout,
 * klog-style warnings on stderr, now and then a Java, Python or Go stack trace on stderr (the
 * language picked per container), and every {@code longLineEvery}-th entry a line longer than the
 * CRI split size. Lines contain {@link #MARKER_SLOT} where the {@link LogLineMarker} goes; lines
 * without it get the marker appended.
 */
final class LogContentGenerator {

  /** Where the writer puts the marker. */
  static final String MARKER_SLOT = "{{ko}}";

  /** One generated line. */
  record Line(LogStream stream, String text) {}

  private static final DateTimeFormatter ACCESS_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter KLOG_TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
  private static final String[] PATHS = {"/api/v1/orders", "/api/v1/items/42", "/healthz", "/metrics", "/login", "/static/app.js"};
  private static final int[] STATUS = {200, 200, 200, 200, 201, 204, 304, 404, 500};
  private static final String[] MESSAGES = {"order processed", "cache refreshed", "request completed", "user signed in",
      "payment authorized", "retrying upstream call"};

  private enum Language { JAVA, PYTHON, GO }

  private final Random random;
  private final Language language;
  private final String container;
  private final int longLineBytes;
  private final int longLineEvery;
  private long count;

  LogContentGenerator(String containerKey, long seed, int longLineBytes, int longLineEvery) {
    this.random = new Random(seed ^ containerKey.hashCode());
    this.language = Language.values()[Math.floorMod(containerKey.hashCode(), Language.values().length)];
    this.container = containerKey.substring(containerKey.lastIndexOf('/') + 1);
    this.longLineBytes = longLineBytes;
    this.longLineEvery = longLineEvery;
  }

  /** The next entry: one line, or the lines of one stack trace. */
  List<Line> next(Instant now) {
    count++;
    if (longLineEvery > 0 && count % longLineEvery == 0) {
      return List.of(longLine(now));
    }
    int pick = random.nextInt(100);
    if (pick < 55) {
      return List.of(accessLine(now));
    } else if (pick < 85) {
      return List.of(jsonLine(now, "info", MESSAGES[random.nextInt(MESSAGES.length)]));
    } else if (pick < 97) {
      return List.of(new Line(LogStream.STDERR, "W" + KLOG_TIME.format(now) + "       1 client.go:" + (100 + random.nextInt(400))
          + "] slow response from upstream, took " + (200 + random.nextInt(3000)) + "ms"));
    }
    return stackTrace();
  }

  /** A stack trace of this container's language, one line per entry, on stderr. */
  List<Line> stackTrace() {
    List<String> lines = switch (language) {
      case JAVA -> List.of(
          "Exception in thread \"main\" java.lang.IllegalStateException: connection pool exhausted",
          "\tat com.example." + container.replace('-', '_') + ".db.Pool.acquire(Pool.java:87)",
          "\tat com.example." + container.replace('-', '_') + ".OrderService.save(OrderService.java:142)",
          "\tat java.base/java.lang.Thread.run(Thread.java:840)",
          "Caused by: java.net.SocketTimeoutException: Read timed out",
          "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
          "\t... 3 more");
      case PYTHON -> List.of(
          "Traceback (most recent call last):",
          "  File \"/app/server.py\", line 88, in handle",
          "    result = process(request)",
          "  File \"/app/orders.py\", line 41, in process",
          "    return items[request.index]",
          "IndexError: list index out of range");
      case GO -> List.of(
          "panic: runtime error: invalid memory address or nil pointer dereference",
          "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2f1c]",
          "",
          "goroutine 1 [running]:",
          "main.(*server).handle(0x0, 0xc000012345)",
          "\t/app/server.go:57 +0x1c",
          "main.main()",
          "\t/app/main.go:23 +0x85");
    };
    return lines.stream().map(line -> new Line(LogStream.STDERR, line)).toList();
  }

  private Line accessLine(Instant now) {
    return new Line(LogStream.STDOUT, "10.244.0." + (1 + random.nextInt(250)) + " - - [" + ACCESS_TIME.format(now) + "] \"GET "
        + PATHS[random.nextInt(PATHS.length)] + " HTTP/1.1\" " + STATUS[random.nextInt(STATUS.length)] + " "
        + random.nextInt(20000) + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" " + (random.nextInt(900) / 1000.0));
  }

  private Line jsonLine(Instant now, String level, String message) {
    return new Line(LogStream.STDOUT, "{\"ts\":\"" + now + "\",\"level\":\"" + level + "\",\"logger\":\"" + container
        + "\",\"msg\":\"" + message + " " + MARKER_SLOT + "\",\"request_id\":\"" + Long.toHexString(random.nextLong()) + "\"}");
  }

  private Line longLine(Instant now) {
    StringBuilder payload = new StringBuilder(longLineBytes + 64);
    int target = longLineBytes + longLineBytes / 2 + random.nextInt(Math.max(1, longLineBytes / 2));
    while (payload.length() < target) {
      payload.append(Long.toHexString(random.nextLong())).append(',');
    }
    return new Line(LogStream.STDOUT, "{\"ts\":\"" + now + "\",\"level\":\"debug\",\"msg\":\"response body " + MARKER_SLOT
        + "\",\"body\":\"" + payload + "\"}");
  }
}
