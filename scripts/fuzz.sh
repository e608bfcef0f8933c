#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang into build-fuzz/ and runs
# each in turn, one at a time, for a fixed time.
#   scripts/fuzz.sh                        every target, 300 s each
#   scripts/fuzz.sh --seconds 60 npy eqm   the named targets, 60 s each
#   scripts/fuzz.sh --build-only
# Each target starts from its seeds in fuzz/corpus/<target>/ (never written
# to) and from what earlier runs found in build-fuzz/corpus/<target>/.
# Findings (crash-*, leak-*, timeout-*, oom-*) land in
# build-fuzz/findings/<target>/, logs in build-fuzz/logs/. Exits non-zero when
# any target had a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
build_only=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

all_targets=(pytorch_checkpoint pytorch_pickle onnx tflite eqm npy image)
((${#targets[@]})) || targets=("${all_targets[@]}")

# Longest input per target: a few times the largest seed, so mutations can
# grow a file without the fuzzer spending its time on megabytes.
declare -A max_len=(
  [pytorch_checkpoint]=65536 [pytorch_pickle]=16384 [onnx]=32768 [tflite]=32768
  [eqm]=32768 [npy]=12288 [image]=16384
)

cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DEDGEPORT_FUZZ=ON >/dev/null
nice ninja -C build-fuzz "${targets[@]/#/fuzz_}"
((build_only)) && exit 0

# The sanitizers stop at the first report; libFuzzer then saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p build-fuzz/logs
failed=()
for target in "${targets[@]}"; do
  [[ -n "${max_len[$target]:-}" ]] || { echo "fuzz: no target '$target' (${all_targets[*]})" >&2; exit 2; }
  work=build-fuzz/corpus/$target
  findings=build-fuzz/findings/$target
  log=build-fuzz/logs/$target.log
  mkdir -p "$work" "$findings"
  options=(-max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 -rss_limit_mb=2048
           -artifact_prefix="$findings/" -print_final_stats=1)
  [[ -f fuzz/dict/$target.dict ]] && options+=(-dict="fuzz/dict/$target.dict")
  status=0
  start=$SECONDS
  nice "build-fuzz/fuzz/fuzz_$target" "${options[@]}" "$work" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: ${executions:-?} executions in $((SECONDS - start)) s, corpus $(find "$work" -type f | wc -l) +" \
       "$(find "fuzz/corpus/$target" -type f | wc -l) seeds, exit $status"
  if ((status != 0)); then
    failed+=("$target")
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|terminate called|  what\(\))' "$log" | head -5 || true
    grep -E '^(artifact_prefix|Test unit written)' "$log" | tail -2 || true
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}; inputs in build-fuzz/findings/, logs in build-fuzz/logs/" >&2
  exit 1
fi
