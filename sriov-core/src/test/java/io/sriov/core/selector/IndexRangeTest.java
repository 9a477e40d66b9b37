package io.sriov.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.InvalidValueException;
import io.sriov.core.value.PciAddress;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class IndexRangeTest {

  @Test
  void parsesTheReadmeForm() {
    assertThat(IndexRange.parseList("0,2-7,9"))
        .containsExactly(new IndexRange(0, 0), new IndexRange(2, 7), new IndexRange(9, 9));
    assertThat(IndexRange.parseList("007")).containsExactly(IndexRange.single(7));
    assertThat(IndexRange.parseList("3-3")).containsExactly(IndexRange.single(3));
  }

  @Test
  void containsIsInclusive() {
    IndexRange r = new IndexRange(2, 7);

    assertThat(r.contains(1)).isFalse();
    assertThat(r.contains(2)).isTrue();
    assertThat(r.contains(7)).isTrue();
    assertThat(r.contains(8)).isFalse();
  }

  @Test
  void rejectsReversedAndNegativeRanges() {
    assertThatThrownBy(() -> IndexRange.parseList("7-2"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("range 7-2 is reversed");
    assertThatThrownBy(() -> new IndexRange(-1, 2))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("index must not be negative: -1-2");
    assertThatThrownBy(() -> IndexRange.parseList(""))
        .hasMessage("index list is empty (expected e.g. 0,2-7,9)");
  }

  @Test
  void nameWithRangesIncludesEveryFunctionWithoutRanges() {
    NameWithRanges<InterfaceName> all = NameWithRanges.parse("ens1f0", InterfaceName::of);

    assertThat(all.ranges()).isEmpty();
    assertThat(all.includes(OptionalInt.of(63))).isTrue();
    assertThat(all.includes(OptionalInt.empty())).isTrue();
    assertThat(all).hasToString("ens1f0");
  }

  @Test
  void nameWithRangesNeedsAnIndexInsideARange() {
    NameWithRanges<PciAddress> some =
        NameWithRanges.parse("0000:86:00.0#0-1,3,4", PciAddress::parse);

    assertThat(some.name()).isEqualTo(PciAddress.parse("0000:86:00.0"));
    assertThat(List.of(0, 1, 2, 3, 4, 5))
        .map(i -> some.includes(OptionalInt.of(i)))
        .containsExactly(true, true, false, true, true, false);
    assertThat(some.includes(OptionalInt.empty())).isFalse();
    assertThat(some).hasToString("0000:86:00.0#0-1,3,4");
  }

  @Test
  void nameWithRangesReportsTheNamePartsProblem() {
    assertThatThrownBy(() -> NameWithRanges.parse("0000:86:00.0/..#1", PciAddress::parse))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(
            "PCI address \"0000:86:00.0/..\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    assertThatThrownBy(() -> NameWithRanges.parse("", InterfaceName::of))
        .hasMessage("entry is empty");
  }

  @Test
  void partitionKeysCompareByValue() {
    assertThat(PartitionKey.parse("0xABCD")).isEqualTo(PartitionKey.parse("abcd"));
    assertThat(PartitionKey.parse("0x1")).hasToString("0x0001");
    assertThatThrownBy(() -> PartitionKey.parse("0x12345"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("partition key \"0x12345\": expected 1-4 hex digits (e.g. 0x7fff)");
    assertThatThrownBy(() -> PartitionKey.parse("0x"))
        .hasMessage("partition key \"0x\": expected 1-4 hex digits (e.g. 0x7fff)");
  }
}
