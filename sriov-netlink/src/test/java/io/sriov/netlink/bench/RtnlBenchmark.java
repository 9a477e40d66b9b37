package io.sriov.netlink.bench;

import io.sriov.core.value.InterfaceName;
import io.sriov.netlink.codec.MessageWriter;
import io.sriov.netlink.codec.Netlink;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.route.RtnlRequests;
import io.sriov.netlink.socket.NetlinkSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * rtnetlink round trips against the real kernel (root): a warm RTM_GETLINK by ifindex of {@code
 * lo}, and a dump of 1,000 veth links (500 pairs) in a throwaway namespace. Compare {@code
 * getLinkByIndex} with {@code bench/run-c-bench.sh} (same request from C).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RtnlBenchmark {
  static final int VETH_PAIRS = 500;

  NetnsExecutor exec;
  NamedNetns named;
  NetnsName name;
  NetNamespace ns;
  RtnlClient big;
  RtnlClient host;
  NetlinkSocket raw;
  MessageWriter rawRequest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    exec = new NetnsExecutor();
    named = new NamedNetns(NamedNetns.DEFAULT_RUN_DIR, exec);
    name = NetnsName.of("sriovbench-" + NetlinkSocket.getpid());
    named.create(name);
    ns = named.open(name).orElseThrow();
    big = RtnlClient.open(exec, ns);
    for (int i = 0; i < VETH_PAIRS; i++) {
      big.create(new LinkSpec.Veth(InterfaceName.of("bva" + i), InterfaceName.of("bvb" + i)));
    }
    int n = big.links().size();
    if (n != 2 * VETH_PAIRS + 1) {
      throw new IllegalStateException("expected " + (2 * VETH_PAIRS + 1) + " links, got " + n);
    }
    host = RtnlClient.open();
    raw = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    rawRequest = new MessageWriter();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    big.close();
    host.close();
    raw.close();
    ns.close();
    named.delete(name); // the veths go with the namespace
  }

  /** {@code RtnlClient.link(1)}: request build, send, receive, decode into a {@link Link}. */
  @Benchmark
  public Optional<Link> getLinkByIndex() throws Exception {
    return host.link(1);
  }

  /** The same round trip without decoding into a record (socket + codec only). */
  @Benchmark
  public int getLinkByIndexRaw() throws Exception {
    RtnlRequests.getLink(rawRequest, 1, io.sriov.netlink.codec.Rtnetlink.RTEXT_FILTER_SKIP_STATS);
    raw.send(rawRequest.finish(raw.nextSeq()), "bench");
    return raw.receive("bench").limit();
  }

  /** {@code ip link show} of 1,001 links (1,000 veths + lo), decoded. */
  @Benchmark
  public List<Link> dump1000Links() throws Exception {
    return big.links();
  }
}
