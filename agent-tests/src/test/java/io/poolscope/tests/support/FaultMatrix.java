package io.poolscope.tests.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A row of the hardening fault matrix (faults, isolation and coexistence, memory, secrets and
 * input). {@code mvn verify} runs these classes twice: in the default run, and again in the
 * {@code jdk25} run of agent-tests/pom.xml with every child JVM on Temurin 25
 * ({@code -Dpoolscope.test.java}), so no test needs a JDK 25 twin of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(FaultMatrix.TAG)
public @interface FaultMatrix {
  String TAG = "fault-matrix";
}
