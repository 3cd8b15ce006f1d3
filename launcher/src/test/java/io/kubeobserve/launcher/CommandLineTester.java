package io.kubeobserve.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code kube-observe} in this JVM and keeps what it printed. */
record CommandLineTester(int exitCode, String out, String err) {

  static CommandLineTester run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = KubeObserve.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CommandLineTester(exitCode, out.toString(), err.toString());
  }
}
