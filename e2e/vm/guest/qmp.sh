#!/bin/bash
# Talks to this guest's own QEMU over QMP (the virtio-serial port run-in-guest.sh wires to the
# QEMU monitor). In the guest:
#   qmp.sh set_link pf1 off          # carrier loss on PF 1 (QEMU NIC id pf<i>), then "on"
#   qmp.sh '{"execute":"query-status"}'
# Prints the QMP reply line; exits 0 on {"return":...}, 1 on {"error":...}, 2 on no reply.
set -uo pipefail
port="${SRIOV_E2E_QMP:-}"
[[ -n "$port" && -c "$port" ]] || { echo "qmp.sh: no QMP port (SRIOV_E2E_QMP='$port')" >&2; exit 2; }

case "${1:-}" in
  set_link)
    [[ $# -eq 3 && "$3" =~ ^(on|off)$ ]] || { echo "qmp.sh: usage: set_link <nic-id> on|off" >&2; exit 2; }
    up=false; [[ "$3" == on ]] && up=true
    cmd="{\"execute\":\"set_link\",\"arguments\":{\"name\":\"$2\",\"up\":$up}}" ;;
  \{*) cmd="$1" ;;
  *) echo "qmp.sh: usage: qmp.sh set_link <nic-id> on|off | qmp.sh '<QMP JSON>'" >&2; exit 2 ;;
esac

exec 3<>"$port"
# Reads until a reply (skipping the greeting and asynchronous events); prints it.
reply() {
  local line
  while IFS= read -r -t 10 line <&3; do
    case "$line" in
      *'"return"'*) printf '%s\n' "$line"; return 0 ;;
      *'"error"'*) printf '%s\n' "$line"; return 1 ;;
    esac
  done
  echo "qmp.sh: no reply from QEMU within 10 s" >&2
  return 2
}
# Capabilities negotiation; on the second and later calls QEMU answers with an error that it
# is already done, which is fine.
printf '%s\n' '{"execute":"qmp_capabilities"}' >&3
reply >/dev/null
rc=$?
[[ $rc -eq 2 ]] && exit 2
printf '%s\n' "$cmd" >&3
reply
