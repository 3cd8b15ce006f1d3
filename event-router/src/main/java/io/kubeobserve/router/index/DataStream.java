package io.kubeobserve.router.index;

import java.util.Objects;

/**
 * A data stream of the {@code logs-<dataset>-<namespace>} scheme (Elastic's data stream naming:
 * type, dataset, namespace; no {@code -} inside a part).
 *
 * @param dataset what the documents are, such as {@code kubernetes.container_logs}
 * @param namespace a user grouping, such as {@code default} or {@code prod}
 */
public record DataStream(String dataset, String namespace) {

  public static final String TYPE = "logs";

  public DataStream {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(namespace, "namespace");
  }

  /** {@code logs-<dataset>-<namespace>}. */
  public String name() {
    return TYPE + "-" + dataset + "-" + namespace;
  }

  /** The index pattern of this dataset's index template: {@code logs-<dataset>-*}. */
  public String indexPattern() {
    return TYPE + "-" + dataset + "-*";
  }

  @Override
  public String toString() {
    return name();
  }
}
