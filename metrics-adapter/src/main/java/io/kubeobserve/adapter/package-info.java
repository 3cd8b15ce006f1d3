/**
 * The metrics-adapter service: {@link io.kubeobserve.adapter.AdapterService} and its configuration
 * {@link io.kubeobserve.adapter.AdapterConfig}. See the module's README for the exposed names,
 * the scrape configuration and the semantics.
 */
package io.kubeobserve.adapter;
