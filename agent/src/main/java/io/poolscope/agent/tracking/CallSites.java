package io.poolscope.agent.tracking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and interns borrow call sites. A capture walks the stack (about 4 µs once compiled, 60–140 µs
 * at the few per second that leave it interpreted), so a pool captures at most one per
 * {@code poolscope.callsite.interval} (and, with {@code poolscope.callsite.sample} n, a thread offers
 * only every n-th checkout); per-site figures count those checkouts. Distinct sites are capped per process; the rest share the site {@link #OTHER}.
 */
final class CallSites {

  static final String OTHER = "other";

  /** Code that is never "the line that borrowed": the JDK, the agent, pools, drivers, frameworks. */
  private static final List<String> SKIPPED =
      List.of(
          "java.", "javax.", "jdk.", "sun.", "com.sun.", "io.poolscope.agent.", "com.zaxxer.hikari.",
          "com.mchange.", "org.apache.commons.dbcp", "org.apache.commons.pool", "org.apache.tomcat.",
          "io.agroal.", "org.vibur.", "oracle.", "com.alibaba.druid.", "org.postgresql.", "com.mysql.",
          "org.mariadb.", "com.microsoft.sqlserver.", "org.h2.", "org.hsqldb.", "org.apache.derby.",
          "org.sqlite.", "org.springframework.", "org.hibernate.", "org.apache.ibatis.", "org.mybatis.",
          "org.jooq.", "kotlin.", "scala.", "groovy.", "org.codehaus.groovy.");

  private static final StackWalker WALKER = StackWalker.getInstance();

  private final List<String> include;
  private final List<String> exclude;
  private final int maxSites;
  private final Map<String, CallSite> sites = new ConcurrentHashMap<>();

  CallSites(List<String> include, List<String> exclude, int maxSites) {
    this.include = include;
    this.exclude = exclude;
    this.maxSites = maxSites;
  }

  /** The borrowing line of the current thread, for a checkout of {@code pool}; null if none found. */
  CallSite capture(PoolStats pool) {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(frames -> frames.filter(f -> isApplication(f.getClassName())).findFirst());
    return frame.map(f -> intern(pool, f.getClassName() + "." + f.getMethodName(), f.getFileName(), f.getLineNumber()))
        .orElse(null);
  }

  /** The first application frame of a stack already taken (a holder's current stack). */
  StackTraceElement firstApplicationFrame(StackTraceElement[] stack) {
    for (StackTraceElement element : stack) {
      if (isApplication(element.getClassName())) {
        return element;
      }
    }
    return null;
  }

  boolean isApplication(String className) {
    for (String prefix : include) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return !startsWithAny(className, SKIPPED) && !startsWithAny(className, exclude);
  }

  private CallSite intern(PoolStats pool, String function, String file, int line) {
    String key = pool.name() + '\u0000' + function + '\u0000' + file + '\u0000' + line;
    CallSite site = sites.get(key);
    if (site != null) {
      return site;
    }
    if (sites.size() >= maxSites) {
      return sites.computeIfAbsent(pool.name() + '\u0000' + OTHER, k -> new CallSite(pool, OTHER, null, -1));
    }
    return sites.computeIfAbsent(key, k -> new CallSite(pool, function, file, line));
  }

  Collection<CallSite> all() {
    return new ArrayList<>(sites.values());
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
