package io.sriov.core.device;

import io.sriov.core.value.InvalidValueException;

/**
 * An auxiliary-bus device name {@code <driver>.<type>.<id>} ({@code mlx5_core.sf.4}), as found
 * under {@code /sys/bus/auxiliary/devices}. The type ({@code sf}, {@code eth}, {@code rdma}) is
 * what the {@code auxTypes} selector matches.
 */
public record AuxDeviceName(String driver, String type, int id) {

  public AuxDeviceName {
    if (!isToken(driver) || !isToken(type) || id < 0) {
      throw new InvalidValueException(
          "auxiliary device name parts invalid: " + driver + "." + type + "." + id);
    }
  }

  public static AuxDeviceName parse(String s) {
    if (s == null) {
      throw new InvalidValueException("auxiliary device name: missing");
    }
    int last = s.lastIndexOf('.');
    int first = s.indexOf('.');
    if (first <= 0 || last == first || last == s.length() - 1) {
      throw new InvalidValueException(
          "auxiliary device name \"" + s + "\": expected <driver>.<type>.<id>");
    }
    String driver = s.substring(0, first);
    String type = s.substring(first + 1, last);
    String idText = s.substring(last + 1);
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw new InvalidValueException(
          "auxiliary device name \"" + s + "\": id \"" + idText + "\" is not a number");
    }
    if (!isToken(driver) || !isToken(type) || id < 0) {
      throw new InvalidValueException(
          "auxiliary device name \"" + s + "\": expected <driver>.<type>.<id>");
    }
    return new AuxDeviceName(driver, type, id);
  }

  private static boolean isToken(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return driver + "." + type + "." + id;
  }
}
