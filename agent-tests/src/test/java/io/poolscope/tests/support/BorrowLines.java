package io.poolscope.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The borrowing source lines an app announced on stdout ({@code SITE <name> line=N}). */
public final class BorrowLines {

  private BorrowLines() {}

  public static int of(ChildJvm child, String site) {
    Matcher m = Pattern.compile("(?m)^SITE " + Pattern.quote(site) + " line=(\\d+)$")
        .matcher(child.stdout());
    if (!m.find()) {
      fail("the app announced no borrow site " + site + "\n" + child.report());
    }
    return Integer.parseInt(m.group(1));
  }
}
