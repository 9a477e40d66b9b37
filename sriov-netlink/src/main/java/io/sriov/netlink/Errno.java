package io.sriov.netlink;

/**
 * Linux errno numbers (x86_64/arm64 generic numbering, include/uapi/asm-generic/errno*.h) with
 * their symbolic names and strerror(3) text, so errors read like the kernel's.
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ERANGE = 34;
  public static final int ENODATA = 61;
  public static final int EMSGSIZE = 90;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EOPNOTSUPP = 95;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENOBUFS = 105;
  public static final int ESRCH = 3;
  public static final int EIO = 5;
  public static final int ELOOP = 40;
  public static final int ENETDOWN = 100;
  public static final int ENETUNREACH = 101;
  public static final int EHOSTUNREACH = 113;

  private Errno() {}

  /** The symbolic name, e.g. {@code EEXIST}; {@code E<n>} when unknown. */
  public static String name(int errno) {
    String[] e = lookup(errno);
    return e == null ? "E" + errno : e[0];
  }

  /** The strerror(3) text, e.g. {@code File exists}. */
  public static String description(int errno) {
    String[] e = lookup(errno);
    return e == null ? "Unknown error " + errno : e[1];
  }

  private static String[] lookup(int errno) {
    return switch (errno) {
      case 1 -> new String[] {"EPERM", "Operation not permitted"};
      case 2 -> new String[] {"ENOENT", "No such file or directory"};
      case 3 -> new String[] {"ESRCH", "No such process"};
      case 4 -> new String[] {"EINTR", "Interrupted system call"};
      case 5 -> new String[] {"EIO", "Input/output error"};
      case 6 -> new String[] {"ENXIO", "No such device or address"};
      case 7 -> new String[] {"E2BIG", "Argument list too long"};
      case 8 -> new String[] {"ENOEXEC", "Exec format error"};
      case 9 -> new String[] {"EBADF", "Bad file descriptor"};
      case 10 -> new String[] {"ECHILD", "No child processes"};
      case 11 -> new String[] {"EAGAIN", "Resource temporarily unavailable"};
      case 12 -> new String[] {"ENOMEM", "Cannot allocate memory"};
      case 13 -> new String[] {"EACCES", "Permission denied"};
      case 14 -> new String[] {"EFAULT", "Bad address"};
      case 15 -> new String[] {"ENOTBLK", "Block device required"};
      case 16 -> new String[] {"EBUSY", "Device or resource busy"};
      case 17 -> new String[] {"EEXIST", "File exists"};
      case 18 -> new String[] {"EXDEV", "Invalid cross-device link"};
      case 19 -> new String[] {"ENODEV", "No such device"};
      case 20 -> new String[] {"ENOTDIR", "Not a directory"};
      case 21 -> new String[] {"EISDIR", "Is a directory"};
      case 22 -> new String[] {"EINVAL", "Invalid argument"};
      case 23 -> new String[] {"ENFILE", "Too many open files in system"};
      case 24 -> new String[] {"EMFILE", "Too many open files"};
      case 25 -> new String[] {"ENOTTY", "Inappropriate ioctl for device"};
      case 26 -> new String[] {"ETXTBSY", "Text file busy"};
      case 27 -> new String[] {"EFBIG", "File too large"};
      case 28 -> new String[] {"ENOSPC", "No space left on device"};
      case 29 -> new String[] {"ESPIPE", "Illegal seek"};
      case 30 -> new String[] {"EROFS", "Read-only file system"};
      case 31 -> new String[] {"EMLINK", "Too many links"};
      case 32 -> new String[] {"EPIPE", "Broken pipe"};
      case 33 -> new String[] {"EDOM", "Numerical argument out of domain"};
      case 34 -> new String[] {"ERANGE", "Numerical result out of range"};
      case 35 -> new String[] {"EDEADLK", "Resource deadlock avoided"};
      case 36 -> new String[] {"ENAMETOOLONG", "File name too long"};
      case 37 -> new String[] {"ENOLCK", "No locks available"};
      case 38 -> new String[] {"ENOSYS", "Function not implemented"};
      case 39 -> new String[] {"ENOTEMPTY", "Directory not empty"};
      case 40 -> new String[] {"ELOOP", "Too many levels of symbolic links"};
      case 42 -> new String[] {"ENOMSG", "No message of desired type"};
      case 43 -> new String[] {"EIDRM", "Identifier removed"};
      case 44 -> new String[] {"ECHRNG", "Channel number out of range"};
      case 45 -> new String[] {"EL2NSYNC", "Level 2 not synchronized"};
      case 46 -> new String[] {"EL3HLT", "Level 3 halted"};
      case 47 -> new String[] {"EL3RST", "Level 3 reset"};
      case 48 -> new String[] {"ELNRNG", "Link number out of range"};
      case 49 -> new String[] {"EUNATCH", "Protocol driver not attached"};
      case 50 -> new String[] {"ENOCSI", "No CSI structure available"};
      case 51 -> new String[] {"EL2HLT", "Level 2 halted"};
      case 52 -> new String[] {"EBADE", "Invalid exchange"};
      case 53 -> new String[] {"EBADR", "Invalid request descriptor"};
      case 54 -> new String[] {"EXFULL", "Exchange full"};
      case 55 -> new String[] {"ENOANO", "No anode"};
      case 56 -> new String[] {"EBADRQC", "Invalid request code"};
      case 57 -> new String[] {"EBADSLT", "Invalid slot"};
      case 59 -> new String[] {"EBFONT", "Bad font file format"};
      case 60 -> new String[] {"ENOSTR", "Device not a stream"};
      case 61 -> new String[] {"ENODATA", "No data available"};
      case 62 -> new String[] {"ETIME", "Timer expired"};
      case 63 -> new String[] {"ENOSR", "Out of streams resources"};
      case 64 -> new String[] {"ENONET", "Machine is not on the network"};
      case 65 -> new String[] {"ENOPKG", "Package not installed"};
      case 66 -> new String[] {"EREMOTE", "Object is remote"};
      case 67 -> new String[] {"ENOLINK", "Link has been severed"};
      case 68 -> new String[] {"EADV", "Advertise error"};
      case 69 -> new String[] {"ESRMNT", "Srmount error"};
      case 70 -> new String[] {"ECOMM", "Communication error on send"};
      case 71 -> new String[] {"EPROTO", "Protocol error"};
      case 72 -> new String[] {"EMULTIHOP", "Multihop attempted"};
      case 73 -> new String[] {"EDOTDOT", "RFS specific error"};
      case 74 -> new String[] {"EBADMSG", "Bad message"};
      case 75 -> new String[] {"EOVERFLOW", "Value too large for defined data type"};
      case 76 -> new String[] {"ENOTUNIQ", "Name not unique on network"};
      case 77 -> new String[] {"EBADFD", "File descriptor in bad state"};
      case 78 -> new String[] {"EREMCHG", "Remote address changed"};
      case 79 -> new String[] {"ELIBACC", "Can not access a needed shared library"};
      case 80 -> new String[] {"ELIBBAD", "Accessing a corrupted shared library"};
      case 81 -> new String[] {"ELIBSCN", ".lib section in a.out corrupted"};
      case 82 -> new String[] {"ELIBMAX", "Attempting to link in too many shared libraries"};
      case 83 -> new String[] {"ELIBEXEC", "Cannot exec a shared library directly"};
      case 84 -> new String[] {"EILSEQ", "Invalid or incomplete multibyte or wide character"};
      case 85 -> new String[] {"ERESTART", "Interrupted system call should be restarted"};
      case 86 -> new String[] {"ESTRPIPE", "Streams pipe error"};
      case 87 -> new String[] {"EUSERS", "Too many users"};
      case 88 -> new String[] {"ENOTSOCK", "Socket operation on non-socket"};
      case 89 -> new String[] {"EDESTADDRREQ", "Destination address required"};
      case 90 -> new String[] {"EMSGSIZE", "Message too long"};
      case 91 -> new String[] {"EPROTOTYPE", "Protocol wrong type for socket"};
      case 92 -> new String[] {"ENOPROTOOPT", "Protocol not available"};
      case 93 -> new String[] {"EPROTONOSUPPORT", "Protocol not supported"};
      case 94 -> new String[] {"ESOCKTNOSUPPORT", "Socket type not supported"};
      case 95 -> new String[] {"EOPNOTSUPP", "Operation not supported"};
      case 96 -> new String[] {"EPFNOSUPPORT", "Protocol family not supported"};
      case 97 -> new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"};
      case 98 -> new String[] {"EADDRINUSE", "Address already in use"};
      case 99 -> new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"};
      case 100 -> new String[] {"ENETDOWN", "Network is down"};
      case 101 -> new String[] {"ENETUNREACH", "Network is unreachable"};
      case 102 -> new String[] {"ENETRESET", "Network dropped connection on reset"};
      case 103 -> new String[] {"ECONNABORTED", "Software caused connection abort"};
      case 104 -> new String[] {"ECONNRESET", "Connection reset by peer"};
      case 105 -> new String[] {"ENOBUFS", "No buffer space available"};
      case 106 -> new String[] {"EISCONN", "Transport endpoint is already connected"};
      case 107 -> new String[] {"ENOTCONN", "Transport endpoint is not connected"};
      case 108 -> new String[] {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"};
      case 109 -> new String[] {"ETOOMANYREFS", "Too many references: cannot splice"};
      case 110 -> new String[] {"ETIMEDOUT", "Connection timed out"};
      case 111 -> new String[] {"ECONNREFUSED", "Connection refused"};
      case 112 -> new String[] {"EHOSTDOWN", "Host is down"};
      case 113 -> new String[] {"EHOSTUNREACH", "No route to host"};
      case 114 -> new String[] {"EALREADY", "Operation already in progress"};
      case 115 -> new String[] {"EINPROGRESS", "Operation now in progress"};
      case 116 -> new String[] {"ESTALE", "Stale file handle"};
      case 117 -> new String[] {"EUCLEAN", "Structure needs cleaning"};
      case 118 -> new String[] {"ENOTNAM", "Not a XENIX named type file"};
      case 119 -> new String[] {"ENAVAIL", "No XENIX semaphores available"};
      case 120 -> new String[] {"EISNAM", "Is a named type file"};
      case 121 -> new String[] {"EREMOTEIO", "Remote I/O error"};
      case 122 -> new String[] {"EDQUOT", "Disk quota exceeded"};
      case 123 -> new String[] {"ENOMEDIUM", "No medium found"};
      case 124 -> new String[] {"EMEDIUMTYPE", "Wrong medium type"};
      case 125 -> new String[] {"ECANCELED", "Operation canceled"};
      case 126 -> new String[] {"ENOKEY", "Required key not available"};
      case 127 -> new String[] {"EKEYEXPIRED", "Key has expired"};
      case 128 -> new String[] {"EKEYREVOKED", "Key has been revoked"};
      case 129 -> new String[] {"EKEYREJECTED", "Key was rejected by service"};
      case 130 -> new String[] {"EOWNERDEAD", "Owner died"};
      case 131 -> new String[] {"ENOTRECOVERABLE", "State not recoverable"};
      case 132 -> new String[] {"ERFKILL", "Operation not possible due to RF-kill"};
      default -> null;
    };
  }
}
