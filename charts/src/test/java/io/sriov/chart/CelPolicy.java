package io.sriov.chart;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a ValidatingAdmissionPolicy's CEL the way the API server does for one request:
 * matchConditions (all true, or the policy does not apply), then the variables in order, then each
 * validation; the first false one denies with its message (or messageExpression). Google's CEL for
 * Java with the standard macros; objects are plain maps, as the API server's unstructured view.
 * Kubernetes' own CEL libraries (quantity, url, ...) are not here: the policy does not use them.
 */
final class CelPolicy {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .addVar("request", SimpleType.DYN)
          .addVar("variables", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final ValidatingAdmissionPolicy policy;

  CelPolicy(ValidatingAdmissionPolicy policy) {
    this.policy = policy;
  }

  /** The outcome: empty when the policy does not apply, else allowed or the denial's message. */
  record Outcome(boolean applies, Optional<String> denial) {
    static final Outcome NOT_APPLICABLE = new Outcome(false, Optional.empty());
    static final Outcome ALLOWED = new Outcome(true, Optional.empty());

    static Outcome denied(String message) {
      return new Outcome(true, Optional.of(message));
    }
  }

  Outcome evaluate(Map<String, Object> request, Object object, Object oldObject) {
    Map<String, Object> variables = new LinkedHashMap<>();
    Map<String, Object> input = new HashMap<>();
    input.put("request", cel(request));
    input.put("object", cel(object));
    input.put("oldObject", cel(oldObject));
    input.put("variables", variables);
    for (MatchCondition c : policy.getSpec().getMatchConditions()) {
      if (!Boolean.TRUE.equals(eval(c.getExpression(), input))) {
        return Outcome.NOT_APPLICABLE;
      }
    }
    for (Variable v : policy.getSpec().getVariables()) {
      variables.put(v.getName(), eval(v.getExpression(), input));
    }
    for (Validation v : policy.getSpec().getValidations()) {
      if (!Boolean.TRUE.equals(eval(v.getExpression(), input))) {
        return Outcome.denied(
            v.getMessageExpression() != null
                ? (String) eval(v.getMessageExpression(), input)
                : v.getMessage());
      }
    }
    return Outcome.ALLOWED;
  }

  /** A value as CEL's runtime takes it: Guava's immutable collections, longs, NULL_VALUE. */
  private static Object cel(Object value) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof Map<?, ?> map) {
      ImmutableMap.Builder<Object, Object> out = ImmutableMap.builder();
      map.forEach((k, v) -> out.put(k, cel(v)));
      return out.buildOrThrow();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CelPolicy::cel).collect(ImmutableList.toImmutableList());
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    return value;
  }

  static Object eval(String expression, Map<String, Object> input) {
    try {
      return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(input);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("CEL expression " + expression + ": " + e.getMessage(), e);
    }
  }
}
