/** Prometheus remote-write 1.0: the bounded queue, the WriteRequest encoding and the sender. */
package io.kubeobserve.adapter.remotewrite;
