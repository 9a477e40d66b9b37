package io.sriov.core.testing;

import java.util.Arrays;
import java.util.Locale;

/**
 * A benchmark's paired rounds: in round {@code i} a candidate and its peer ran back to back under
 * the same load, so the noise of the shared machine hits both sides of a pair alike. This gives the
 * candidate's overhead over the peer per round (percent: positive when the candidate took longer),
 * their median, how many rounds each side won, and a distribution-free 95 % confidence interval of
 * that median: the order statistics {@code [x(k), x(n+1-k)]} of the sorted overheads, with {@code
 * k} the largest rank for which {@code P(Binomial(n, 1/2) < k) <= 2.5 %}. It assumes only that the
 * rounds are independent (nothing about the shape of the noise, whose tails are long here), so it
 * says how far one run's median can be trusted: a 10 % target is shown met by a run when the upper
 * bound is under 10 %, and merely not contradicted when only the median is.
 */
public final class PairedRounds {
  private final double[] sortedOverheads;

  private PairedRounds(double[] overheads) {
    this.sortedOverheads = overheads.clone();
    Arrays.sort(sortedOverheads);
  }

  /**
   * Round {@code i} of {@code candidate} against round {@code i} of {@code peer} (durations, any
   * one unit). Needs at least 6 rounds, the fewest for which a 95 % interval exists.
   *
   * @throws IllegalArgumentException the two differ in length, there are fewer than 6 rounds, or a
   *     peer's duration is not positive
   */
  public static PairedRounds of(double[] candidate, double[] peer) {
    if (candidate.length != peer.length) {
      throw new IllegalArgumentException(
          "paired rounds need as many candidate rounds as peer rounds: "
              + candidate.length
              + " against "
              + peer.length);
    }
    if (candidate.length < 6) {
      throw new IllegalArgumentException(
          "a 95 % interval of the median needs at least 6 rounds, got " + candidate.length);
    }
    double[] overheads = new double[candidate.length];
    for (int i = 0; i < candidate.length; i++) {
      if (!(peer[i] > 0)) {
        throw new IllegalArgumentException("round " + i + ": peer duration " + peer[i]);
      }
      overheads[i] = 100.0 * (candidate[i] - peer[i]) / peer[i];
    }
    return new PairedRounds(overheads);
  }

  public int rounds() {
    return sortedOverheads.length;
  }

  /** The median of the per-round overheads, percent. */
  public double median() {
    int n = sortedOverheads.length;
    return n % 2 == 1
        ? sortedOverheads[n / 2]
        : (sortedOverheads[n / 2 - 1] + sortedOverheads[n / 2]) / 2;
  }

  /** Rounds in which the candidate took less time than its peer. */
  public int candidateFaster() {
    int faster = 0;
    for (double o : sortedOverheads) {
      if (o < 0) {
        faster++;
      }
    }
    return faster;
  }

  /** The lower end of the median's 95 % interval, percent. */
  public double medianLow95() {
    return sortedOverheads[rank95(sortedOverheads.length) - 1];
  }

  /** The upper end of the median's 95 % interval, percent. */
  public double medianHigh95() {
    int n = sortedOverheads.length;
    return sortedOverheads[n - rank95(n)];
  }

  /** One line: median, its interval, and the rounds each side won. */
  public String summary(String candidate, String peer) {
    return String.format(
        Locale.ROOT,
        "%s vs %s, paired over %d rounds: median %+.1f %% (95 %% interval %+.1f .. %+.1f %%),"
            + " %s faster in %d of %d rounds",
        candidate,
        peer,
        rounds(),
        median(),
        medianLow95(),
        medianHigh95(),
        candidate,
        candidateFaster(),
        rounds());
  }

  /**
   * The largest {@code k >= 1} with {@code P(B <= k - 1) <= 0.025} for {@code B ~ Binomial(n,
   * 1/2)}; 0 when there is none ({@code n < 6}, which {@link #of} refuses).
   */
  static int rank95(int n) {
    // P(B <= j) summed exactly in doubles: C(n, j) / 2^n, n up to a few thousand
    double p = Math.pow(0.5, n);
    double cumulative = 0;
    int k = 0;
    for (int j = 0; j <= n; j++) {
      cumulative += p;
      if (cumulative > 0.025) {
        break;
      }
      k = j + 1;
      p = p * (n - j) / (j + 1);
    }
    return k;
  }
}
