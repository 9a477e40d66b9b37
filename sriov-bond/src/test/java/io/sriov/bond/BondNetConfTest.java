package io.sriov.bond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.cni.plugin.CniErrorCode;
import io.sriov.cni.plugin.CniException;
import io.sriov.cni.plugin.NetConf;
import io.sriov.core.value.InterfaceName;
import io.sriov.netlink.route.AdSelect;
import io.sriov.netlink.route.ArpValidate;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.FailOverMac;
import io.sriov.netlink.route.LacpRate;
import io.sriov.netlink.route.XmitHashPolicy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every field of the bond netconf, upstream's and the new ones, and every refusal's message. */
class BondNetConfTest {
  static final String LINKS = "\"links\": [{\"name\": \"net1\"}, {\"name\": \"net2\"}]";

  static BondNetConf parse(String fields) {
    String json =
        "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": \"bond\", " + fields + "}";
    return BondNetConf.parse(NetConf.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  static void refused(String fields, String msg) {
    refused(fields, CniErrorCode.INVALID_NETWORK_CONFIG, msg);
  }

  static void refused(String fields, CniErrorCode code, String msg) {
    assertThatThrownBy(() -> parse(fields))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.msg()).isEqualTo(msg);
              assertThat(e.code()).isEqualTo(code);
            });
  }

  @Test
  void upstreamNetconfUnchanged() {
    BondNetConf c =
        parse(
            "\"mode\": \"active-backup\", \"miimon\": \"100\", \"failOverMac\": 1, \"mtu\": 1500,"
                + " \"linksInContainer\": true, \"allSlavesActive\": 1, "
                + LINKS);
    assertThat(c.mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
    assertThat(c.miimon()).isEqualTo(100);
    assertThat(c.failOverMac()).isEqualTo(FailOverMac.ACTIVE);
    assertThat(c.linksInContainer()).isTrue();
    assertThat(c.links()).containsExactly(InterfaceName.of("net1"), InterfaceName.of("net2"));
    assertThat(c.mtu()).isEqualTo(1500);
    assertThat(c.allSlavesActive()).contains(true);
    BondNetConf d =
        parse(
            "\"mode\": \"balance-tlb\", \"miimon\": 50, \"tlbDynamicLb\": 0, "
                + "\"xmitHashPolicy\": \"encap3+4\", "
                + LINKS);
    assertThat(d.miimon()).as("a number too").isEqualTo(50);
    assertThat(d.failOverMac()).as("upstream's default 0").isEqualTo(FailOverMac.NONE);
    assertThat(d.linksInContainer()).isFalse();
    assertThat(d.tlbDynamicLb()).contains(false);
    assertThat(d.xmitHashPolicy()).contains(XmitHashPolicy.ENCAP3_4);
    assertThat(
            parse(
                    "\"mode\": \"balance-rr\", \"miimon\": \"100\", \"failOverMac\": \"follow\", "
                        + LINKS)
                .failOverMac())
        .isEqualTo(FailOverMac.FOLLOW);
    for (BondMode m : BondMode.values()) {
      assertThat(parse("\"mode\": \"" + m.label() + "\", \"miimon\": \"1\", " + LINKS).mode())
          .isEqualTo(m);
    }
  }

  @Test
  void theOptionsUpstreamLacks() {
    BondNetConf lacp =
        parse(
            "\"mode\": \"802.3ad\", \"miimon\": \"100\", \"lacpRate\": \"fast\", \"adSelect\":"
                + " \"count\", \"minLinks\": 2, \"updelay\": 200, \"downdelay\": 0, \"resendIgmp\": 255, "
                + LINKS);
    assertThat(lacp.lacpRate()).contains(LacpRate.FAST);
    assertThat(lacp.adSelect()).contains(AdSelect.COUNT);
    assertThat(lacp.minLinks()).hasValue(2);
    assertThat(lacp.updelay()).hasValue(200);
    assertThat(lacp.downdelay()).hasValue(0);
    assertThat(lacp.resendIgmp()).hasValue(255);
    BondNetConf arp =
        parse(
            "\"mode\": \"active-backup\", \"arpInterval\": 200, \"arpIpTargets\": [\"192.0.2.1\","
                + " \"192.0.2.2\"], \"arpValidate\": \"filter_active\", \"primary\": \"net2\", "
                + LINKS);
    assertThat(arp.miimon()).as("miimon may be left out with ARP monitoring").isZero();
    assertThat(arp.arpInterval()).hasValue(200);
    assertThat(arp.arpIpTargets())
        .extracting(a -> a.getHostAddress())
        .containsExactly("192.0.2.1", "192.0.2.2");
    assertThat(arp.arpValidate()).contains(ArpValidate.FILTER_ACTIVE);
    assertThat(arp.primary()).contains(InterfaceName.of("net2"));
  }

  @Test
  void upstreamFieldRefusals() {
    refused(
        LINKS + ", \"miimon\": \"100\"",
        "mode: missing (one of balance-rr, active-backup, balance-xor, broadcast, 802.3ad,"
            + " balance-tlb, balance-alb)");
    refused(
        "\"mode\": \"round-robin\", \"miimon\": \"100\", " + LINKS,
        "mode \"round-robin\": unknown (one of balance-rr, active-backup, balance-xor, broadcast,"
            + " 802.3ad, balance-tlb, balance-alb)");
    refused(
        "\"mode\": \"balance-rr\", " + LINKS,
        "miimon: missing (link check interval in ms, e.g. \"100\"; or arpInterval with"
            + " arpIpTargets for ARP monitoring)");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"fast\", " + LINKS,
        "miimon \"fast\": not a number of milliseconds");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"-1\", " + LINKS,
        "miimon \"-1\": not a number of milliseconds");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": -5, " + LINKS, "miimon -5: must not be negative");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": 1.5, " + LINKS,
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: miimon: expected an integer, got a number");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"failOverMac\": 3, " + LINKS,
        "failOverMac \"3\": unknown (one of none, active, follow)");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\"",
        "links: missing (the slaves: [{\"name\": \"net1\"}, ...])");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"links\": [{\"name\": \"net1\"}]",
        "links: a bond needs at least 2, got 1");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"links\": {}",
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: links: expected an array of links, got an object");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"links\": [{\"name\": \"net1\"}, {}]",
        "links[1].name: missing");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"links\": [{\"name\": \"net1\"},"
            + " {\"name\": \"net1\"}]",
        "links[1].name \"net1\": listed twice");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"links\": [{\"name\": \"net1\"},"
            + " {\"name\": \"../x\"}]",
        "links[1].name: interface name \"../x\": must not contain '/'");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"mtu\": 60, " + LINKS,
        "mtu 60: below the minimum 68");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"allSlavesActive\": 2, " + LINKS,
        "allSlavesActive 2: must be 0 or 1");
    refused(
        "\"mode\": \"balance-tlb\", \"miimon\": \"1\", \"tlbDynamicLb\": 5, " + LINKS,
        "tlbDynamicLb 5: must be 0 or 1");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"1\", \"tlbDynamicLb\": 1, " + LINKS,
        "tlbDynamicLb: not supported in mode active-backup (only in balance-tlb, balance-alb)");
    refused(
        "\"mode\": \"balance-xor\", \"miimon\": \"1\", \"xmitHashPolicy\": \"layer5\", " + LINKS,
        "xmitHashPolicy \"layer5\": unknown (one of layer2, layer3+4, layer2+3, encap2+3,"
            + " encap3+4, vlan+srcmac)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"1\", \"xmitHashPolicy\": \"layer2\", " + LINKS,
        "xmitHashPolicy: not supported in mode active-backup (only in balance-xor, 802.3ad,"
            + " balance-tlb)");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"1\", \"ipam\": {\"type\": \"bond\"}, " + LINKS,
        "ipam.type \"bond\": the bond plugin is not an IPAM plugin");
  }

  @Test
  void newOptionRefusalsFollowTheKernel() {
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"lacpRate\": \"fast\", " + LINKS,
        "lacpRate: not supported in mode active-backup (only in 802.3ad)");
    refused(
        "\"mode\": \"802.3ad\", \"miimon\": \"100\", \"lacpRate\": \"quick\", " + LINKS,
        "lacpRate \"quick\": unknown (one of slow, fast)");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"100\", \"adSelect\": \"stable\", " + LINKS,
        "adSelect: not supported in mode balance-rr (only in 802.3ad)");
    refused(
        "\"mode\": \"802.3ad\", \"miimon\": \"100\", \"adSelect\": \"best\", " + LINKS,
        "adSelect \"best\": unknown (one of stable, bandwidth, count)");
    refused(
        "\"mode\": \"802.3ad\", \"arpInterval\": 100, \"arpIpTargets\": [\"192.0.2.1\"], " + LINKS,
        "arpInterval: not supported in mode 802.3ad (only in balance-rr, active-backup,"
            + " balance-xor, broadcast)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"arpInterval\": 100,"
            + " \"arpIpTargets\": [\"192.0.2.1\"], "
            + LINKS,
        "miimon 100 and arpInterval 100: the bonding driver runs one link monitor (set miimon to"
            + " \"0\" for ARP monitoring)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, " + LINKS,
        "arpInterval 100: needs arpIpTargets (without a target every slave is down)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"arpIpTargets\": [\"192.0.2.1\"], "
            + LINKS,
        "arpIpTargets: need arpInterval > 0 (the ARP monitor that probes them)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": -1, " + LINKS,
        "arpInterval -1: must not be negative");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"fd00::1\"], "
            + LINKS,
        "arpIpTargets[0] \"fd00::1\": the ARP monitor probes IPv4 addresses only");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"gw\"], " + LINKS,
        "arpIpTargets[0]: IP address \"gw\": not an IPv4 or IPv6 literal");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"0.0.0.0\"], "
            + LINKS,
        "arpIpTargets[0] \"0.0.0.0\": not a usable target (0.0.0.0/8 or the broadcast address)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\":"
            + " [\"255.255.255.255\"], "
            + LINKS,
        "arpIpTargets[0] \"255.255.255.255\": not a usable target (0.0.0.0/8 or the broadcast"
            + " address)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"192.0.2.1\","
            + " \"192.0.2.1\"], "
            + LINKS,
        "arpIpTargets[1] \"192.0.2.1\": listed twice");
    StringBuilder seventeen = new StringBuilder();
    for (int i = 1; i <= 17; i++) {
      seventeen.append(i > 1 ? ", " : "").append("\"192.0.2.").append(i).append('"');
    }
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": ["
            + seventeen
            + "], "
            + LINKS,
        "arpIpTargets: at most 16 addresses, got 17");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"arpValidate\": \"all\", " + LINKS,
        "arpValidate: needs arpInterval > 0 (it validates the ARP monitor's probes)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"192.0.2.1\"],"
            + " \"arpValidate\": \"most\", "
            + LINKS,
        "arpValidate \"most\": unknown (one of none, active, backup, all, filter, filter_active,"
            + " filter_backup)");
    refused(
        "\"mode\": \"balance-alb\", \"miimon\": \"100\", \"arpValidate\": \"all\", " + LINKS,
        "arpValidate: not supported in mode balance-alb (only in balance-rr, active-backup,"
            + " balance-xor, broadcast)");
    refused(
        "\"mode\": \"balance-rr\", \"miimon\": \"100\", \"primary\": \"net1\", " + LINKS,
        "primary: not supported in mode balance-rr (only in active-backup, balance-tlb,"
            + " balance-alb)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"primary\": \"net3\", " + LINKS,
        "primary \"net3\": not one of links (net1, net2)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"primary\": \"a/b\", " + LINKS,
        "primary: interface name \"a/b\": must not contain '/'");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"updelay\": 150, " + LINKS,
        "updelay 150: not a multiple of miimon 100 (the bonding driver would round it down to"
            + " 100)");
    refused(
        "\"mode\": \"active-backup\", \"arpInterval\": 100, \"arpIpTargets\": [\"192.0.2.1\"],"
            + " \"downdelay\": 200, "
            + LINKS,
        "downdelay 200: needs miimon > 0 (the delay counts MII link checks)");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"downdelay\": -100, " + LINKS,
        "downdelay -100: must not be negative");
    refused(
        "\"mode\": \"802.3ad\", \"miimon\": \"100\", \"minLinks\": -1, " + LINKS,
        "minLinks -1: must not be negative");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"resendIgmp\": 256, " + LINKS,
        "resendIgmp 256: must be 0-255");
    refused(
        "\"mode\": \"active-backup\", \"miimon\": \"100\", \"resendIgmp\": \"2\", " + LINKS,
        CniErrorCode.DECODING_FAILURE,
        "error unmarshall network config: resendIgmp: expected an integer, got a string");
  }
}
