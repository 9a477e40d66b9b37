package io.sriov.core.value;

/**
 * Kubernetes' DNS-1123 name rules (apimachinery's {@code IsDNS1123Subdomain} and {@code
 * IsDNS1123Label}): the one check behind resource prefixes, Node names and namespaces. Each method
 * returns what is wrong with a name, or null when it is valid.
 */
public final class Dns1123 {
  /** Longest subdomain (a Node's name, an extended-resource domain). */
  public static final int MAX_SUBDOMAIN = 253;

  /** Longest label (a namespace). */
  public static final int MAX_LABEL = 63;

  private Dns1123() {}

  /**
   * What makes {@code s} no DNS-1123 subdomain: at most 253 characters of lower-case letters,
   * digits, {@code -} and {@code .}, made of labels that start and end with a letter or digit.
   */
  public static String subdomainProblem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty";
    }
    if (s.length() > MAX_SUBDOMAIN) {
      return "longer than " + MAX_SUBDOMAIN + " characters";
    }
    int labelStart = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        if (i == labelStart) {
          return "empty label (a DNS-1123 subdomain like example.com is expected)";
        }
        if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return "labels must start and end with a lower-case letter or digit";
        }
        labelStart = i + 1;
        continue;
      }
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return InvalidValueException.quote(String.valueOf(c))
            + " is not allowed (lower-case letters, digits, '-' and '.' only)";
      }
    }
    return null;
  }

  /**
   * What makes {@code s} no DNS-1123 label: at most 63 characters of lower-case letters, digits and
   * {@code -}, starting and ending with a letter or digit.
   */
  public static String labelProblem(String s) {
    if (s != null && s.indexOf('.') >= 0) {
      return "'.' is not allowed (lower-case letters, digits and '-' only)";
    }
    if (s != null && s.length() > MAX_LABEL) {
      return "longer than " + MAX_LABEL + " characters";
    }
    return subdomainProblem(s);
  }
}
