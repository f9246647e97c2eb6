package io.poolscope.agent.tracking;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names new PostgreSQL connections after the process that opens them, so {@code pg_stat_activity}
 * tells which process holds which connection. Rule: an ApplicationName the app chose itself (in the
 * connection properties or the URL) is kept as it is; otherwise poolscope's template is used.
 */
final class ApplicationNames {

  /** PostgreSQL truncates application_name to NAMEDATALEN - 1 bytes. */
  static final int MAX_BYTES = 63;

  static final String PROPERTY = "ApplicationName";

  private final String name;

  /** {@code template} with {@code {service}} and {@code {pid}}; null or "off" switches naming off. */
  ApplicationNames(String template, String service, long pid) {
    this.name = template == null || template.equals("off") ? null : expand(template, service, pid);
  }

  static String expand(String template, String service, long pid) {
    String withPid = template.replace("{pid}", Long.toString(pid));
    int room = MAX_BYTES - withPid.replace("{service}", "").getBytes(StandardCharsets.UTF_8).length;
    return truncate(withPid.replace("{service}", truncate(service, Math.max(0, room))), MAX_BYTES);
  }

  private static String truncate(String value, int maxBytes) {
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > maxBytes) {
        break;
      }
      out.appendCodePoint(codePoint);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  String name() {
    return name;
  }

  /**
   * pgjdbc's own DataSources (PGSimpleDataSource, ...) write every property into the URL they hand
   * DriverManager, the driver's default name included, and URL parameters win over properties: that
   * default is no name the app chose, so it is replaced in the URL.
   */
  private static final Pattern DRIVER_DEFAULT =
      Pattern.compile("[?&]ApplicationName=(PostgreSQL(?:\\+|%20)JDBC(?:\\+|%20)Driver)(?=&|$)",
          Pattern.CASE_INSENSITIVE);

  /** The URL to connect with: the caller's, or with the driver's default name replaced by ours. */
  String applyToUrl(String url) {
    if (name == null || url == null || !url.startsWith("jdbc:postgresql:")) {
      return url;
    }
    Matcher m = DRIVER_DEFAULT.matcher(url);
    return m.find()
        ? url.substring(0, m.start(1)) + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + url.substring(m.end(1))
        : url;
  }

  /** The properties to connect with: the caller's own, or a copy with our name added. */
  Properties apply(String url, Properties info) {
    if (name == null || url == null || !url.startsWith("jdbc:postgresql:")) {
      return info;
    }
    if ((info != null && info.getProperty(PROPERTY) != null)
        || url.toLowerCase(Locale.ROOT).contains("applicationname=")) {
      return info;
    }
    Properties copy = new Properties();
    if (info != null) {
      // the caller's object stays untouched: pools reuse it for every connection
      for (String key : info.stringPropertyNames()) {
        copy.setProperty(key, info.getProperty(key));
      }
      info.forEach(copy::putIfAbsent);
    }
    copy.setProperty(PROPERTY, name);
    return copy;
  }
}
