# Summarises a dotnet-trace "dotnet-sampled-thread-time" trace converted to speedscope JSON
# (dotnet-trace convert --format speedscope X.nettrace). Only samples whose leaf is CPU_TIME (a thread
# in managed code) are counted. Usage: python3 speedscope_summary.py X.speedscope.json top [N]
#                                    python3 speedscope_summary.py X.speedscope.json callers REGEX [DEPTH]
import json, sys, collections, re
import os
ONLY = os.environ.get('ONLY', 'cpu')
d = json.load(open(sys.argv[1]))
frames = [f['name'] for f in d['shared']['frames']]
WAIT = re.compile(r'WaitNative|WaitOneNoCheck|Monitor\.Wait\(|LowLevelSpinWaiter|Thread\.Sleep|WaitForSignal|SleepEx|Interop\+Sys\.|epoll|LowLevelLifoSemaphore\.Wait')
excl = collections.Counter(); incl = collections.Counter(); total = 0.0
stacks = collections.Counter()
for p in d['profiles']:
    stack = []; last = None
    for e in p['events']:
        t = e['at']
        if last is not None and stack:
            dt = t - last
            leaf = frames[stack[-1]]
            keep = (leaf == 'CPU_TIME') if ONLY == 'cpu' else (leaf == 'UNMANAGED_CODE_TIME') if ONLY == 'blocked' else True
            if keep and len(stack) > 1:
                leaf = frames[stack[-2]]
                total += dt
                excl[leaf] += dt
                for f in set(stack): incl[frames[f]] += dt
                stacks[tuple(stack)] += dt
        last = t
        if e['type'] == 'O': stack.append(e['frame'])
        else:
            # close: pop to the frame
            while stack:
                f = stack.pop()
                if f == e['frame']: break
mode = sys.argv[2] if len(sys.argv) > 2 else 'top'
def short(s): return s[:110]
if mode == 'top':
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    print(f'non-wait time total {total:.0f} ms')
    print('--- inclusive'); [print(f'{v/total*100:6.2f}%  {short(k)}') for k, v in incl.most_common(n)]
    print('--- exclusive'); [print(f'{v/total*100:6.2f}%  {short(k)}') for k, v in excl.most_common(n)]
elif mode == 'callers':
    pat = re.compile(sys.argv[3]); depth = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    c = collections.Counter()
    for st, v in stacks.items():
        names = [frames[f] for f in st]
        for i, nm in enumerate(names):
            if pat.search(nm):
                c[' <- '.join(short(x)[:70] for x in reversed(names[max(0, i-depth):i]))] += v; break
    [print(f'{v/total*100:6.2f}%  {k}') for k, v in c.most_common(25)]
