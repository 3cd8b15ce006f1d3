package io.kubeobserve.alerts.stream;

import io.kubeobserve.alerts.AlertsMetrics;
import io.kubeobserve.alerts.JsonSerde;
import io.kubeobserve.alerts.detect.Observation;
import io.kubeobserve.core.contract.RecordDecodeException;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs a detector over each input record and forwards its observations keyed by node to
 * {@link AlertsTopology#OBSERVATIONS_SINK}; a record that does not decode goes, with the error, to
 * {@link AlertsTopology#DEADLETTER_SINK}.
 */
final class DetectionProcessor implements Processor<byte[], byte[], Object, Object> {

  /** A detector: the observations of one input record. */
  interface Detector {
    List<Observation> detect(Record<byte[], byte[]> record, RecordMetadata source) throws RecordDecodeException;
  }

  private static final JsonSerde<Observation> OBSERVATIONS = new JsonSerde<>(Observation.class);

  private final Detector detector;
  private final AlertsMetrics metrics;
  private ProcessorContext<Object, Object> context;

  DetectionProcessor(Detector detector, AlertsMetrics metrics) {
    this.detector = detector;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    List<Observation> observations;
    try {
      observations = detector.detect(record, context.recordMetadata().orElseThrow());
    } catch (RecordDecodeException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    for (Observation observation : observations) {
      context.forward(new Record<Object, Object>(observation.node(), OBSERVATIONS.encode(observation),
          record.timestamp()), AlertsTopology.OBSERVATIONS_SINK);
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, String error) {
    context.forward(DeadLetter.of(context, record.key(), record.value(), record.headers(), record.timestamp(), error),
        AlertsTopology.DEADLETTER_SINK);
    metrics.deadLettered();
  }
}
