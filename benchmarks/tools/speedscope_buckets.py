# Buckets the managed-code samples of a speedscope JSON (see speedscope_summary.py) by the job-execution
# step they belong to. Usage: python3 speedscope_buckets.py X.speedscope.json [BUCKET-SUBSTRING to list its leaf frames]
import json, sys, collections, re
d = json.load(open(sys.argv[1]))
fr = [f['name'] for f in d['shared']['frames']]
B = [
 ('GC: thread parked for a collection (PollGC)', r'PollGC'),
 ('lock contention (Lock.TryEnterSlow): JobWorker._lock', r'@@WORKERLOCK'),
 ('lock contention (Lock.TryEnterSlow): other locks (journal, gates)', r'Lock\.TryEnterSlow|Monitor\.Enter_Slowpath'),
 ('thread pool: idle spin/wait', r'LowLevelSpinWaiter|LowLevelLifoSemaphore'),
 ('worker listener: JobWorker.OnChanged/Refresh (index update, lock, wake)', r'JobWorker\.(OnChanged|Refresh)'),
 ('journal: SQLite append writer (commit thread)', r'SqliteAppendWriter'),
 ('worker: ScanAsync (reads journal every PollInterval)', r'JobWorker\+<ScanAsync>'),
 ('worker: PutBackAsync (GetStateAsync after each run)', r'JobWorker\+<PutBackAsync>'),
 ('engine: TryClaimAsync', r'TryClaimAsync'),
 ('attempt: renewal timer (PeriodicTimer cancel -> exception)', r'RenewLeaseAsync|PeriodicTimer'),
 ('attempt: RecordAttemptFactAsync (job.attempt.succeeded)', r'RecordAttemptFactAsync'),
 ('attempt: Polly/scope/handler (AttemptRun rest)', r'AttemptRun|Polly'),
 ('engine: CreateJobAsync (submit)', r'CreateJobAsync'),
 ('worker: StartDueRuns / loop', r'JobWorker'),
 ('exceptions elsewhere', r'SetCurrentStackTrace|EH\.Dispatch|StackFrameHelper'),
 ('finalizer thread', r'RunFinalizers'),
]
B = [(n, re.compile(p)) for n, p in B]
c = collections.Counter(); sub = collections.Counter(); total = 0
for p in d['profiles']:
    st = []; last = None
    for e in p['events']:
        if last is not None and st and fr[st[-1]] == 'CPU_TIME':
            dt = e['at'] - last; total += dt
            names = [fr[x] for x in st]
            wl = any('Lock.TryEnterSlow' in x for x in names) and any(re.search(r'JobWorker\.Refresh|JobWorker\+<RunAsync>|JobWorker\.StartDueRuns|JobWorker\+<ExecuteAsync>', x) for x in names)
            for n, rx in B:
                if (rx.pattern == '@@WORKERLOCK' and wl) or any(rx.search(x) for x in names):
                    c[n] += dt
                    if len(sys.argv) > 2 and sys.argv[2] in n: sub[names[-2].split('!')[-1][:120]] += dt
                    break
            else:
                c['other'] += dt
        last = e['at']
        if e['type'] == 'O': st.append(e['frame'])
        else:
            while st:
                if st.pop() == e['frame']: break
print(f'managed CPU samples: {total:.0f} ms')
for n, v in c.most_common(): print(f'{v/total*100:5.1f}%  {n}')

for k, v in sub.most_common(15): print(f'   {v/total*100:5.1f}%  {k}')
