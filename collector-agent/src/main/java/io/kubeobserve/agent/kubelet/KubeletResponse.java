package io.kubeobserve.agent.kubelet;

/**
 * A complete, successful (200) kubelet response.
 *
 * @param contentType the {@code Content-Type} header, empty when absent
 * @param body the whole body
 */
public record KubeletResponse(String contentType, byte[] body) {}
