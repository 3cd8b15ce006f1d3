package io.kubeobserve.launcher;

import picocli.CommandLine.Command;

/** {@code config check FILE}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.", subcommands = ConfigCheckCommand.class)
final class ConfigCommand {}
