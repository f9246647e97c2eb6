package io.poolscope.demo;

import io.poolscope.demo.OtlpMetricsReceiver.PoolFigures;
import io.poolscope.demo.OtlpMetricsReceiver.ProcessReport;
import io.poolscope.demo.OtlpMetricsReceiver.Quantile;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One table: a row per worker process with what its agent says about its pool next to what the server
 * says about that process, a total against {@code max_connections}, and the one sentence that answers
 * "why N connections?".
 */
final class FleetTable {

  private static final String ROW = "%6s  %-8s %-15s %-10s %6s %5s %8s %10s %9s %7s | %6s%n";
  private static final String SERVER_ONLY_ROW = "%6s  %-8s %-15s %-10s | %6s%n";

  private final int workers;
  private final int poolSize;
  private final String database;
  /** Null: the workers export to a collector of the user's, so the demo sees the server side only. */
  private final OtlpMetricsReceiver receiver;
  private final String externalEndpoint;

  FleetTable(Options options, String database, OtlpMetricsReceiver receiver) {
    this.workers = options.workers;
    this.poolSize = options.poolSize;
    this.database = database;
    this.receiver = receiver;
    this.externalEndpoint = options.otlpEndpoint;
  }

  /**
   * @param server null when the server could not be asked; {@code serverError} then says why
   */
  String render(List<WorkerFleet.Handle> fleet, ServerView.Snapshot server, String serverError,
      Duration elapsed) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%n== poolscope demo  %s  (%ds in)  PostgreSQL %s%n",
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS), elapsed.toSeconds(), database));
    if (receiver == null) {
      out.append("   agent metrics go to ").append(externalEndpoint)
          .append(": this table shows the server side only\n");
      out.append(String.format(SERVER_ONLY_ROW, "worker", "pid", "service", "pool", "server"));
    } else {
      out.append(String.format(ROW, "worker", "pid", "service", "pool", "in use", "idle", "waiting",
          "p99 wait", "timeouts", "leaked", "server"));
    }

    Set<String> workerApplications = new HashSet<>();
    Long inUse = null;
    Long idle = null;
    Long waiting = null;
    Long timeouts = null;
    Long leaked = null;
    boolean awaitingExport = false;
    for (WorkerFleet.Handle worker : fleet) {
      workerApplications.add(worker.applicationName());
      String serverCount = server == null ? "?" : String.valueOf(server.of(worker.applicationName()));
      String pid = String.valueOf(worker.pid());
      if (!worker.process().isAlive()) {
        out.append(String.format("%6d  %-8s exited with code %d (its output is above) | %s%n",
            worker.index(), pid, worker.process().exitValue(), serverCount));
        continue;
      }
      if (receiver == null) {
        out.append(String.format(SERVER_ONLY_ROW, worker.index(), pid, worker.serviceName(),
            worker.poolName(), serverCount));
        continue;
      }
      ProcessReport report = receiver.latest(worker.pid());
      if (report == null || report.pools().isEmpty()) {
        awaitingExport = true;
        out.append(String.format(ROW, worker.index(), pid, worker.serviceName(), worker.poolName(),
            "-", "-", "-", "-", "-", "-", serverCount));
        continue;
      }
      // one row per pool the agent saw in this process: one here, but an app may have several
      for (PoolFigures pool : report.pools().values()) {
        out.append(String.format(ROW, worker.index(), pid, report.serviceName(), pool.pool(),
            orDash(pool.used()), orDash(pool.idle()), orDash(pool.pending()),
            millis(pool.waitP99()), orDash(pool.timeouts()), orDash(pool.leaked()), serverCount));
        inUse = add(inUse, pool.used());
        idle = add(idle, pool.idle());
        waiting = add(waiting, pool.pending());
        timeouts = add(timeouts, pool.timeouts());
        leaked = add(leaked, pool.leaked());
      }
    }

    int others = 0;
    if (server != null) {
      for (Map.Entry<String, Integer> e : server.connectionsByApplication().entrySet()) {
        if (!workerApplications.contains(e.getKey())) {
          others += e.getValue();
        }
      }
      if (others > 0) {
        String label = "other clients";
        out.append(receiver == null
            ? String.format(SERVER_ONLY_ROW, "", "", label, "", others)
            : String.format(ROW, "", "", label, "", "", "", "", "", "", "", others));
      }
    }

    String serverTotal = server == null
        ? "?"
        : server.total() + " of max_connections " + server.maxConnections();
    out.append(receiver == null
        ? String.format("%6s  %-8s %-15s %-10s | %s%n", "total", "", "", "", serverTotal)
        : String.format("%6s  %-8s %-15s %-10s %6s %5s %8s %10s %9s %7s | %s%n", "total", "", "", "",
            orDash(inUse), orDash(idle), orDash(waiting), "", orDash(timeouts), orDash(leaked),
            serverTotal));

    if (server == null) {
      out.append("   server not reachable: ").append(serverError).append('\n');
    } else {
      // "N in use" only once every worker has reported: a partial sum would understate it
      out.append(why(server.total(), server.total() - others, others,
          awaitingExport ? null : inUse, awaitingExport ? null : leaked)).append('\n');
    }
    if (awaitingExport) {
      out.append("   - : no export from that worker's agent yet (it exports every second)\n");
    }
    return out.toString();
  }

  /** "Why 15 connections? 3 workers × pool of 5 = 15 connections held open by the pools, 3 in use right now." */
  String why(int total, int fromWorkers, int others, Long inUse, Long leaked) {
    int expected = workers * poolSize;
    StringBuilder s = new StringBuilder()
        .append("Why ").append(total).append(total == 1 ? " connection? " : " connections? ")
        .append(workers).append(workers == 1 ? " worker" : " workers")
        .append(" \u00d7 pool of ").append(poolSize).append(" = ").append(expected)
        .append(" connections held open by the pools");
    if (fromWorkers != expected) {
      s.append(" (").append(fromWorkers).append(" open so far)");
    }
    if (others > 0) {
      s.append(", plus ").append(others).append(" from other clients");
    }
    if (inUse != null) {
      s.append(", ").append(inUse).append(" in use right now");
    }
    if (leaked != null && leaked > 0) {
      s.append(", ").append(leaked).append(" leaked (dropped without close, never returned)");
    }
    return s.append('.').toString();
  }

  private static String orDash(Long value) {
    return value == null ? "-" : String.valueOf(value);
  }

  private static Long add(Long sum, Long value) {
    if (value == null) {
      return sum;
    }
    return sum == null ? value : sum + value;
  }

  /** {@code ≤25 ms}, {@code ≤0.5 ms}, {@code >60000 ms}. */
  static String millis(Quantile q) {
    if (q == null) {
      return "-";
    }
    double ms = q.seconds() * 1000;
    String number = ms < 10
        ? String.format(Locale.ROOT, "%.1f", ms).replaceFirst("\\.0$", "")
        : String.format(Locale.ROOT, "%.0f", ms);
    return (q.above() ? ">" : "\u2264") + number + " ms";
  }
}
