package io.poolscope.agent.hooks;

import io.poolscope.agent.config.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.AsmClassReader;
import net.bytebuddy.utility.AsmClassWriter;

/**
 * Inlines advice into the classes the rules match, with Byte Buddy's {@link Advice} as an ASM visitor
 * on the class bytes, like {@code AgentBuilder} with frozen redefinition does. {@code AgentBuilder}
 * itself is not used: on its first use it generates a transformer class at run time, which cost the
 * app's startup more than all of poolscope's own work.
 *
 * <p>Most classes an app loads are passed over by a scan of their constant pool (a class can only
 * declare a method whose name is in it); the rest are described with a lazy {@link TypePool} over
 * the class bytes and the class files of their loader, so matching never loads a class. Any failure
 * leaves the class as it was.
 */
final class AdviceTransformer implements ClassFileTransformer {

  /** One advice class, the types it goes into and the methods of those types it wraps. */
  static final class Rule {
    private final ElementMatcher<? super TypeDescription> types;
    private final ElementMatcher<? super MethodDescription> methods;
    private final Class<?> adviceClass;
    /** Names of the methods {@link #methods} can match: one of them must be in the class file. */
    private final List<String> methodNames;
    /** Built at the first class that needs it: describing the advice class costs time. */
    private volatile AsmVisitorWrapper visitor;

    Rule(
        ElementMatcher<? super TypeDescription> types,
        ElementMatcher<? super MethodDescription> methods,
        Class<?> adviceClass,
        String... methodNames) {
      this.types = types;
      this.methods = methods;
      this.adviceClass = adviceClass;
      this.methodNames = List.of(methodNames);
    }

    /** Declared methods first: they come from the class file at hand, supertypes from the loader. */
    boolean matches(TypeDescription type) {
      return !type.getDeclaredMethods().filter(methods).isEmpty() && types.matches(type);
    }

    AsmVisitorWrapper visitor() {
      AsmVisitorWrapper current = visitor;
      if (current == null) {
        synchronized (this) {
          current = visitor;
          if (current == null) {
            current = Advice.to(adviceClass).on(methods);
            visitor = current;
          }
        }
      }
      return current;
    }
  }

  private static final AuxiliaryType.NamingStrategy NO_AUXILIARY_TYPES =
      new AuxiliaryType.NamingStrategy.Enumerating("poolscope");

  private final List<Rule> rules;
  /** Internal-name prefixes of classes never instrumented. */
  private final List<String> ignored;
  private final Instrumentation instrumentation;
  /** The module of the hook classes the advice calls: a named module must be able to read it. */
  private final Module hooks;
  private final boolean debug;
  /** Every rule's method names; bit {@code i} of {@link #rulesOf} belongs to {@code names[i]}. */
  private final byte[][] names;
  private final long[] rulesOf;
  /** Set while this thread transforms: classes it loads meanwhile are our own, never instrumented. */
  private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

  AdviceTransformer(
      List<Rule> rules, List<String> ignored, Instrumentation instrumentation, Module hooks,
      boolean debug) {
    this.rules = List.copyOf(rules);
    this.ignored = List.copyOf(ignored);
    this.instrumentation = instrumentation;
    this.hooks = hooks;
    this.debug = debug;
    List<String> all = new ArrayList<>();
    rulesOf = new long[this.rules.size()];
    for (int r = 0; r < this.rules.size(); r++) {
      for (String name : this.rules.get(r).methodNames) {
        rulesOf[r] |= 1L << all.size();
        all.add(name);
      }
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
      return instrument(module, loader, internalName.replace('/', '.'), classFile, mentioned);
    } catch (Throwable t) {
      if (debug) {
        Log.warn("could not instrument " + internalName.replace('/', '.'), t);
      }
      return null;
    } finally {
      busy.remove();
    }
  }

  private byte[] instrument(
      Module module, ClassLoader loader, String name, byte[] classFile, long mentioned) {
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            TypePool.CacheProvider.Simple.withObjectType(),
            new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader)),
            TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    if (type.isSynthetic()) {
      return null;
    }
    List<AsmVisitorWrapper> visitors = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      if ((mentioned & rulesOf[r]) != 0 && rule.matches(type)) {
        visitors.add(rule.visitor());
      }
    }
    if (visitors.isEmpty()) {
      return null;
    }
    byte[] transformed = weave(type, pool, classFile, new AsmVisitorWrapper.Compound(visitors));
    assureReadEdge(module);
    return transformed;
  }

  /** What {@code TypeWriter} does for a redefinition that only visits declared methods. */
  private static byte[] weave(
      TypeDescription type, TypePool pool, byte[] classFile, AsmVisitorWrapper visitor) {
    int writerFlags = visitor.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
    int readerFlags = visitor.mergeReader(AsmVisitorWrapper.NO_FLAGS);
    AsmClassReader reader = AsmClassReader.Factory.Default.IMPLICIT.make(classFile);
    AsmClassWriter writer = AsmClassWriter.Factory.Default.IMPLICIT.make(writerFlags, reader, pool);
    ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
    Implementation.Context context =
        Implementation.Context.Disabled.Factory.INSTANCE.make(
            type, NO_AUXILIARY_TYPES, TypeInitializer.None.INSTANCE, version, version);
    reader.accept(
        visitor.wrap(
            type,
            writer.getVisitor(),
            context,
            pool,
            type.getDeclaredFields(),
            type.getDeclaredMethods(),
            writerFlags,
            readerFlags),
        readerFlags);
    return writer.getBinaryRepresentation();
  }

  /** Advice inlined into a named module (a JDK proxy, a modular pool) calls the hooks' module. */
  private void assureReadEdge(Module module) {
    if (module != null
        && module.isNamed()
        && !module.canRead(hooks)
        && instrumentation.isModifiableModule(module)) {
      instrumentation.redefineModule(module, Set.of(hooks), Map.of(), Map.of(), Set.of(), Map.of());
    }
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
   * Attach: instruments the classes loaded before the agent, matched by their loaded form. Classes
   * are retransformed in small batches, so one that cannot be leaves the others instrumented.
   */
  void retransformLoaded() {
    List<Class<?>> matching = new ArrayList<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (matchesLoaded(loaded)) {
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

  private boolean matchesLoaded(Class<?> loaded) {
    try {
      if (!instrumentation.isModifiableClass(loaded)
          || loaded.isArray()
          || loaded.isPrimitive()
          || ignored(loaded.getClassLoader(), loaded.getName().replace('.', '/'))) {
        return false;
      }
      TypeDescription type = TypeDescription.ForLoadedType.of(loaded);
      if (type.isSynthetic()) {
        return false;
      }
      for (Rule rule : rules) {
        if (rule.matches(type)) {
          return true;
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
