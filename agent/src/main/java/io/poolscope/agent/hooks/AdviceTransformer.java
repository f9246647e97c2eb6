package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ACC_INTERFACE;
import static net.bytebuddy.jar.asm.Opcodes.ACC_SYNTHETIC;
import static net.bytebuddy.jar.asm.Opcodes.ASM9;
import static net.bytebuddy.jar.asm.Opcodes.V1_6;

import io.poolscope.agent.config.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Weaves the rules' advice into the classes they match, with ASM (as repackaged by Byte Buddy) on the
 * class bytes: calls of the hooks, no more. Byte Buddy's own {@code Advice} was used before; building
 * it loaded ~450 classes at the app's first JDBC class, which cost the startup ~70 ms (BENCHMARKS.md).
 *
 * <p>Most classes an app loads are passed over by a scan of their constant pool (a class can only
 * declare a method whose name is in it); for the rest, the declared methods are read, then the JDBC
 * interfaces the class implements ({@link SuperTypes}, which never loads an app class). Any failure
 * leaves the class as it was.
 */
final class AdviceTransformer implements ClassFileTransformer {

  private final List<MethodRule> rules;
  /** Internal-name prefixes of classes never instrumented. */
  private final List<String> ignored;
  private final Instrumentation instrumentation;
  /** The module of the hook classes the advice calls: a named module must be able to read it. */
  private final Module hooks;
  private final boolean debug;
  /** The rules' method names; for each rule, the bit of its name (bit {@code i}: {@code names[i]}). */
  private final byte[][] names;
  private final long[] nameBitOfRule;
  /** Set while this thread transforms: classes it loads meanwhile are our own, never instrumented. */
  private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

  AdviceTransformer(
      List<MethodRule> rules, List<String> ignored, Instrumentation instrumentation, Module hooks,
      boolean debug) {
    this.rules = List.copyOf(rules);
    this.ignored = List.copyOf(ignored);
    this.instrumentation = instrumentation;
    this.hooks = hooks;
    this.debug = debug;
    List<String> all = new ArrayList<>();
    nameBitOfRule = new long[this.rules.size()];
    for (int r = 0; r < this.rules.size(); r++) {
      String name = this.rules.get(r).name;
      if (!all.contains(name)) {
        all.add(name);
      }
      nameBitOfRule[r] = 1L << all.indexOf(name);
    }
    names = ConstantPool.encode(all.toArray(new String[0]));
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    if (internalName == null || ignored(loader, internalName) || busy.get() != null) {
      return null;
    }
    long mentioned = ConstantPool.mentions(classFile, names);
    if (mentioned == 0) {
      return null;
    }
    busy.set(Boolean.TRUE);
    try {
      byte[] woven = weave(loader, classFile, mentioned);
      if (woven == null || !readsHooks(module)) {
        return null;
      }
      if (debug) {
        Log.info("woven " + internalName.replace('/', '.'));
      }
      return woven;
    } catch (Throwable t) {
      if (debug) {
        Log.warn("could not instrument " + internalName.replace('/', '.'), t);
      }
      return null;
    } finally {
      busy.remove();
    }
  }

  /** The woven class file, or null if no rule matches. */
  private byte[] weave(ClassLoader loader, byte[] classFile, long mentioned) {
    ClassReader reader = new ClassReader(classFile);
    int access = reader.getAccess();
    if ((access & (ACC_INTERFACE | ACC_SYNTHETIC)) != 0) {
      return null;
    }
    Map<String, DeclaredMethod> declared = declaredMethods(reader, mentioned);
    if (declared.isEmpty()) {
      return null;
    }
    SuperTypes types = new SuperTypes(loader);
    int superTypes = types.of(reader);
    boolean expandFrames = false;
    for (Iterator<DeclaredMethod> it = declared.values().iterator(); it.hasNext(); ) {
      DeclaredMethod method = it.next();
      if (method.rule.accepts(access, superTypes, method.descriptor, types)) {
        expandFrames |= method.rule.advice.hasExit();
      } else {
        it.remove();
      }
    }
    if (declared.isEmpty()) {
      return null;
    }
    ClassWriter writer = new ClassWriter(reader, 0); // copies the methods left alone as they are
    reader.accept(new WovenClass(writer, declared), expandFrames ? ClassReader.EXPAND_FRAMES : 0);
    return writer.toByteArray();
  }

  /** A method some rule names, by name and descriptor; its max locals if its advice needs them. */
  private static final class DeclaredMethod {
    final MethodRule rule;
    final String descriptor;
    int maxLocals;

