package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list: the items, the resourceVersion the list was read at, the continue token
 * (empty on the last page) and the count of further items ({@code null} when unknown, as the API
 * server leaves it out for selector-filtered lists).
 */
record ListResult(List<ObjectNode> items, long resourceVersion, String continueToken,
    Long remainingItemCount) {}
