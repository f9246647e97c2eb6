package io.poolscope.tests.apps;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the test which source line borrows, so no test hard-codes a line number: an app calls
 * {@link #announce} on the line right before its {@code getConnection} line.
 */
final class BorrowSite {

  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private BorrowSite() {}

  /** Prints {@code SITE name line=N} once per name, N being the caller's next line. */
  static void announce(String name) {
    int nextLine = new Throwable().getStackTrace()[1].getLineNumber() + 1;
    if (ANNOUNCED.add(name)) {
      System.out.println("SITE " + name + " line=" + nextLine);
    }
  }
}
