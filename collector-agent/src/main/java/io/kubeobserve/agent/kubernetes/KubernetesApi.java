package io.kubeobserve.agent.kubernetes;

import io.kubeobserve.agent.kubelet.KubeletResponse;
import io.kubeobserve.agent.kubelet.KubeletScrapeException;
import io.kubeobserve.agent.kubelet.KubeletScrapeException.Reason;
import io.kubeobserve.core.kubernetes.KubernetesConfig;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one adapter over client-java: the node-scoped pod informer and GETs through the API
 * server's {@code nodes/<node>/proxy}. Nothing else in the agent calls the generated API classes.
 * Credentials come from {@code kubernetes.kubeconfig}, or the in-cluster service account when it is
 * empty. Lifecycle: build with {@link #connect}, {@link #startInformers()}, {@link #close()}.
 */
public final class KubernetesApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesApi.class);
  private static final String[] AUTH = {"BearerToken"};

  private final ApiClient client;
  private final CoreV1Api core;
  private final SharedInformerFactory informers;

  private KubernetesApi(ApiClient client) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.informers = new SharedInformerFactory(client);
  }

  /**
   * A client of the cluster {@code config} names.
   *
   * @throws IOException when the kubeconfig or the service account cannot be read
   */
  public static KubernetesApi connect(KubernetesConfig config) throws IOException {
    ClientBuilder builder;
    if (config.kubeconfig().isPresent()) {
      try (Reader reader = Files.newBufferedReader(config.kubeconfig().get())) {
        KubeConfig kubeConfig = KubeConfig.loadKubeConfig(reader);
        kubeConfig.setFile(config.kubeconfig().get().toFile());
        builder = ClientBuilder.kubeconfig(kubeConfig);
      }
    } else {
      builder = ClientBuilder.cluster();
    }
    // watches stay open for minutes: no read timeout on the shared client; proxy calls set their own
    ApiClient client = builder.setReadTimeout(Duration.ZERO).build();
    return new KubernetesApi(client);
  }

  /** The API server's URL. */
  public String basePath() {
    return client.getBasePath();
  }

  /**
   * An informer of the pods bound to {@code nodeName} (field selector {@code spec.nodeName}), all
   * namespaces. Register handlers, then {@link #startInformers()}.
   */
  public SharedIndexInformer<V1Pod> nodePodInformer(String nodeName, Duration resync) {
    String selector = "spec.nodeName=" + nodeName;
    return informers.sharedIndexInformerFor(params -> core.listPodForAllNamespaces()
        .fieldSelector(selector)
        .resourceVersion(params.resourceVersion)
        .timeoutSeconds(params.timeoutSeconds)
        .watch(params.watch)
        .allowWatchBookmarks(Boolean.TRUE.equals(params.watch) ? Boolean.TRUE : null)
        .buildCall(null), V1Pod.class, V1PodList.class, resync.toMillis());
  }

  /** Starts the informers created so far. */
  public void startInformers() {
    informers.startAllRegisteredInformers();
  }

  /**
   * GETs {@code path} of {@code nodeName}'s kubelet through the API server's {@code nodes/proxy}
   * (RBAC: {@code get} on {@code nodes/proxy}).
   */
  public KubeletResponse kubeletGet(String nodeName, String path, String accept, Duration timeout, int maxBytes)
      throws KubeletScrapeException, InterruptedException {
    String proxyPath = "/api/v1/nodes/" + URLEncoder.encode(nodeName, StandardCharsets.UTF_8) + "/proxy" + path;
    String what = "GET " + client.getBasePath() + proxyPath;
    Call call;
    try {
      // the generated client adds the Authorization header to these maps: they must be mutable
      call = client.buildCall(null, proxyPath, "GET", new ArrayList<>(), new ArrayList<>(), null,
          new HashMap<>(Map.of("Accept", accept)), new HashMap<>(), new HashMap<>(), AUTH, null);
    } catch (ApiException e) {
      throw new KubeletScrapeException(Reason.CONNECTION, what + ": cannot build the request: " + e.getMessage(), e);
    }
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (Response response = call.execute()) {
      if (response.code() == 401 || response.code() == 403) {
        throw new KubeletScrapeException(Reason.UNAUTHORIZED, what + " answered " + response.code()
            + " (the agent's credentials need get on nodes/proxy)");
      }
      if (response.code() != 200) {
        throw new KubeletScrapeException(Reason.HTTP_STATUS, what + " answered " + response.code());
      }
      ResponseBody body = response.body();
      if (body == null) {
        return new KubeletResponse(response.header("Content-Type", ""), new byte[0]);
      }
      if (body.contentLength() > maxBytes) {
        throw new KubeletScrapeException(Reason.TOO_LARGE, what + ": the body (Content-Length " + body.contentLength()
            + ") is larger than kubelet.maxResponseBytes " + maxBytes);
      }
      return new KubeletResponse(response.header("Content-Type", ""), readLimited(body.byteStream(), maxBytes, what));
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      throw new KubeletScrapeException(Reason.TIMEOUT, what + " took longer than " + timeout);
    } catch (SSLException e) {
      throw new KubeletScrapeException(Reason.TLS, what + ": TLS handshake with the API server failed: " + e, e);
    } catch (IOException e) {
      throw new KubeletScrapeException(Reason.CONNECTION, what + " failed: " + e, e);
    }
  }

  private static byte[] readLimited(InputStream in, int maxBytes, String what) throws IOException, KubeletScrapeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[65536];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      if (out.size() + read > maxBytes) {
        throw new KubeletScrapeException(Reason.TOO_LARGE, what + ": the body is larger than kubelet.maxResponseBytes "
            + maxBytes);
      }
      out.write(buffer, 0, read);
    }
    return out.toByteArray();
  }

  /** Stops the informers and releases the HTTP client. Safe to call twice. */
  @Override
  public void close() {
    try {
      informers.stopAllRegisteredInformers();
    } catch (RuntimeException e) {
      LOG.debug("stopping the informers failed", e);
    }
    client.getHttpClient().dispatcher().executorService().shutdown();
    client.getHttpClient().connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "KubernetesApi[" + client.getBasePath() + "]";
  }
}
