package io.kubeobserve.devstack.cluster.kubelet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Container and sandbox ids of simulated containers: 64 hex digits like containerd's, stable per (pod, name, restart). */
public final class ContainerIds {

  private ContainerIds() {}

  /** The id of a container instance, as in {@code containerd://<id>} and cAdvisor's {@code name} label. */
  public static String containerId(String podUid, String containerName, int restartCount) {
    return sha256(podUid + "/" + containerName + "/" + restartCount);
  }

  /** The id of the pod's sandbox (pause) container. */
  public static String sandboxId(String podUid) {
    return sha256(podUid + "/sandbox");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
