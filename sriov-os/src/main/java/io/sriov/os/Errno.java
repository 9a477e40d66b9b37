package io.sriov.os;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.List;

/**
 * A Linux errno value, open like the kernel's numbering: the constants below are the ones this
 * project names in code, {@link #of(int)} keeps any other positive number with its number. Names
 * and {@code strerror(3)} texts are glibc's for the generic numbering of x86_64 and arm64 ({@code
 * include/uapi/asm-generic/errno*.h}); a number without one reads {@code E<n>} / {@code Unknown
 * error <n>}.
 *
 * <p>An errno always comes from the system call that failed (the binding's saved errno, see {@link
 * SyscallException}) or from the kernel's answer (a netlink NLMSG_ERROR); it is never recovered
 * from an exception's message text.
 *
 * @param number the positive errno number, e.g. 16 for EBUSY
 */
public record Errno(int number) {
  public static final Errno EPERM = new Errno(1);
  public static final Errno ENOENT = new Errno(2);
  public static final Errno ESRCH = new Errno(3);
  public static final Errno EINTR = new Errno(4);
  public static final Errno EIO = new Errno(5);
  public static final Errno ENXIO = new Errno(6);
  public static final Errno EAGAIN = new Errno(11);
  public static final Errno ENOMEM = new Errno(12);
  public static final Errno EACCES = new Errno(13);
  public static final Errno EBUSY = new Errno(16);
  public static final Errno EEXIST = new Errno(17);
  public static final Errno ENODEV = new Errno(19);
  public static final Errno ENOTDIR = new Errno(20);
  public static final Errno EISDIR = new Errno(21);
  public static final Errno EINVAL = new Errno(22);
  public static final Errno ENOSPC = new Errno(28);
  public static final Errno EROFS = new Errno(30);
  public static final Errno ERANGE = new Errno(34);
  public static final Errno ENOSYS = new Errno(38);
  public static final Errno ENOTEMPTY = new Errno(39);
  public static final Errno ELOOP = new Errno(40);
  public static final Errno ENODATA = new Errno(61);
  public static final Errno EMSGSIZE = new Errno(90);
  public static final Errno EPROTONOSUPPORT = new Errno(93);
  public static final Errno EOPNOTSUPP = new Errno(95);
  public static final Errno EADDRNOTAVAIL = new Errno(99);
  public static final Errno ENETDOWN = new Errno(100);
  public static final Errno ENETUNREACH = new Errno(101);
  public static final Errno ENOBUFS = new Errno(105);
  public static final Errno ETIMEDOUT = new Errno(110);
  public static final Errno EHOSTUNREACH = new Errno(113);

  /** Every named constant, so that {@link #of(int)} returns the same instance for them. */
  private static final List<Errno> NAMED =
      List.of(
          EPERM,
          ENOENT,
          ESRCH,
          EINTR,
          EIO,
          ENXIO,
          EAGAIN,
          ENOMEM,
          EACCES,
          EBUSY,
          EEXIST,
          ENODEV,
          ENOTDIR,
          EISDIR,
          EINVAL,
          ENOSPC,
          EROFS,
          ERANGE,
          ENOSYS,
          ENOTEMPTY,
          ELOOP,
          ENODATA,
          EMSGSIZE,
          EPROTONOSUPPORT,
          EOPNOTSUPP,
          EADDRNOTAVAIL,
          ENETDOWN,
          ENETUNREACH,
          ENOBUFS,
          ETIMEDOUT,
          EHOSTUNREACH);

  public Errno {
    if (number <= 0) {
      throw new IllegalArgumentException("errno must be positive: " + number);
    }
  }

  /** The errno with this number: the named constant when there is one, else a new value. */
  public static Errno of(int number) {
    for (Errno e : NAMED) {
      if (e.number == number) {
        return e;
      }
    }
    return new Errno(number);
  }

  /**
   * The errno behind a failed file operation: a {@link SyscallException}'s own; for the JDK's typed
   * exceptions the errno their type stands for ({@link NoSuchFileException} ENOENT, {@link
   * AccessDeniedException} EACCES, {@link NotDirectoryException} ENOTDIR, {@link NotLinkException}
   * EINVAL, {@link FileAlreadyExistsException} EEXIST, {@link DirectoryNotEmptyException}
   * ENOTEMPTY, {@link FileSystemLoopException} ELOOP); EIO for any other exception, whose number
   * the JDK keeps to itself (only the portable NIO fallbacks, used where {@link Libc} is
   * unavailable, produce such exceptions).
   */
  public static Errno of(IOException e) {
    return switch (e) {
      case SyscallException s -> s.errno();
      case NoSuchFileException x -> ENOENT;
      case AccessDeniedException x -> EACCES;
      case NotDirectoryException x -> ENOTDIR;
      case NotLinkException x -> EINVAL;
      case FileAlreadyExistsException x -> EEXIST;
      case DirectoryNotEmptyException x -> ENOTEMPTY;
      case FileSystemLoopException x -> ELOOP;
      default -> EIO;
    };
  }

