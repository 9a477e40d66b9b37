# Sourced by the launchers that read a checked-in list of JVM flags: bin/cni/sriov and bin/cni/bond
# (cni-plugin's standalone-jvm.flags, which node-image's host launchers read through
# StandaloneJvmFlags), bin/sriov-node and node-image's src/build/rootfs.sh (config-daemon-app's
# daemon-jvm.flags). Each list says why each of its flags is there.
# Usage: jvm_flags_into ARRAY FILE FEATURE: appends FILE's flags for a JDK of feature version
# FEATURE to the array named ARRAY. Format: one flag per line; '#' lines and blank lines are
# skipped; "NN+ flag" applies from JDK NN on; a flag holds no single quote (the image writes the
# flags into a java @argument file and into single-quoted launcher lines). Any other line is an
# error naming FILE and the line (returns 1; nothing appended). StandaloneJvmFlags reads the same
# format in Java; config-daemon-app's JvmFlagsReadersAgreeTest feeds both the same lists.
jvm_flags_into() {
  local -n _into=$1
  local file=$2 feature=${3:-0} line n=0 words
  local -a found=()
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    read -r -a words <<<"$line"
    case "${words[0]:-}:${words[*]:1}" in '#'*) ;; *"'"*) words=(x x x) ;; esac # a quoted flag: refused below
    case "${#words[@]}:${words[0]:-}" in
      0:* | *:'#'*) ;;
      1:-*) found+=("${words[0]}") ;;
      2:[0-9]+ | 2:[0-9][0-9]+ | 2:[0-9][0-9][0-9]+)
        case "${words[1]}" in -*) ;; *) echo "$file line $n: expected a flag or 'NN+ flag', got: $line" >&2; return 1 ;; esac
        if [ "$feature" -ge "${words[0]%+}" ]; then found+=("${words[1]}"); fi ;;
      *) echo "$file line $n: expected a flag or 'NN+ flag', got: $line" >&2; return 1 ;;
    esac
  done <"$file"
  _into+=("${found[@]}")
}
