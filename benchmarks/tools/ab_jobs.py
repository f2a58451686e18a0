# Alternates two (or more) builds of the benchmarks on the jobs harness and prints, per build, the median of the engine's
# same-round ratio to Quartz.NET with its range, the engine's jobs/s median, and the CPU, allocation and GC-pause ranges.
# This machine's speed drifts by more than most changes: only builds run alternately in one sitting compare.
#   dotnet build benchmarks/JobManagement.Benchmarks -c Release -o /tmp/before   (on the old commit)
#   dotnet build benchmarks/JobManagement.Benchmarks -c Release -o /tmp/after    (on the new one)
#   python3 benchmarks/tools/ab_jobs.py --runs 10 /tmp/before /tmp/after -- --only quartz,memory --warmup 2 --rounds 5
# Settled tiering (DOTNET_TC_CallCountingDelayMs=0) is set for every run; see docs/benchmarks.md.
import os, re, statistics, subprocess, sys

args = sys.argv[1:]
runs = 6
if args[:1] == ['--runs']:
    runs, args = int(args[1]), args[2:]
split = args.index('--') if '--' in args else len(args)
builds, harness = args[:split], args[split + 1:] or ['--only', 'quartz,memory', '--warmup', '2', '--rounds', '5']
env = dict(os.environ, DOTNET_TC_CallCountingDelayMs='0')
results = {build: [] for build in builds}


def number(text):
    return float(text.replace(',', '').strip().rstrip('×%').strip())


for run in range(runs):
    for build in builds:
        out = subprocess.run(['dotnet', os.path.join(build, 'JobManagement.Benchmarks.dll'), 'jobs', *harness],
                             capture_output=True, text=True, env=env, timeout=1800).stdout
        for line in out.splitlines():
            if line.startswith('| JobEngine, in-memory'):
                cells = [c for c in line.split('|')[1:-1]]
                # configuration | jobs | jobs/s | vs Quartz | same round | submissions/s | CPU µs/job | cores | B/job | GC pauses | entries
                results[build].append((number(cells[4]), number(cells[2]), number(cells[6]), number(cells[8]), number(cells[9])))
                print(f'run {run + 1} {build}: same round {cells[4].strip()}, {cells[2].strip()} jobs/s, {cells[6].strip()} CPU µs/job, {cells[9].strip()} GC', flush=True)

for build, rows in results.items():
    if not rows:
        print(f'{build}: no in-memory row (is quartz,memory in --only?)')
        continue
    ratio = [r[0] for r in rows]
    print(f'{build}: same-round ratio median {statistics.median(ratio):.3f}x ({min(ratio):.2f}-{max(ratio):.2f}), '
          f'jobs/s median {statistics.median(r[1] for r in rows):,.0f}, CPU {min(r[2] for r in rows)}-{max(r[2] for r in rows)} us/job, '
          f'{min(r[3] for r in rows):,.0f}-{max(r[3] for r in rows):,.0f} B/job, GC pauses {min(r[4] for r in rows):.0f}-{max(r[4] for r in rows):.0f}%, {len(rows)} runs')
