package io.kubeobserve.agent.logs;

/**
 * Takes log entries as they leave a stage of a file's pipeline (partial joining, multi-line
 * joining, batching). The body is only valid during the call: a sink that keeps it copies it.
 */
interface EntrySink {

  /**
   * One entry.
   *
   * @param offset byte offset in the file of the entry's first byte (its {@code log.record.uid})
   * @param timeNanos the runtime's timestamp, or {@link Timestamps#INVALID} for an unparsed line
   * @param stream stdout or stderr; null for an unparsed line
   * @param piece a piece of an entry longer than {@code logs.maxEntryBytes}, split
   * @param unparsed the line is in no container log format; the body holds its raw bytes
   */
  void entry(long offset, long timeNanos, LogStream stream, byte[] body, int start, int length, boolean piece,
      boolean unparsed);
}
