package io.kubeobserve.devstack.prometheus;

import io.kubeobserve.devstack.ExternalTools;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}) to check exposition text
 * and rule files. Finds it through {@link ExternalTools#require(String)}, so a missing promtool
 * skips the calling test (or fails it when {@code kube-observe.requireExternal=true}).
 */
public final class Promtool {

  /**
   * What promtool said.
   *
   * @param exitCode promtool's exit code: 0 clean, 1 errors, 3 lint problems (metrics)
   * @param errors problems that make the input unusable, such as exposition parse errors or invalid
   *     rule expressions
   * @param lintProblems style findings about input that parses, such as {@code foo_total no help
   *     text} or duplicate rules
   * @param stdout promtool's standard output
   * @param stderr promtool's standard error
   */
  public record Result(
      int exitCode, List<String> errors, List<String> lintProblems, String stdout, String stderr) {

    /** Whether the input parses (lint problems allowed). */
    public boolean valid() {
      return errors.isEmpty() && exitCode != 1;
    }

    /** Whether promtool found nothing at all to complain about. */
    public boolean clean() {
      return exitCode == 0 && errors.isEmpty() && lintProblems.isEmpty();
    }
  }

  private static final long TIMEOUT_SECONDS = 60;
  private static final String METRICS_PARSE_ERROR = "error while linting:";

  private Promtool() {}

  /**
   * {@code promtool check metrics} on {@code expositionText} (Prometheus text format): parse errors
   * go to {@link Result#errors()}, lint findings to {@link Result#lintProblems()}.
   */
  public static Result checkMetrics(String expositionText) {
    Run run = run(List.of("check", "metrics"), expositionText);
    List<String> errors = new ArrayList<>();
    List<String> lint = new ArrayList<>();
    for (String line : run.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      (line.startsWith(METRICS_PARSE_ERROR) ? errors : lint).add(line);
    }
    if (run.exitCode() != 0 && errors.isEmpty() && lint.isEmpty()) {
      errors.add("promtool exited with code " + run.exitCode());
    }
    return new Result(
        run.exitCode(), List.copyOf(errors), List.copyOf(lint), run.stdout(), run.stderr());
  }

  /**
   * {@code promtool check rules} on rule files: with exit code 1 the findings are errors, otherwise
   * they are lint problems (such as duplicate rules).
   */
  public static Result checkRules(Path... ruleFiles) {
    List<String> arguments = new ArrayList<>(List.of("check", "rules"));
    for (Path file : ruleFiles) {
      arguments.add(file.toString());
    }
    Run run = run(arguments, "");
    List<String> findings =
        run.stderr()
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.equals("FAILED:"))
            .toList();
    boolean failed = run.exitCode() != 0;
    List<String> errors = failed ? findings : List.of();
    if (failed && errors.isEmpty()) {
      errors = List.of("promtool exited with code " + run.exitCode());
    }
    return new Result(
        run.exitCode(), errors, failed ? List.of() : findings, run.stdout(), run.stderr());
  }

  /** {@code promtool check rules} on rules given as YAML text. */
  public static Result checkRules(String rulesYaml) {
    Path directory = null;
    try {
      directory = Files.createTempDirectory("kube-observe-promtool-");
      Path file = directory.resolve("rules.yml");
      Files.writeString(file, rulesYaml);
      return checkRules(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rules for promtool", e);
    } finally {
      FileTrees.deleteQuietly(directory);
    }
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run run(List<String> arguments, String stdin) {
    Path binary = ExternalTools.require("promtool");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(arguments);
    Path directory = null;
    try {
      directory = Files.createTempDirectory("kube-observe-promtool-");
      Path out = directory.resolve("stdout");
      Path err = directory.resolve("stderr");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // promtool stopped reading (it failed early); its exit code and stderr tell why
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("promtool did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      FileTrees.deleteQuietly(directory);
    }
  }
}
