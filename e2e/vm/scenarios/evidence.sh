# Sourced by the guest scenario scripts: how a step records its evidence. The caller sets R (its
# evidence folder under $SRIOV_E2E_OUT) first. Every step records under $R/<step>/: for each
# command NAME.out, NAME.err and NAME.rc (exit status), plus plain values; the host-side *E2E test
# judges them.
step_dir=""
T0=$(date +%s%N)
# step NAME: starts a step (its folder), printing the time since the script started.
step() {
  step_dir="$R/$1"; mkdir -p "$step_dir"
  echo "== $1 (at $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
}
# rec NAME cmd...: runs cmd, recording stdout, stderr and exit status.
rec() {
  local name="$1"; shift
  "$@" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
}
# val NAME VALUE: records a plain value.
val() { printf '%s\n' "$2" >"$step_dir/$1"; }
netdev_of() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1; }
wait_for() { # wait_for SECONDS cmd...: polls every 0.1 s until cmd succeeds or SECONDS passed
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  until "$@"; do
    (( $(date +%s%N) < deadline )) || return 1
    sleep 0.1
  done
}
