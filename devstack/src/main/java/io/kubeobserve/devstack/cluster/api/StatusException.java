package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failed API call, answered as a {@code meta/v1 Status} object with the HTTP code, reason and
 * message the real API server uses (see k8s.io/apimachinery/pkg/api/errors).
 */
public final class StatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String detailsName;
  private final String detailsGroup;
  private final String detailsKind;

  StatusException(int code, String reason, String message, String detailsName, String detailsGroup,
      String detailsKind) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.detailsName = detailsName;
    this.detailsGroup = detailsGroup;
    this.detailsKind = detailsKind;
  }

  /** 404 NotFound: {@code pods "x" not found}. */
  public static StatusException notFound(ResourceType type, String name) {
    return new StatusException(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found",
        name, type.group(), type.plural());
  }

  /** 409 AlreadyExists: {@code pods "x" already exists}. */
  public static StatusException alreadyExists(ResourceType type, String name) {
    return new StatusException(409, "AlreadyExists",
        type.qualifiedName() + " \"" + name + "\" already exists", name, type.group(), type.plural());
  }

  /** 409 Conflict on a stale resourceVersion. */
  public static StatusException conflict(ResourceType type, String name) {
    return new StatusException(409, "Conflict",
        "Operation cannot be fulfilled on " + type.qualifiedName() + " \"" + name
            + "\": the object has been modified; please apply your changes to the latest version and"
            + " try again", name, type.group(), type.plural());
  }

  /** 410 Expired: a resourceVersion or continue token older than the retained history. */
  public static StatusException expired(String message) {
    return new StatusException(410, "Expired", message, "", "", "");
  }

  /** 400 BadRequest. */
  public static StatusException badRequest(String message) {
    return new StatusException(400, "BadRequest", message, "", "", "");
  }

  /** 422 Invalid. */
  public static StatusException invalid(ResourceType type, String name, String message) {
    return new StatusException(422, "Invalid",
        type.kind() + " \"" + name + "\" is invalid: " + message, name, type.group(), type.kind());
  }

  /** 404 NotFound for a path the server does not serve. */
  public static StatusException noSuchPath() {
    return new StatusException(404, "NotFound", "the server could not find the requested resource",
        "", "", "");
  }

  /** 405 MethodNotAllowed. */
  public static StatusException methodNotAllowed(String method) {
    return new StatusException(405, "MethodNotAllowed",
        "the server does not allow this method on the requested resource (" + method + ")", "", "",
        "");
  }

  /** 415 UnsupportedMediaType. */
  public static StatusException unsupportedMediaType(String contentType) {
    return new StatusException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, "
            + "application/strategic-merge-patch+json (got " + contentType + ")", "", "", "");
  }

  /** 401 Unauthorized. */
  public static StatusException unauthorized() {
    return new StatusException(401, "Unauthorized", "Unauthorized", "", "", "");
  }

  /** 503 ServiceUnavailable, as for a {@code nodes/proxy} call the kubelet did not answer. */
  public static StatusException serviceUnavailable(String message) {
    return new StatusException(503, "ServiceUnavailable", message, "", "", "");
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The {@code Status} object, as the API server returns it in a body or a watch ERROR event. */
  public ObjectNode toStatus() {
    ObjectNode status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", getMessage());
    status.put("reason", reason);
    ObjectNode details = Json.MAPPER.createObjectNode();
    if (!detailsName.isEmpty()) {
      details.put("name", detailsName);
    }
    if (!detailsGroup.isEmpty()) {
      details.put("group", detailsGroup);
    }
    if (!detailsKind.isEmpty()) {
      details.put("kind", detailsKind);
    }
    if (!details.isEmpty()) {
      status.set("details", details);
    }
    status.put("code", code);
    return status;
  }
}
