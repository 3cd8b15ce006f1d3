/** How OTLP metrics are named and typed in Prometheus. */
package io.kubeobserve.adapter.translate;
