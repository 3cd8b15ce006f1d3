/**
 * The Kafka contract every kube-observe service shares: topic names, record keys, headers,
 * attribute names, {@code event.name} values, deterministic record ids and the OTLP protobuf
 * encoding of record values. See ARCHITECTURE.md, "The Kafka contract".
 */
package io.kubeobserve.core.contract;
