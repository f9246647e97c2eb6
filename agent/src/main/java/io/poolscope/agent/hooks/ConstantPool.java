package io.poolscope.agent.hooks;

import java.nio.charset.StandardCharsets;

/**
 * Reads which of a few names a class file's constant pool holds, without parsing the class. A class
 * declares a method only if its name is in the pool, so a class that mentions none of the methods a
 * rule weaves can be passed over before it is parsed: most classes an app loads.
 */
final class ConstantPool {

  private static final int UTF8 = 1;

  private ConstantPool() {}

  /**
   * Bit {@code i} is set if {@code names[i]} is one of the pool's strings; -1 (all set) if the bytes
   * are not a class file this reader understands, so that the caller looks at the class properly.
   */
  static long mentions(byte[] classFile, byte[][] names) {
    try {
      long found = 0;
      int count = u2(classFile, 8);
      int at = 10;
      for (int index = 1; index < count; index++) {
        int tag = classFile[at];
        switch (tag) {
          case UTF8:
            int length = u2(classFile, at + 1);
            found |= match(classFile, at + 3, length, names);
            at += 3 + length;
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            at += 5;
            break;
          case 5: // Long
          case 6: // Double: two slots
            at += 9;
            index++;
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            at += 3;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          default:
            return -1;
        }
      }
      return found;
    } catch (ArrayIndexOutOfBoundsException e) {
      return -1;
    }
  }

  static byte[][] encode(String... names) {
    byte[][] encoded = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      encoded[i] = names[i].getBytes(StandardCharsets.UTF_8); // ASCII names: same as modified UTF-8
    }
    return encoded;
  }

  private static long match(byte[] classFile, int start, int length, byte[][] names) {
    long found = 0;
    for (int i = 0; i < names.length; i++) {
      byte[] name = names[i];
      if (name.length == length && regionEquals(classFile, start, name)) {
        found |= 1L << i;
      }
    }
    return found;
  }

  private static boolean regionEquals(byte[] classFile, int start, byte[] name) {
    for (int i = 0; i < name.length; i++) {
      if (classFile[start + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u2(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
  }
}
