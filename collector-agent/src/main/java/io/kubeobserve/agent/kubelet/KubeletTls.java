package io.kubeobserve.agent.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS contexts for the kubelet connection: trusting a CA file, the JVM's trust store, or (on request) anything. */
public final class KubeletTls {

  private KubeletTls() {}

  /**
   * A context that verifies the kubelet's certificate against the CAs of {@code caFile} (PEM), or
   * against the JVM's default trust store when there is no file.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static SSLContext verifying(Optional<Path> caFile) {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(caFile.get())) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("kubelet.caFile " + caFile.get() + " holds no PEM certificate");
      }
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates) {
        trustStore.setCertificateEntry("ca-" + index++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), new SecureRandom());
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException("kubelet.caFile " + caFile.orElseThrow() + " cannot be read: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("kubelet.caFile " + caFile.orElseThrow() + " is not usable: " + e, e);
    }
  }

  /** A context that accepts any certificate for any host: {@code kubelet.insecureSkipVerify} only. */
  public static SSLContext trustingAnything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available", e);
    }
  }

  /** Checks nothing; as an extended trust manager it also skips the host name check. */
  private static final class AnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
