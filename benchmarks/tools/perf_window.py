# Keeps the samples of `perf script` output that fall inside the jobs harness's measured phases.
# Record with the monotonic clock, and let the harness print its phase marks:
#   JM_MARKS=1 DOTNET_PerfMapEnabled=1 perf record -k CLOCK_MONOTONIC -F 4000 -g -e cpu-clock -o X.data \
#       dotnet JobManagement.Benchmarks.dll jobs --only memory ... > X.out
#   perf script -i X.data > X.txt
#   python3 perf_window.py X.txt X.out measured.txt [first-phase]
# Phases are the innermost MARK start/stop pairs in the harness's output, in order; first-phase skips the warm-up ones.
import re, sys

script, marks, out = sys.argv[1], sys.argv[2], sys.argv[3]
first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
stamps = [(m.group(1), int(m.group(2)) / 1e9) for m in re.finditer(r'^MARK (start|stop) (\d+)', open(marks).read(), re.M)]
# A stop closes the latest open start; a phase that holds another (the drain's submission meter holds the drain) is left out.
pairs, open_starts = [], []
for kind, at in stamps:
    if kind == 'start':
        open_starts.append(at)
    elif open_starts:
        pairs.append((open_starts.pop(), at))
phases = sorted(p for p in pairs if not any(q != p and p[0] <= q[0] and q[1] <= p[1] for q in pairs))[first:]
kept = total = 0
with open(out, 'w') as sink:
    for sample in open(script).read().split('\n\n'):
        head = sample.strip().split('\n')[0] if sample.strip() else ''
        found = re.search(r'\s(\d+\.\d+):', head)
        if not found:
            continue
        total += 1
        at = float(found.group(1))
        if any(a <= at <= b for a, b in phases):
            kept += 1
            sink.write(sample.strip() + '\n\n')
print(f'{len(phases)} phases, {kept} of {total} samples kept')
