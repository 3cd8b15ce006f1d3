package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The continue token of a paged list, in the API server's own form: base64url of
 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<next key>"}} (apiserver/pkg/storage/continue.go).
 */
record ContinueToken(long resourceVersion, String start) {

  String encode() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("v", "meta.k8s.io/v1");
    node.put("rv", resourceVersion);
    node.put("start", start);
    return Base64.getUrlEncoder().encodeToString(Json.bytes(node));
  }

  static ContinueToken decode(String token) {
    try {
      JsonNode node = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token),
          StandardCharsets.UTF_8));
      if (!"meta.k8s.io/v1".equals(node.path("v").asText()) || !node.path("rv").canConvertToLong()) {
        throw new IllegalArgumentException("unknown continue token version");
      }
      return new ContinueToken(node.path("rv").asLong(), node.path("start").asText());
    } catch (Exception e) {
      throw StatusException.badRequest("continue key is not valid: " + e.getMessage());
    }
  }
}
