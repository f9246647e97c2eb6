package io.poolscope.agent.entry;

import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.Log;
import io.poolscope.agent.config.Settings;
import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * One idempotent install shared by premain and agentmain. Any failure is logged and swallowed:
 * attaching poolscope must never stop the app.
 */
final class Installer {

  private static boolean installed;

  private Installer() {}

  static synchronized void install(String args, Instrumentation instrumentation) {
    if (installed) {
      Log.info("poolscope is already installed in this JVM; nothing changed");
      return;
    }
    installed = true;
    try {
      AgentConfig config =
          AgentConfig.load(Settings.from(args, System.getProperties(), System.getenv()));
      if (!config.enabled) {
        Log.info("poolscope is off (" + AgentConfig.ENABLED + "=false)");
        return;
      }
      BootstrapInjector.inject(instrumentation, agentJar());
      Components.start(config, instrumentation, version());
    } catch (Throwable t) {
      Log.warn("poolscope could not start; the application runs without it", t);
    }
  }

  private static File agentJar() throws Exception {
    return new File(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static String version() {
    String version = Installer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
