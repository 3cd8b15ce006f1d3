package io.kubeobserve.devstack.cluster.logs;

/** The stream a container line was written to, as the CRI log format names it. */
public enum LogStream {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String criName;

  LogStream(String criName) {
    this.criName = criName;
  }

  /** {@code stdout} or {@code stderr}. */
  public String criName() {
    return criName;
  }
}
