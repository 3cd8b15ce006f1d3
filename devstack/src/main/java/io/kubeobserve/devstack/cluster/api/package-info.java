/**
 * The simulated Kubernetes API server: the real REST protocol (discovery, list, chunked watch with
 * bookmarks and 410 Gone, create/update/patch/delete, status subresources, {@code pods/log},
 * {@code nodes/proxy}) over HTTPS on loopback, from an in-memory store with a bounded change
 * history. Entry point: {@link io.kubeobserve.devstack.cluster.api.SimulatedApiServer}.
 *
 * <p>Everything in this package is non-null unless a parameter or return value is documented as
 * nullable.
 */
package io.kubeobserve.devstack.cluster.api;
