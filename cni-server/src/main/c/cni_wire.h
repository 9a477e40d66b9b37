/*
 * The sriov-node CNI wire protocol, version 1: the constants both ends share.
 * The protocol is specified in cni-server/README.md ("Wire protocol"); the Java side is
 * io.sriov.cni.server.wire.WireFormat, and WireFormatTest checks that every value here equals
 * the Java one, so the two ends cannot drift apart.
 *
 * Every frame: a 12-byte header, then the body.
 *   offset 0  4 bytes  magic "SCNI"
 *   offset 4  1 byte   version
 *   offset 5  1 byte   kind (request, accepted, answer)
 *   offset 6  2 bytes  reserved, zero
 *   offset 8  4 bytes  body length, unsigned big-endian
 * All integers are unsigned big-endian.
 */
#ifndef CNI_WIRE_H
#define CNI_WIRE_H

#define CNI_WIRE_MAGIC "SCNI"
#define CNI_WIRE_VERSION 1
#define CNI_WIRE_HEADER_SIZE 12

#define CNI_WIRE_KIND_REQUEST 1
#define CNI_WIRE_KIND_ACCEPTED 2
#define CNI_WIRE_KIND_ANSWER 3

/* Request body: u8 name length, name; u16 env count, per entry u32 length + "NAME=VALUE";
 * u32 stdin length, stdin. */
#define CNI_WIRE_MAX_NAME 32
#define CNI_WIRE_MAX_ENV_ENTRIES 64
#define CNI_WIRE_MAX_ENV_ENTRY 16384
#define CNI_WIRE_MAX_STDIN 4194304
#define CNI_WIRE_MAX_REQUEST_BODY 6291456

/* Answer body: u8 exit status; u32 stdout length, stdout; u32 stderr length, stderr. */
#define CNI_WIRE_MAX_STDOUT 4194304
#define CNI_WIRE_MAX_STDERR 1048576
#define CNI_WIRE_MAX_ANSWER_BODY 5242889

/* The environment the shim forwards: the variables whose names start with this. */
#define CNI_WIRE_ENV_PREFIX "CNI_"

#endif
