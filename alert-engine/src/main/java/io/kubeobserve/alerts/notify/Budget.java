package io.kubeobserve.alerts.notify;

/**
 * How much room a renderer gives each part of a message. Level 0 is the full size; each further
 * level halves every part, for the rare notification (hundreds of facts, wide text) whose payload
 * would otherwise exceed a whole-message limit of its service.
 */
record Budget(int level) {

  /** Levels tried, from 0 to {@code LEVELS - 1}; at the last one every part is at its minimum. */
  static final int LEVELS = 7;

  /** The character budget of a part whose full size is {@code full}. */
  int chars(int full) {
    return Math.max(Text.MIN_BUDGET, full >> level);
  }

  /** How many items of a list whose full count is {@code full} are shown. */
  int count(int full) {
    return Math.max(1, full >> level);
  }
}
