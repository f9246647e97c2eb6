package io.poolscope.agent.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConstantPoolTest {

  private static final byte[][] NAMES = ConstantPool.encode("getConnection", "close", "connect");

  /** Declares close() and holds a long and a double (two constant pool slots each). */
  static final class Closing implements AutoCloseable {
    static final long BIG = 1L << 40;
    static final double HALF = 0.5;

    @Override
    public void close() {}
  }

  /** Only calls getConnection: the name is in its pool all the same; "connect" is not. */
  static final class Calling {
    Object call(javax.sql.DataSource dataSource) throws Exception {
      return dataSource.getConnection();
    }
  }

  @Test
  void findsTheNamesInThePoolAndOnlyThose() throws IOException {
    byte[] closing = AdviceTransformerTest.classFile(Closing.class);
    assertEquals(0b010, ConstantPool.mentions(closing, NAMES));
    assertEquals(0b001, ConstantPool.mentions(AdviceTransformerTest.classFile(Calling.class), NAMES));
    assertEquals(0, ConstantPool.mentions(closing, ConstantPool.encode("abort")));
  }

  @Test
  void bytesItCannotReadAreLookedAtProperly() {
    byte[] truncated = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9, 1, 0};
    assertEquals(-1, ConstantPool.mentions(truncated, NAMES));
    byte[] unknownTag = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 2, 99};
    assertEquals(-1, ConstantPool.mentions(unknownTag, NAMES));
  }
}
