package io.sriov.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

/**
 * fabric8's model classes keep fields they do not declare in {@code additionalProperties} instead
 * of failing: this walks a parsed object and fails naming the first such field and its path, which
 * makes the parse strict (a misspelt {@code mountPropagaton} would otherwise pass silently).
 */
final class StrictFields {
  private StrictFields() {}

  static void assertNoUnknownFields(Object root, String what) {
    walk(root, what);
  }

  private static void walk(Object value, String path) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]");
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child = invoke(getter, value);
      // (A CRD schema's getAdditionalProperties is the schema keyword, not a Map: walked below.)
      if (getter.getName().equals("getAdditionalProperties") && child instanceof Map<?, ?>) {
        assertThat((Map<?, ?>) child)
            .as("%s: fields its fabric8 type %s does not have", path, value.getClass().getName())
            .isNullOrEmpty();
        continue;
      }
      walk(child, path + "." + fieldName(getter));
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }

  private static String fieldName(Method getter) {
    String n = getter.getName().substring(3);
    return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }
}
