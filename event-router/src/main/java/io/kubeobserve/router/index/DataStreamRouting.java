package io.kubeobserve.router.index;

import io.kubeobserve.core.contract.Topics;
import io.kubeobserve.router.RouterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which Kafka topic goes into which data stream, and which topics the indexer reads. */
public final class DataStreamRouting {

  private final Map<String, DataStream> byTopic;

  private DataStreamRouting(Map<String, DataStream> byTopic) {
    this.byTopic = Map.copyOf(byTopic);
  }

  /** The topics {@code indexer.*} enables, each with its data stream. */
  public static DataStreamRouting of(Topics topics, RouterConfig.Indexer indexer, RouterConfig.DataStreams streams) {
    Map<String, DataStream> map = new LinkedHashMap<>();
    if (indexer.logs()) {
      map.put(topics.logs(), new DataStream(streams.logsDataset(), streams.namespace()));
    }
    if (indexer.events()) {
      map.put(topics.events(), new DataStream(streams.eventsDataset(), streams.namespace()));
    }
    if (indexer.alerts()) {
      map.put(topics.alerts(), new DataStream(streams.alertsDataset(), streams.namespace()));
    }
    return new DataStreamRouting(map);
  }

  /** Every data stream, for a router that reads any topic into the same scheme (tools, replay). */
  public static DataStreamRouting allTopics(Topics topics, RouterConfig.DataStreams streams) {
    Map<String, DataStream> map = new LinkedHashMap<>();
    map.put(topics.logs(), new DataStream(streams.logsDataset(), streams.namespace()));
    map.put(topics.events(), new DataStream(streams.eventsDataset(), streams.namespace()));
    map.put(topics.alerts(), new DataStream(streams.alertsDataset(), streams.namespace()));
    return new DataStreamRouting(map);
  }

  public Optional<DataStream> forTopic(String topic) {
    return Optional.ofNullable(byTopic.get(topic));
  }

  public List<String> topics() {
    return new ArrayList<>(byTopic.keySet());
  }

  /** The distinct datasets, each needing its index template. */
  public List<DataStream> dataStreams() {
    return byTopic.values().stream().distinct().toList();
  }

  @Override
  public String toString() {
    return byTopic.toString();
  }
}