  /** True when glibc has a name for this number. */
  public boolean known() {
    return number < TABLE.length && TABLE[number] != null;
  }

  /** The symbolic name, e.g. {@code EBUSY}; {@code E<n>} for a number without one. */
  public String name() {
    return known() ? TABLE[number][0] : "E" + number;
  }

  /** glibc's {@code strerror} text, e.g. {@code Device or resource busy}. */
  public String description() {
    return known() ? TABLE[number][1] : "Unknown error " + number;
  }

  /** {@code EBUSY (Device or resource busy)}: how the project's messages show an errno. */
  public String describe() {
    return name() + " (" + description() + ")";
  }

  /** The symbolic name. */
  @Override
  public String toString() {
    return name();
  }

  /** Name and strerror text by number (null: glibc has none). */
  private static final String[][] TABLE = {
    null, // 0
    {"EPERM", "Operation not permitted"}, // 1
    {"ENOENT", "No such file or directory"}, // 2
    {"ESRCH", "No such process"}, // 3
    {"EINTR", "Interrupted system call"}, // 4
    {"EIO", "Input/output error"}, // 5
    {"ENXIO", "No such device or address"}, // 6
    {"E2BIG", "Argument list too long"}, // 7
    {"ENOEXEC", "Exec format error"}, // 8
    {"EBADF", "Bad file descriptor"}, // 9
    {"ECHILD", "No child processes"}, // 10
    {"EAGAIN", "Resource temporarily unavailable"}, // 11
    {"ENOMEM", "Cannot allocate memory"}, // 12
    {"EACCES", "Permission denied"}, // 13
    {"EFAULT", "Bad address"}, // 14
    {"ENOTBLK", "Block device required"}, // 15
    {"EBUSY", "Device or resource busy"}, // 16
    {"EEXIST", "File exists"}, // 17
    {"EXDEV", "Invalid cross-device link"}, // 18
    {"ENODEV", "No such device"}, // 19
    {"ENOTDIR", "Not a directory"}, // 20
    {"EISDIR", "Is a directory"}, // 21
    {"EINVAL", "Invalid argument"}, // 22
    {"ENFILE", "Too many open files in system"}, // 23
    {"EMFILE", "Too many open files"}, // 24
    {"ENOTTY", "Inappropriate ioctl for device"}, // 25
    {"ETXTBSY", "Text file busy"}, // 26
    {"EFBIG", "File too large"}, // 27
    {"ENOSPC", "No space left on device"}, // 28
    {"ESPIPE", "Illegal seek"}, // 29
    {"EROFS", "Read-only file system"}, // 30
    {"EMLINK", "Too many links"}, // 31
    {"EPIPE", "Broken pipe"}, // 32
    {"EDOM", "Numerical argument out of domain"}, // 33
    {"ERANGE", "Numerical result out of range"}, // 34
    {"EDEADLK", "Resource deadlock avoided"}, // 35
    {"ENAMETOOLONG", "File name too long"}, // 36
    {"ENOLCK", "No locks available"}, // 37
    {"ENOSYS", "Function not implemented"}, // 38
    {"ENOTEMPTY", "Directory not empty"}, // 39
    {"ELOOP", "Too many levels of symbolic links"}, // 40
    null, // 41
    {"ENOMSG", "No message of desired type"}, // 42
    {"EIDRM", "Identifier removed"}, // 43
    {"ECHRNG", "Channel number out of range"}, // 44
    {"EL2NSYNC", "Level 2 not synchronized"}, // 45
    {"EL3HLT", "Level 3 halted"}, // 46
    {"EL3RST", "Level 3 reset"}, // 47
    {"ELNRNG", "Link number out of range"}, // 48
    {"EUNATCH", "Protocol driver not attached"}, // 49
    {"ENOCSI", "No CSI structure available"}, // 50
    {"EL2HLT", "Level 2 halted"}, // 51
    {"EBADE", "Invalid exchange"}, // 52
    {"EBADR", "Invalid request descriptor"}, // 53
    {"EXFULL", "Exchange full"}, // 54
    {"ENOANO", "No anode"}, // 55
    {"EBADRQC", "Invalid request code"}, // 56
    {"EBADSLT", "Invalid slot"}, // 57
    null, // 58
    {"EBFONT", "Bad font file format"}, // 59
    {"ENOSTR", "Device not a stream"}, // 60
    {"ENODATA", "No data available"}, // 61
    {"ETIME", "Timer expired"}, // 62
    {"ENOSR", "Out of streams resources"}, // 63
    {"ENONET", "Machine is not on the network"}, // 64
    {"ENOPKG", "Package not installed"}, // 65
    {"EREMOTE", "Object is remote"}, // 66
    {"ENOLINK", "Link has been severed"}, // 67
    {"EADV", "Advertise error"}, // 68
    {"ESRMNT", "Srmount error"}, // 69
    {"ECOMM", "Communication error on send"}, // 70
    {"EPROTO", "Protocol error"}, // 71
    {"EMULTIHOP", "Multihop attempted"}, // 72
    {"EDOTDOT", "RFS specific error"}, // 73
    {"EBADMSG", "Bad message"}, // 74
    {"EOVERFLOW", "Value too large for defined data type"}, // 75
    {"ENOTUNIQ", "Name not unique on network"}, // 76
    {"EBADFD", "File descriptor in bad state"}, // 77
    {"EREMCHG", "Remote address changed"}, // 78
    {"ELIBACC", "Can not access a needed shared library"}, // 79
    {"ELIBBAD", "Accessing a corrupted shared library"}, // 80
    {"ELIBSCN", ".lib section in a.out corrupted"}, // 81
    {"ELIBMAX", "Attempting to link in too many shared libraries"}, // 82
    {"ELIBEXEC", "Cannot exec a shared library directly"}, // 83
    {"EILSEQ", "Invalid or incomplete multibyte or wide character"}, // 84
    {"ERESTART", "Interrupted system call should be restarted"}, // 85
    {"ESTRPIPE", "Streams pipe error"}, // 86
    {"EUSERS", "Too many users"}, // 87
    {"ENOTSOCK", "Socket operation on non-socket"}, // 88
    {"EDESTADDRREQ", "Destination address required"}, // 89
    {"EMSGSIZE", "Message too long"}, // 90
    {"EPROTOTYPE", "Protocol wrong type for socket"}, // 91
    {"ENOPROTOOPT", "Protocol not available"}, // 92
    {"EPROTONOSUPPORT", "Protocol not supported"}, // 93
    {"ESOCKTNOSUPPORT", "Socket type not supported"}, // 94
    {"EOPNOTSUPP", "Operation not supported"}, // 95
    {"EPFNOSUPPORT", "Protocol family not supported"}, // 96
    {"EAFNOSUPPORT", "Address family not supported by protocol"}, // 97
    {"EADDRINUSE", "Address already in use"}, // 98
    {"EADDRNOTAVAIL", "Cannot assign requested address"}, // 99
    {"ENETDOWN", "Network is down"}, // 100
    {"ENETUNREACH", "Network is unreachable"}, // 101
    {"ENETRESET", "Network dropped connection on reset"}, // 102
    {"ECONNABORTED", "Software caused connection abort"}, // 103
    {"ECONNRESET", "Connection reset by peer"}, // 104
    {"ENOBUFS", "No buffer space available"}, // 105
    {"EISCONN", "Transport endpoint is already connected"}, // 106
    {"ENOTCONN", "Transport endpoint is not connected"}, // 107
    {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"}, // 108
    {"ETOOMANYREFS", "Too many references: cannot splice"}, // 109
    {"ETIMEDOUT", "Connection timed out"}, // 110
    {"ECONNREFUSED", "Connection refused"}, // 111
    {"EHOSTDOWN", "Host is down"}, // 112
    {"EHOSTUNREACH", "No route to host"}, // 113
    {"EALREADY", "Operation already in progress"}, // 114
    {"EINPROGRESS", "Operation now in progress"}, // 115
    {"ESTALE", "Stale file handle"}, // 116
    {"EUCLEAN", "Structure needs cleaning"}, // 117
    {"ENOTNAM", "Not a XENIX named type file"}, // 118
    {"ENAVAIL", "No XENIX semaphores available"}, // 119
    {"EISNAM", "Is a named type file"}, // 120
    {"EREMOTEIO", "Remote I/O error"}, // 121
    {"EDQUOT", "Disk quota exceeded"}, // 122
    {"ENOMEDIUM", "No medium found"}, // 123
    {"EMEDIUMTYPE", "Wrong medium type"}, // 124
    {"ECANCELED", "Operation canceled"}, // 125
    {"ENOKEY", "Required key not available"}, // 126
    {"EKEYEXPIRED", "Key has expired"}, // 127
    {"EKEYREVOKED", "Key has been revoked"}, // 128
    {"EKEYREJECTED", "Key was rejected by service"}, // 129
    {"EOWNERDEAD", "Owner died"}, // 130
    {"ENOTRECOVERABLE", "State not recoverable"}, // 131
    {"ERFKILL", "Operation not possible due to RF-kill"}, // 132
  };
}
