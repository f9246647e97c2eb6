package io.poolscope.tests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * The startup benchmark's app: loads the PostgreSQL driver and lists the registered drivers, then
 * returns from main. Prints when main started (so the launcher can tell the agents' premain from
 * their exit work) and its own peak RSS, for machines without GNU time.
 */
public final class HelloApp {

  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    Class.forName("org.postgresql.Driver");
    long drivers = DriverManager.drivers().count();
    System.out.println(
        "HELLO drivers=" + drivers + " mainAtMillis=" + mainAt + " vmHwmKib=" + vmHwmKib());
  }

  /** VmHWM from /proc/self/status: the peak resident set so far, or -1 off Linux. */
  static long vmHwmKib() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1);
  }
}
