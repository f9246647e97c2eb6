package io.poolscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the whole demo briefly (embedded PostgreSQL, two worker JVMs with the agent) and reads its last
 * table the way a user would. The server side must be exact: each pool is fixed-size, so each worker
 * holds exactly pool-size connections. The agent side only has to be there and be plausible.
 */
class DemoTest {

  private static final int WORKERS = 2;
  private static final int POOL_SIZE = 3;

  /** {@code 1  12345  demo-worker-1  worker-1  2  1  0  3.1 ms  0  1 | 3} */
  private static final Pattern WORKER_ROW = Pattern.compile(
      "^\\s*(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+.*\\|\\s*(\\d+)\\s*$");
  private static final Pattern TOTAL_ROW =
      Pattern.compile("^\\s*total\\b.*\\|\\s*(\\d+) of max_connections (\\d+)\\s*$");

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void serverSeesExactlyWorkersTimesPoolSize() {
    Path agent = Paths.get(System.getProperty("poolscope.agent.jar", "../agent/target/poolscope-agent.jar"));
    assertTrue(Files.isRegularFile(agent),
        agent + " is missing: build the agent first (mvn -pl agent package -DskipTests)");

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);
    long start = System.nanoTime();
    int exitCode = new Demo(out, out).run("--workers", String.valueOf(WORKERS),
        "--pool-size", String.valueOf(POOL_SIZE), "--duration", "12s", "--interval", "3s",
        "--agent", agent.toString());
    out.flush();
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.printf("demo ran %.1f s%n", (System.nanoTime() - start) / 1e9);
    assertEquals(0, exitCode, output);

    String[] tables = output.split("== poolscope demo");
    assertTrue(tables.length >= 2, "no table printed:\n" + output);
    String last = tables[tables.length - 1];

    // server side, in the last table: exact
    List<Matcher> rows = workerRows(last);
    assertEquals(WORKERS, rows.size(), "one row per worker in the last table:\n" + last);
    for (Matcher row : rows) {
      assertEquals(POOL_SIZE, Integer.parseInt(row.group(7)),
          "server connections of worker " + row.group(1) + ":\n" + last);
      long pid = Long.parseLong(row.group(2));
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "worker " + row.group(1) + " (pid " + pid + ") outlived the demo");
    }
    Matcher total = null;
    for (String line : last.split("\n")) {
      Matcher t = TOTAL_ROW.matcher(line);
      if (t.matches()) {
        total = t;
      }
    }
    assertTrue(total != null, "no total line:\n" + last);
    assertEquals(WORKERS * POOL_SIZE, Integer.parseInt(total.group(1)), "server total:\n" + last);
    assertEquals(100, Integer.parseInt(total.group(2)), "embedded server's max_connections:\n" + last);
    assertTrue(last.contains("Why 6 connections? 2 workers \u00d7 pool of 3 = 6 connections held open"),
        "the sentence that answers the user's question:\n" + last);

    // agent side: each worker's export was found by its pid at least once (a loaded machine may
    // start the agent late), and it names what the worker configured; idle may be unknown ("-")
    Set<String> reported = new HashSet<>();
    for (String table : tables) {
      for (Matcher row : workerRows(table)) {
        if (row.group(5).equals("-")) {
          continue; // no export from this worker yet
        }
        String index = row.group(1);
        assertEquals("demo-worker-" + index, row.group(3), "service.name from the agent:\n" + table);
        assertEquals("worker-" + index, row.group(4), "pool name from the agent:\n" + table);
        int inUse = Integer.parseInt(row.group(5));
        assertTrue(inUse >= 0 && inUse <= POOL_SIZE, "in use within the pool size:\n" + table);
        String idle = row.group(6);
        assertTrue(idle.equals("-") || Integer.parseInt(idle) <= POOL_SIZE, "idle:\n" + table);
        reported.add(index);
      }
    }
    assertEquals(WORKERS, reported.size(), "every worker's agent reported at least once:\n" + output);
  }

  private static List<Matcher> workerRows(String table) {
    List<Matcher> rows = new ArrayList<>();
    for (String line : table.split("\n")) {
      Matcher row = WORKER_ROW.matcher(line);
      if (row.matches()) {
        rows.add(row);
      }
    }
    return rows;
  }

  /** Keeps the demo's output for the assertions and still shows it in the build log. */
  private static final class Tee extends OutputStream {
    private final ByteArrayOutputStream kept;
    private final PrintStream shown;

    Tee(ByteArrayOutputStream kept, PrintStream shown) {
      this.kept = kept;
      this.shown = shown;
    }

    @Override
    public void write(int c) {
      write(new byte[] {(byte) c}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
      kept.write(bytes, off, len);
      shown.write(bytes, off, len);
    }

    @Override
    public void flush() {
      shown.flush();
    }
  }
}
