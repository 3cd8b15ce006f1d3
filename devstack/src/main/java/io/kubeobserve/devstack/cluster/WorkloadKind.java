package io.kubeobserve.devstack.cluster;

/** The controllers that own the simulated pods, as pods' {@code ownerReferences} name them. */
public enum WorkloadKind {
  /** A Deployment: pods are owned by its ReplicaSet {@code <name>-<pod-template-hash>}. */
  DEPLOYMENT("apps/v1", "ReplicaSet"),
  /** A StatefulSet: pods {@code <name>-<ordinal>}. */
  STATEFUL_SET("apps/v1", "StatefulSet"),
  /** A DaemonSet: one pod per node. */
  DAEMON_SET("apps/v1", "DaemonSet"),
  /** A Job: pods {@code <name>-<suffix>}. */
  JOB("batch/v1", "Job");

  private final String ownerApiVersion;
  private final String ownerKind;

  WorkloadKind(String ownerApiVersion, String ownerKind) {
    this.ownerApiVersion = ownerApiVersion;
    this.ownerKind = ownerKind;
  }

  /** The {@code apiVersion} of the pods' controller owner reference. */
  public String ownerApiVersion() {
    return ownerApiVersion;
  }

  /** The {@code kind} of the pods' controller owner reference. */
  public String ownerKind() {
    return ownerKind;
  }
}
