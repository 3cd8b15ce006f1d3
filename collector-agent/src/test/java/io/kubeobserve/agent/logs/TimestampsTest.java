package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @Test
  void agreesWithJavaTimeOnRandomInstantsAndOffsets() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L),
          random.nextInt(1_000_000_000));
      int offsetMinutes = (random.nextInt(2 * 18 * 60) - 18 * 60) / 15 * 15;
      String text = instant.atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60))
          .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      assertThat(parse(text)).as(text).isEqualTo(nanos(OffsetDateTime.parse(text).toInstant()));
    }
  }

  @Test
  void acceptsWhatRuntimesWrite() {
    assertThat(parse("2016-10-06T00:17:09.669794202Z")).isEqualTo(nanos(Instant.parse("2016-10-06T00:17:09.669794202Z")));
    assertThat(parse("2021-02-01T16:45:03.01231z")).isEqualTo(nanos(Instant.parse("2021-02-01T16:45:03.012310Z")));
    assertThat(parse("2024-01-01T00:00:00Z")).isEqualTo(nanos(Instant.parse("2024-01-01T00:00:00Z")));
    assertThat(parse("2019-05-07T18:57:50.904275087+00:00")).isEqualTo(nanos(Instant.parse("2019-05-07T18:57:50.904275087Z")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "qwerty", "2024-01-01T00:00:00.000000000", "2024-01-01 00:00:00Z", "2024-13-01T00:00:00Z",
      "2024-01-01T24:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+0500", "2024-01-01T00:00:00Zjunk",
      "20a4-01-01T00:00:00Z"})
  void rejectsWhatIsNotAZonedRfc3339Timestamp(String text) {
    assertThat(parse(text)).isEqualTo(Timestamps.INVALID);
  }

  private static long parse(String text) {
    byte[] bytes = ("x" + text + "y").getBytes(StandardCharsets.US_ASCII);
    return Timestamps.parse(bytes, 1, bytes.length - 1);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
