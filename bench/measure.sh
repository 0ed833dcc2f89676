# Sourced by bench/peers.sh and bench/compare.sh: one whole-process
# measurement under the bench lock, by GNU time.
#
# measure LABEL CMD...: one run of CMD; appends "LABEL wall_s rss_mib op" to
# $out/raw.txt, op being what the command printed as seconds=S (its own
# timing of the operation alone), else the largest "N p99-ms" a Go
# benchmark reported, else 0. Needs $out and $lock.
measure() {
  local label=$1; shift
  local log; log=$(mktemp)
  $lock /usr/bin/time -f "TIME %e %M" "$@" > "$log.out" 2> "$log" || { cat "$log" "$log.out" >&2; exit 1; }
  local wall rss secs p99
  wall=$(awk '/^TIME/ {print $2}' "$log"); rss=$(awk '/^TIME/ {printf "%.0f", $3/1024}' "$log")
  secs=$(grep -o 'seconds=[0-9.]*' "$log.out" | head -1 | cut -d= -f2 || true)
  p99=$(grep -o '[0-9.]* p99-ms' "$log.out" | sort -n | tail -1 | cut -d' ' -f1 || true)
  echo "$label $wall $rss ${secs:-${p99:-0}}" | tee -a "$out/raw.txt"
  rm -f "$log" "$log.out"
}
