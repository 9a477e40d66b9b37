package io.sriov.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedRoundsTest {
  @Test
  void ranksAreTheBinomialOrderStatisticsOfTheTables() {
    // published tables of the sign-test interval for the median at 95 %: n -> k
    assertThat(PairedRounds.rank95(5)).isZero(); // no 95 % interval: of() refuses 5 rounds
    assertThat(PairedRounds.rank95(6)).isEqualTo(1);
    assertThat(PairedRounds.rank95(8)).isEqualTo(1);
    assertThat(PairedRounds.rank95(9)).isEqualTo(2);
    assertThat(PairedRounds.rank95(12)).isEqualTo(3);
    assertThat(PairedRounds.rank95(20)).isEqualTo(6);
    assertThat(PairedRounds.rank95(40)).isEqualTo(14);
    assertThat(PairedRounds.rank95(100)).isEqualTo(40);
  }

  @Test
  void overheadsArePerRoundAgainstThatRoundsPeer() {
    double[] peer = {100, 200, 100, 100, 100, 100, 100};
    double[] candidate = {110, 180, 95, 120, 100, 90, 105};
    PairedRounds p = PairedRounds.of(candidate, peer);
    // overheads: +10, -10, -5, +20, 0, -10, +5 -> sorted -10 -10 -5 0 5 10 20
    assertThat(p.rounds()).isEqualTo(7);
    assertThat(p.median()).isCloseTo(0.0, within(1e-9));
    assertThat(p.candidateFaster()).isEqualTo(3);
    assertThat(p.medianLow95()).isCloseTo(-10.0, within(1e-9));
    assertThat(p.medianHigh95()).isCloseTo(20.0, within(1e-9));
    assertThat(p.summary("shim", "host-device"))
        .isEqualTo(
            "shim vs host-device, paired over 7 rounds: median +0.0 % (95 % interval -10.0 .. +20.0"
                + " %), shim faster in 3 of 7 rounds");
  }

  @Test
  void evenCountsAverageTheMiddlePairAndTheIntervalNarrowsWithRounds() {
    double[] peer = new double[40];
    double[] candidate = new double[40];
    for (int i = 0; i < 40; i++) {
      peer[i] = 100;
      candidate[i] = 100 + (i - 20); // overheads -20 .. +19
    }
    PairedRounds p = PairedRounds.of(candidate, peer);
    assertThat(p.median()).isCloseTo(-0.5, within(1e-9));
    assertThat(p.medianLow95()).isCloseTo(-7.0, within(1e-9)); // x(14)
    assertThat(p.medianHigh95()).isCloseTo(6.0, within(1e-9)); // x(27)
    assertThat(p.candidateFaster()).isEqualTo(20);
  }

  @Test
  void refusesWhatCannotBePaired() {
    assertThatThrownBy(() -> PairedRounds.of(new double[7], new double[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("paired rounds need as many candidate rounds as peer rounds: 7 against 8");
    assertThatThrownBy(() -> PairedRounds.of(new double[5], new double[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a 95 % interval of the median needs at least 6 rounds, got 5");
    double[] peer = {100, 100, 0, 100, 100, 100};
    assertThatThrownBy(() -> PairedRounds.of(new double[6], peer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("round 2: peer duration 0.0");
  }
}
