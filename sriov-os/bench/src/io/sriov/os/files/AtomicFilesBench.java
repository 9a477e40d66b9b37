package io.sriov.os.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * AtomicFiles' two ways of one replace, interleaved in one JVM: the portable java.nio steps and the
 * libc steps through one directory descriptor. Each round writes an upstream-sized cache (1.5 KB)
 * and an allocation file (a netns path) into DIR and DIR/pci, as an ADD does; ms per file.
 * Usage: AtomicFilesBench DIR ROUNDS
 */
public final class AtomicFilesBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Files.createDirectories(dir.resolve("pci"));
    byte[] cache = "x".repeat(1500).getBytes(StandardCharsets.UTF_8);
    byte[] netns = "/var/run/netns/cni-0123".getBytes(StandardCharsets.UTF_8);
    RandomGenerator random = new SecureRandom();
    int warm = 20;
    double[] portable = new double[rounds];
    double[] nativ = new double[rounds];
    for (int i = -warm; i < rounds; i++) {
      long t0 = System.nanoTime();
      AtomicFiles.writePortable(dir.resolve("c-p"), cache, AtomicFiles.OWNER_ONLY, random);
      AtomicFiles.writePortable(dir.resolve("pci/a-p"), netns, AtomicFiles.OWNER_ONLY, random);
      long t1 = System.nanoTime();
      AtomicFiles.write(dir.resolve("c-n"), cache, AtomicFiles.OWNER_ONLY, random);
      AtomicFiles.write(dir.resolve("pci/a-n"), netns, AtomicFiles.OWNER_ONLY, random);
      long t2 = System.nanoTime();
      if (i >= 0) {
        portable[i] = (t1 - t0) / 2e6;
        nativ[i] = (t2 - t1) / 2e6;
      }
    }
    print("portable (java.nio)", portable);
    print("native (libc, dir fd)", nativ);
  }

  private static void print(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(
        "%-22s ms per file: median %.3f (%.3f-%.3f), n=%d%n",
        what, s[s.length / 2], s[0], s[s.length - 1], s.length);
  }
}