    DeclaredMethod(MethodRule rule, String descriptor) {
      this.rule = rule;
      this.descriptor = descriptor;
    }
  }

  /** The methods the class declares that some rule names; the code of those alone is read. */
  private Map<String, DeclaredMethod> declaredMethods(ClassReader reader, long mentioned) {
    Map<String, DeclaredMethod> declared = new HashMap<>();
    reader.accept(
        new ClassVisitor(ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            for (int r = 0; r < rules.size(); r++) {
              MethodRule rule = rules.get(r);
              if ((mentioned & nameBitOfRule[r]) != 0 && rule.declares(access, name, descriptor)) {
                DeclaredMethod method = new DeclaredMethod(rule, descriptor);
                declared.put(name + descriptor, method);
                return rule.advice.hasExit() ? maxLocalsOf(method) : null;
              }
            }
            return null;
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return declared;
  }

  private static MethodVisitor maxLocalsOf(DeclaredMethod method) {
    return new MethodVisitor(ASM9) {
      @Override
      public void visitMaxs(int maxStack, int maxLocals) {
        method.maxLocals = maxLocals;
      }
    };
  }

  /** Passes the class on, the matched methods through their advice. */
  private static final class WovenClass extends ClassVisitor {
    private final Map<String, DeclaredMethod> woven;
    private String owner;
    private boolean frames;

    WovenClass(ClassVisitor writer, Map<String, DeclaredMethod> woven) {
      super(ASM9, writer);
      this.woven = woven;
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      owner = name;
      frames = (version & 0xFFFF) >= V1_6; // stack map frames came with Java 6
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
      DeclaredMethod method = woven.get(name + descriptor);
      return method == null
          ? target
          : new AdviceMethod(
              target, method.rule.advice, owner, descriptor, method.maxLocals, frames);
    }
  }

  /**
   * Whether woven code in {@code module} can call the hooks: a named module (a JDK proxy, a modular
   * pool) is made to read theirs. The calls have no handler around them, so a class whose module
   * cannot is left alone.
   */
  private boolean readsHooks(Module module) {
    if (module == null || !module.isNamed() || module.canRead(hooks)) {
      return true;
    }
    if (instrumentation.isModifiableModule(module)) {
      instrumentation.redefineModule(module, Set.of(hooks), Map.of(), Map.of(), Set.of(), Map.of());
    }
    return module.canRead(hooks);
  }

  /**
   * The bootstrap loader's classes are the JDK's, and so are the platform loader's, except JDK
   * proxies it defines for the app.
   */
  private boolean ignored(ClassLoader loader, String internalName) {
    if (loader == null) {
      return true;
    }
    if (loader == ClassLoader.getPlatformClassLoader()
        && !internalName.startsWith("jdk/proxy")
        && !internalName.startsWith("com/sun/proxy/")) {
      return true;
    }
    for (String prefix : ignored) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Attach: weaves the classes loaded before the agent, in small batches, so one that cannot be
   * retransformed leaves the others woven. Chosen by their declared method names and interfaces; the
   * transform decides on the class file it is handed.
   */
  void retransformLoaded() {
    List<Class<?>> matching = new ArrayList<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (mayBeWoven(loaded)) {
        matching.add(loaded);
      }
    }
    int batch = 50;
    for (int from = 0; from < matching.size(); from += batch) {
      List<Class<?>> classes = matching.subList(from, Math.min(matching.size(), from + batch));
      try {
        instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
      } catch (Throwable t) {
        for (Class<?> single : classes) {
          retransform(single);
        }
      }
    }
  }

  private void retransform(Class<?> loaded) {
    try {
      instrumentation.retransformClasses(loaded);
    } catch (Throwable t) {
      if (debug) {
        Log.warn("could not instrument " + loaded.getName(), t);
      }
    }
  }

  private boolean mayBeWoven(Class<?> loaded) {
    try {
      if (!instrumentation.isModifiableClass(loaded)
          || loaded.isInterface()
          || loaded.isArray()
          || loaded.isPrimitive()
          || ignored(loaded.getClassLoader(), loaded.getName().replace('.', '/'))) {
        return false;
      }
      int superTypes = SuperTypes.of(loaded);
      for (Method method : loaded.getDeclaredMethods()) {
        for (MethodRule rule : rules) {
          if (rule.name.equals(method.getName())
              && rule.receiver.accepts(loaded.getModifiers(), superTypes)) {
            return true;
          }
        }
      }
      return false;
    } catch (Throwable t) { // a class whose methods name a type its loader cannot find
      if (debug) {
        Log.warn("could not instrument " + loaded.getName(), t);
      }
      return false;
    }
  }
}
