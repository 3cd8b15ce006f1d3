package io.kubeobserve.alerts.notify;

import java.util.List;

/**
 * The links of a notification that a message shows. Their URLs come from the configured templates
 * (trusted), but one filled with a long cluster value could break a limit: those are left out.
 */
final class Links {

  private Links() {}

  /** The first {@code max} links whose URL has at most {@code maxUrl} characters. */
  static List<Notification.Link> shown(Notification notification, int max, int maxUrl) {
    return notification.links().stream()
        .filter(link -> link.url().toASCIIString().length() <= maxUrl)
        .limit(max)
        .toList();
  }

  /** A markdown link {@code [name](url)}, the name escaped, the URL without parentheses. */
  static String markdown(Notification.Link link, int maxName) {
    String url = link.url().toASCIIString().replace("(", "%28").replace(")", "%29");
    return "[" + Text.fit(link.name(), Markup.MARKDOWN, maxName) + "](" + url + ")";
  }
}
