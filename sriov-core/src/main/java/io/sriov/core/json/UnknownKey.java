package io.sriov.core.json;

/**
 * What to do with an object key that matches none of the expected field names: record a warning, or
 * throw a {@link JsonBindException} when the key can only be a mistake.
 */
@FunctionalInterface
public interface UnknownKey {
  /**
   * @param path the key's path ({@code resourceList[0].selectors.vendor})
   * @param key the key as the document spells it
   */
  void found(String path, String key);

  /** Ignores unknown keys silently, as Go's {@code encoding/json} does. */
  UnknownKey IGNORE = (path, key) -> {};
}
