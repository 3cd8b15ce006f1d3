package io.kubeobserve.router.index;

/**
 * What Elasticsearch answered for one document of a bulk request.
 *
 * @param status the item's HTTP status
 * @param error empty when it succeeded, else {@code type: reason} (with the cause, if any)
 */
record ItemResult(int status, String error) {

  static final ItemResult CREATED = new ItemResult(201, "");

  /** What the indexer does with the document. */
  enum Outcome {
    /** Now in the index. */
    INDEXED,
    /** 409 on create: a document with this id is in the index already (a replay). */
    ALREADY_INDEXED,
    /** 429 or 5xx: send it again. */
    RETRY,
    /** Any other failure (mapping conflict, too large, ...): dead-letter it. */
    REJECTED
  }

  Outcome outcome() {
    if (status >= 200 && status < 300) {
      return Outcome.INDEXED;
    }
    if (status == 409) {
      return Outcome.ALREADY_INDEXED;
    }
    if (status == 429 || status >= 500) {
      return Outcome.RETRY;
    }
    return Outcome.REJECTED;
  }
}
