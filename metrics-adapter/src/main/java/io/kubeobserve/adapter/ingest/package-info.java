/** The consumer group member over {@code k8s-metrics}: storing, dead-lettering, committing, rebalancing. */
package io.kubeobserve.adapter.ingest;
