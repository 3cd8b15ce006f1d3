package io.kubeobserve.bench.logs;

import io.kubeobserve.devstack.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * rsyslog from Debian ({@code rsyslog}, {@code rsyslog-kafka}) as the peer: {@code imfile} follows
 * {@code <root>/*}{@code /*}{@code /*.log} (inotify mode, from the beginning of files present at
 * start) and {@code omkafka} produces each line as it was read ({@code %rawmsg%}) to its own topic
 * with {@code acks=all} and lz4, as the agent does. Its own configuration file and work directory;
 * a foreground process ({@code rsyslogd -n}), not the system service.
 */
final class RsyslogPeer {

  private RsyslogPeer() {}

  static ChildProcess start(Path logsRoot, String bootstrapServers, String topic, Path work) throws IOException {
    Path spool = Files.createDirectories(work.resolve("rsyslog-work"));
    Path config = work.resolve("rsyslog.conf");
    Files.writeString(config, """
        global(workDirectory="%s" maxMessageSize="64k")
        module(load="imfile" mode="inotify")
        module(load="omkafka")
        template(name="raw" type="string" string="%%rawmsg%%")
        ruleset(name="toKafka") {
          action(type="omkafka" broker=["%s"] topic="%s" template="raw" partitions.auto="on"
                 confParam=["compression.codec=lz4", "queue.buffering.max.ms=50", "batch.num.messages=10000"]
                 topicConfParam=["request.required.acks=-1"])
        }
        input(type="imfile" File="%s/*/*/*.log" Tag="k8s:" ruleset="toKafka" reopenOnTruncate="on")
        """.formatted(spool, bootstrapServers, topic, logsRoot));
    ChildProcess rsyslog = ChildProcess.start("rsyslog", List.of("/usr/sbin/rsyslogd", "-n", "-f", config.toString(),
        "-i", work.resolve("rsyslogd.pid").toString()), Map.of(), work, work.resolve("rsyslog.log"));
    rsyslog.awaitReady(Duration.ofSeconds(10), () -> Files.exists(work.resolve("rsyslogd.pid")));
    return rsyslog;
  }
}
