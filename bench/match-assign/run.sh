#!/usr/bin/env bash
# `kexie match assign` and SciPy's HiGHS LP side by side, in one run, on the same files:
#   (a) MIDL basic, (b) MIDL with lower loads, (c) a synthetic 1,000 enterprises × 300 experts
#   instance written by synth.py (seeded, every pair scored); then kexie's slotting of (c).
# Each command runs REPEAT times; the table shows medians. "solve ms" is the solver alone
# (kexie's time_ms; HiGHS's linprog call), "wall ms" the whole process including reading the
# files (and, for HiGHS, starting Python and importing SciPy). The totals must agree.
#
#   bench/match-assign/run.sh     (env: MIDL=dir  VENV=/tmp/kexie-bench-venv  REPEAT=3)
#
# SciPy comes from PyPI into VENV (created if it lacks scipy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=target/release/kexie
[ -x "$bin" ] || cargo build --release -p kexie
midl=${MIDL:-../shared/data/assignment/midl}
venv=${VENV:-/tmp/kexie-bench-venv}
repeat=${REPEAT:-3}
if ! "$venv/bin/python" -c 'import scipy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q scipy numpy
fi
work=$(mktemp -d /tmp/kexie-match-assign.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== kexie $(git rev-parse --short HEAD 2>/dev/null || echo '?'), SciPy $("$venv/bin/python" -c 'import scipy; print(scipy.__version__)')"
echo "== synthetic instance: $(python3 "$here/synth.py" "$work/synth")"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" | head -1; }

# row LABEL SOLVER LINE-NUMBER COMMAND...: runs the command REPEAT times, takes total, lowest
# and time_ms from output line LINE-NUMBER, prints a table row and remembers the total.
declare -A totals
row() {
  local label=$1 solver=$2 nth=$3
  shift 3
  local out solve=() wall=()
  for _ in $(seq "$repeat"); do
    local t0 t1
    t0=$(date +%s%N)
    out=$("$@" | sed -n "${nth}p")
    t1=$(date +%s%N)
    solve+=("$(field time_ms <<<"$out")")
    wall+=("$(( (t1 - t0) / 1000000 ))")
  done
  local total lowest
  total=$(field total <<<"$out")
  lowest=$(field lowest <<<"$out")
  totals["$label/$solver"]=$total
  printf '| %-26s | %-16s | %9s | %6s | %9s | %7s |\n' "$label" "$solver" "${total:--}" "${lowest:--}" \
    "$(printf '%s\n' "${solve[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)"
}

kexie() { "$bin" match assign --scores "$1/scores.tsv" --experts "$1/$2" --enterprises "$1/enterprises.tsv" "${@:3}"; }
highs() { "$venv/bin/python" "$here/highs.py" --scores "$1/scores.tsv" --experts "$1/$2" --enterprises "$1/enterprises.tsv"; }

echo
echo "| instance                   | solver           |     total | lowest |  solve ms | wall ms |"
echo "|----------------------------|------------------|----------:|-------:|----------:|--------:|"
for case in "MIDL basic|$midl|experts.tsv" "MIDL lower loads|$midl|experts-lb.tsv" \
            "synthetic 1000x300|$work/synth|experts.tsv"; do
  IFS='|' read -r label dir experts <<<"$case"
  row "$label" "kexie" 1 kexie "$dir" "$experts"
  row "$label" "HiGHS LP (SciPy)" 1 highs "$dir" "$experts"
done
row "MIDL basic" "kexie --fair" 1 kexie "$midl" experts.tsv --fair
row "MIDL lower loads" "kexie --fair" 1 kexie "$midl" experts-lb.tsv --fair
row "synthetic 1000x300" "kexie --fair" 1 kexie "$work/synth" experts.tsv --fair

# Slotting: the busiest person's meetings are the fewest slots that can work (König), and
# enough. 300 experts × 8 slots hold at most 2,400 of the ~5,600 meetings, so 8 cannot.
busiest=$(awk -F'\t' 'NR > 1 && $NF > m { m = $NF } END { print m }' "$work/synth/experts.tsv")
[ "$busiest" -ge 8 ] || busiest=8
slotting=$(kexie "$work/synth" experts.tsv --slots "$busiest" | sed -n 2p)
echo
echo "slotting (c) into $busiest slots (the largest expert load): $slotting"
echo "slotting (c) into 8 slots: $(kexie "$work/synth" experts.tsv --slots 8 2>&1 | sed -n 's/^Error: //p' | head -1)"

status=0
for label in "MIDL basic" "MIDL lower loads" "synthetic 1000x300"; do
  if [ "${totals["$label/kexie"]}" != "${totals["$label/HiGHS LP (SciPy)"]}" ]; then
    echo "MISMATCH on $label: kexie ${totals["$label/kexie"]}, HiGHS ${totals["$label/HiGHS LP (SciPy)"]}" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "totals agree on all three instances"
exit "$status"
