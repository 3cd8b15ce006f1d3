package io.kubeobserve.devstack.cluster.kubelet;

/**
 * The usage of one container as recorded in a real {@code /stats/summary}: a new simulated container
 * starts from the profile of a recorded one, so its values lie in recorded ranges.
 *
 * @param recordedName the recorded container's name (for logs and tests)
 * @param workingSetBytes {@code memory.workingSetBytes}
 * @param rssBytes {@code memory.rssBytes}
 * @param usageBytes {@code memory.usageBytes}
 * @param cpuNanoCores {@code cpu.usageNanoCores}
 * @param pageFaultsPerSecond {@code memory.pageFaults} over the container's recorded age
 * @param majorPageFaults {@code memory.majorPageFaults}
 * @param rootfsUsedBytes {@code rootfs.usedBytes}
 * @param rootfsInodesUsed {@code rootfs.inodesUsed}
 * @param logsUsedBytes {@code logs.usedBytes}
 * @param rxBytesPerSecond the pod's {@code network.rxBytes} over the pod's recorded age
 * @param txBytesPerSecond the pod's {@code network.txBytes} over the pod's recorded age
 */
public record ContainerProfile(
    String recordedName,
    long workingSetBytes,
    long rssBytes,
    long usageBytes,
    long cpuNanoCores,
    double pageFaultsPerSecond,
    long majorPageFaults,
    long rootfsUsedBytes,
    long rootfsInodesUsed,
    long logsUsedBytes,
    double rxBytesPerSecond,
    double txBytesPerSecond) {}
