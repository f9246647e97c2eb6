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

  /**
   * Set in the JVM to the agent's version once poolscope is loaded (on or off): the attach command
   * reads it to refuse a second load.
   */
  static final String INSTALLED_PROPERTY = "poolscope.installed";

  private static boolean installed;

  private Installer() {}

  /** {@code live}: attached to a running JVM, whose already-loaded classes must be retransformed. */
  static synchronized void install(String args, Instrumentation instrumentation, boolean live) {
    if (installed) {
      Log.info("poolscope is already installed in this JVM; nothing changed");
      return;
    }
    installed = true;
    try {
      AgentArguments arguments = AgentArguments.parse(args);
      AgentConfig config =
          AgentConfig.load(
              Settings.from(arguments.poolscope(), System.getProperties(), System.getenv()));
      // only now: read as a poolscope.* property, it would be warned about as an unknown option
      System.setProperty(INSTALLED_PROPERTY, version());
      if (!config.enabled) {
        Log.info("poolscope is off (" + AgentConfig.ENABLED + "=false)");
        return;
      }
      arguments.applyOtelDefaults(System.getProperties(), System.getenv());
      BootstrapInjector.inject(instrumentation, agentJar());
      Components.start(config, instrumentation, version(), live);
    } catch (Throwable t) {
      Log.warn("poolscope could not start; the application runs without it", t);
    }
  }

  static File agentJar() throws Exception {
    return new File(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static String version() {
    String version = Installer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
