package io.sriov.os.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.os.SyscallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private List<String> namesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAndReplacesTheContentLeavingNoTempFile() throws IOException {
    Path target = tmp.resolve("state.json");
    AtomicFiles.write(target, bytes("one"));
    AtomicFiles.write(target, bytes("two"));

    assertThat(Files.readString(target)).isEqualTo("two");
    assertThat(namesIn(tmp)).containsExactly("state.json");
  }

  @Test
  void copiesAFileLargerThanOneTransferWithTheGivenModeLeavingNoTempFile() throws IOException {
    Path source = Files.createDirectories(tmp.resolve("src")).resolve("libjvm.so");
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new SplittableRandom(7).nextBytes(big);
    Files.write(source, big);
    Path target = tmp.resolve("dst/lib/libjvm.so");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "old");

    AtomicFiles.copy(source, target, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    assertThat(mode(target)).isEqualTo("rwxr-xr-x");
    assertThat(namesIn(target.getParent())).containsExactly("libjvm.so");
  }

  @Test
  void aMissingCopySourceLeavesTheTargetAlone() throws IOException {
    Path target = tmp.resolve("kept");
    Files.writeString(target, "old");
    assertThatThrownBy(
            () -> AtomicFiles.copy(tmp.resolve("gone"), target, AtomicFiles.WORLD_READABLE))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessage(tmp.resolve("gone").toString());
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(namesIn(tmp)).containsExactly("kept");
  }

  @Test
  void theDefaultModeIs0600AlsoWhenTheOldFileWasReadableByAll() throws IOException {
    Path target = tmp.resolve("state.json");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

    AtomicFiles.write(target, bytes("new"));

    assertThat(mode(target)).isEqualTo("rw-------");
  }

  @Test
  void anExplicitModeIsSetExactlyWhateverTheUmask() throws IOException {
    Path readable = tmp.resolve("device.json");
    Path shared = tmp.resolve("shared.json");
    AtomicFiles.write(readable, bytes("{}"), AtomicFiles.WORLD_READABLE);
    // Group and others write: a umask of 022 (or 077) would remove these bits at create.
    AtomicFiles.write(shared, bytes("{}"), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThat(mode(readable)).isEqualTo("rw-r--r--");
    assertThat(mode(shared)).isEqualTo("rw-rw-rw-");
  }

  @Test
  void aReadOnlyFileIsWrittenAndReplacedWithMode0444() throws IOException {
    Path file = tmp.resolve("net1-device.json");
    AtomicFiles.write(file, bytes("{\"a\":1}"), AtomicFiles.READ_ONLY);
    AtomicFiles.write(file, bytes("{\"a\":2}"), AtomicFiles.READ_ONLY);

    assertThat(mode(file)).isEqualTo("r--r--r--");
    assertThat(Files.readString(file)).isEqualTo("{\"a\":2}");
    try (var names = Files.list(tmp)) {
      assertThat(names).containsExactly(file);
    }
  }

  @Test
  void createsMissingDirectories() throws IOException {
    Path target = tmp.resolve("a/b/state.json");
    AtomicFiles.write(target, bytes("x"));

    assertThat(Files.readString(target)).isEqualTo("x");
  }

  @Test
  void tempNamesAreUnpredictableAndInTheTargetsDirectory() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      names.add(AtomicFiles.tempName("state.json", new java.security.SecureRandom()));
    }
    assertThat(names)
        .hasSize(1000)
        .allMatch(n -> n.matches("\\.state\\.json\\.[0-9a-f]{16}\\.tmp"));
    // A long name keeps its start only, so the temp name stays within NAME_MAX.
    assertThat(AtomicFiles.tempName("x".repeat(250), new SplittableRandom(1)))
        .matches("\\.x{32}\\.[0-9a-f]{16}\\.tmp");
  }

  @Test
  void aSymlinkPlantedAtTheTempNameIsNotFollowed() throws IOException {
    Path target = tmp.resolve("state.json");
    Path victim = Files.writeString(tmp.resolve("victim"), "keep");
    Path elsewhere = tmp.resolve("not-created");
    // The names the writer will draw, planted before it runs: a symlink to an existing file and a
    // dangling one (O_CREAT without O_EXCL would create its target).
    SplittableRandom names = new SplittableRandom(42);
    Path first = tmp.resolve(AtomicFiles.tempName("state.json", names));
    Path second = tmp.resolve(AtomicFiles.tempName("state.json", names));
    Files.createSymbolicLink(first, victim);
    Files.createSymbolicLink(second, elsewhere);

    AtomicFiles.write(target, bytes("mine"), AtomicFiles.OWNER_ONLY, new SplittableRandom(42));

    assertThat(Files.readString(target)).isEqualTo("mine");
    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(Files.readString(victim)).isEqualTo("keep");
    assertThat(elsewhere).doesNotExist();
    assertThat(Files.isSymbolicLink(first)).isTrue();
    assertThat(Files.isSymbolicLink(second)).isTrue();
  }

  @Test
  void givesUpWhenEveryDrawnNameIsTaken() throws IOException {
    Path target = tmp.resolve("state.json");
    RandomGenerator seven = () -> 7L;
    Path taken = tmp.resolve(".state.json.0000000000000007.tmp");
    Files.writeString(taken, "leftover");

    assertThatThrownBy(() -> AtomicFiles.write(target, bytes("x"), AtomicFiles.OWNER_ONLY, seven))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(
            taken + ": cannot create a temp file for " + target + ": 8 random names were taken");
    assertThat(target).doesNotExist();
    assertThat(Files.readString(taken)).isEqualTo("leftover");
  }

  @Test
  void aSymlinkAtTheTargetIsReplacedNotFollowed() throws IOException {
    Path victim = Files.writeString(tmp.resolve("victim"), "keep");
    Path target = Files.createSymbolicLink(tmp.resolve("state.json"), victim);

    AtomicFiles.write(target, bytes("mine"));

    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(Files.readString(target)).isEqualTo("mine");
    assertThat(Files.readString(victim)).isEqualTo("keep");
  }

  @Test
  void aTargetDirectoryThatIsAFileIsRefusedByName() throws IOException {
    Path file = Files.writeString(tmp.resolve("devinfo"), "not a directory");
    Path target = file.resolve("dp/x.json");

    assertThatThrownBy(() -> AtomicFiles.write(target, bytes("x")))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(target + ": " + file + " is not a directory");
    assertThatThrownBy(() -> AtomicFiles.write(file.resolve("x.json"), bytes("x")))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(file.resolve("x.json") + ": " + file + " is not a directory");
    assertThat(Files.readString(file)).isEqualTo("not a directory");
  }

  @Test
  void aFailedRenameRemovesTheTempFileAndKeepsTheTarget() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("state.json"));
    Files.writeString(target.resolve("inside"), "x");

    assertThatThrownBy(() -> AtomicFiles.write(target, bytes("x"))).isInstanceOf(IOException.class);
    assertThat(namesIn(tmp)).containsExactly("state.json");
    assertThat(namesIn(target)).containsExactly("inside");
  }

  @Test
  void aFailedRenameNamesTheCallTheTempFileAndTheErrno() throws IOException {
    Path target = Files.createDirectory(tmp.resolve("state.json"));
    Files.writeString(target.resolve("inside"), "x");
    Path temp = tmp.resolve(AtomicFiles.tempName("state.json", new SplittableRandom(42)));

    // libc's renameat refuses to put a file over a directory
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target, bytes("x"), AtomicFiles.OWNER_ONLY, new SplittableRandom(42)))
        .isInstanceOf(SyscallException.class)
        .hasMessage("rename " + temp + ": EISDIR (Is a directory)");
    assertThat(namesIn(tmp)).containsExactly("state.json");
  }

  @Test
  void thePortableWayWritesTheSameFileWithTheSameModeCreatingDirectories() throws IOException {
    Path viaLibc = tmp.resolve("libc/a/net1-device.json");
    Path portable = tmp.resolve("nio/a/net1-device.json");
    for (String content : List.of("{\"a\":1}", "{\"a\":2}")) {
      AtomicFiles.write(viaLibc, bytes(content), AtomicFiles.READ_ONLY, new SplittableRandom(3));
      AtomicFiles.writePortable(
          portable, bytes(content), AtomicFiles.READ_ONLY, new SplittableRandom(3));
    }

    assertThat(Files.readString(viaLibc)).isEqualTo("{\"a\":2}");
    assertThat(Files.readString(portable)).isEqualTo("{\"a\":2}");
    assertThat(mode(viaLibc)).isEqualTo("r--r--r--").isEqualTo(mode(portable));
    assertThat(namesIn(viaLibc.getParent())).containsExactly("net1-device.json");
    assertThat(namesIn(portable.getParent())).containsExactly("net1-device.json");
  }

  @Test
  void thePortableWayRefusesTakenNamesAndNonDirectoriesWithTheSameMessages() throws IOException {
    Path target = tmp.resolve("state.json");
    Path taken = Files.writeString(tmp.resolve(".state.json.0000000000000007.tmp"), "leftover");
    assertThatThrownBy(
            () -> AtomicFiles.writePortable(target, bytes("x"), AtomicFiles.OWNER_ONLY, () -> 7L))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(
            taken + ": cannot create a temp file for " + target + ": 8 random names were taken");
    Path inFile = taken.resolve("x.json");
    assertThatThrownBy(
            () ->
                AtomicFiles.writePortable(
                    inFile, bytes("x"), AtomicFiles.OWNER_ONLY, new SplittableRandom(1)))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(inFile + ": " + taken + " is not a directory");
    assertThat(target).doesNotExist();
  }

  @Test
  void readIfPresentReadsTheWholeFileAndAnswersEmptyForAnAbsentOne() throws IOException {
    byte[] big = new byte[40 * 1024 + 3]; // more than one read's chunk
    new SplittableRandom(5).nextBytes(big);
    Path file = tmp.resolve("pci/0000:01:10.0");
    AtomicFiles.write(file, big);
    Path empty = Files.createFile(tmp.resolve("empty"));

    assertThat(AtomicFiles.readIfPresent(file))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    assertThat(AtomicFiles.readIfPresent(empty)).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(AtomicFiles.readIfPresent(tmp.resolve("pci/0000:01:10.1"))).isEmpty();
    assertThat(AtomicFiles.readIfPresent(tmp.resolve("absent/dir/file"))).isEmpty();
  }

  @Test
  void readIfPresentNamesAFailureOtherThanAbsence() throws IOException {
    Path file = Files.writeString(tmp.resolve("pci"), "a file, not a directory");
    Path under = file.resolve("0000:01:10.0");

    assertThatThrownBy(() -> AtomicFiles.readIfPresent(under))
        .isInstanceOf(SyscallException.class)
        .hasMessage("open " + under + ": ENOTDIR (Not a directory)");
    assertThatThrownBy(() -> AtomicFiles.readIfPresent(tmp))
        .isInstanceOf(SyscallException.class)
        .hasMessage("read " + tmp + ": EISDIR (Is a directory)");
  }

  @Test
  void modeBitsAreTheOctalModes() {
    assertThat(AtomicFiles.bits(AtomicFiles.OWNER_ONLY)).isEqualTo(0600);
    assertThat(AtomicFiles.bits(AtomicFiles.WORLD_READABLE)).isEqualTo(0644);
    assertThat(AtomicFiles.bits(AtomicFiles.READ_ONLY)).isEqualTo(0444);
    assertThat(AtomicFiles.bits(PosixFilePermissions.fromString("rwxr-x--x"))).isEqualTo(0751);
  }

  @Test
  void removeTempFilesRemovesOnlyTempNames() throws IOException {
    Path leftover = Files.writeString(tmp.resolve(".state.json.0123456789abcdef.tmp"), "x");
    Path link =
        Files.createSymbolicLink(
            tmp.resolve(".cdi.json.fedcba9876543210.tmp"),
            Files.writeString(tmp.resolve("t"), "t"));
    Files.createDirectory(tmp.resolve(".dir.0123456789abcdef.tmp"));
    Files.writeString(tmp.resolve("state.json"), "keep");
    Files.writeString(tmp.resolve(".hidden"), "keep");
    Files.writeString(tmp.resolve("x.tmp"), "keep");
    Files.writeString(tmp.resolve(".state.json.0123456789ABCDEF.tmp"), "keep");
    Files.writeString(tmp.resolve(".state.json.12345.tmp"), "keep");

    assertThat(AtomicFiles.removeTempFiles(tmp)).containsExactly(link, leftover);
    assertThat(namesIn(tmp))
        .containsExactly(
            ".dir.0123456789abcdef.tmp",
            ".hidden",
            ".state.json.0123456789ABCDEF.tmp",
            ".state.json.12345.tmp",
            "state.json",
            "t",
            "x.tmp");
    assertThat(Files.readString(tmp.resolve("t"))).isEqualTo("t");
  }

  @Test
  void removeTempFilesOfAMissingDirectoryRemovesNothing() throws IOException {
    assertThat(AtomicFiles.removeTempFiles(tmp.resolve("absent"))).isEmpty();
  }
}
