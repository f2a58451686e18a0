using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;

namespace JobManagement;

/// <summary>
/// Tells interested parties in this process that a job's state changed: watchers of one job
/// (<see cref="JobEngine.WatchAsync"/>) and listeners of every job (the worker, parent jobs).
/// Published under the job's gate after an append or catch-up applied something, so listeners
/// see a job's states in order. Nothing is materialised when nobody listens: the ingest hot
/// path pays two reads.
/// </summary>
internal sealed class JobChangeFeed
{
    private readonly ConcurrentDictionary<JobId, ImmutableArray<ChannelWriter<JobState>>> _watchers = new();
    private ImmutableArray<IJobChangeListener> _listeners = [];

    // ConcurrentDictionary.IsEmpty takes every lock of the dictionary: the hot path reads this instead.
    private int _watcherCount;

    public void AddListener(IJobChangeListener listener) =>
        ImmutableInterlocked.Update(ref _listeners, static (list, l) => list.Add(l), listener);

    public void RemoveListener(IJobChangeListener listener) =>
        ImmutableInterlocked.Update(ref _listeners, static (list, l) => list.Remove(l), listener);

    /// <summary>Subscribes to one job's states (the latest wins when the reader is slow).</summary>
    public Subscription Watch(JobId jobId)
    {
        Channel<JobState> channel = Channel.CreateBounded<JobState>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        Interlocked.Increment(ref _watcherCount);
        _watchers.AddOrUpdate(jobId, static (_, w) => [w], static (_, list, w) => list.Add(w), channel.Writer);
        return new Subscription(this, jobId, channel);
    }

    /// <summary>Tells listeners and watchers that the job's state changed.</summary>
    /// <param name="slot">The job's slot, after the change.</param>
    /// <param name="statusBefore">Its status before the change, when this process witnessed it (null for a job just created, or rebuilt from the journal).</param>
    public void Publish(JobSlot slot, JobStatus? statusBefore)
    {
        ImmutableArray<IJobChangeListener> listeners = _listeners; // one reference inside: the read is atomic
        bool watched = Volatile.Read(ref _watcherCount) > 0 && _watchers.ContainsKey(slot.JobId);
        if (listeners.IsEmpty && !watched)
        {
            return;
        }

        JobState? state = null;
        foreach (IJobChangeListener listener in listeners)
        {
            if (listener.IsInterestedIn(slot.Plan, slot.Status))
            {
                listener.OnChanged(slot, statusBefore);
            }
        }

        if (watched && _watchers.TryGetValue(slot.JobId, out ImmutableArray<ChannelWriter<JobState>> writers))
        {
            state ??= slot.State;
            foreach (ChannelWriter<JobState> writer in writers)
            {
                writer.TryWrite(state);
            }
        }
    }

    private void Unwatch(JobId jobId, ChannelWriter<JobState> writer)
    {
        Interlocked.Decrement(ref _watcherCount);
        while (_watchers.TryGetValue(jobId, out ImmutableArray<ChannelWriter<JobState>> list))
        {
            ImmutableArray<ChannelWriter<JobState>> next = list.Remove(writer);
            bool done = next.IsEmpty
                ? _watchers.TryRemove(KeyValuePair.Create(jobId, list))
                : _watchers.TryUpdate(jobId, next, list);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>One watcher's channel; dispose to stop watching.</summary>
    internal sealed class Subscription(JobChangeFeed feed, JobId jobId, Channel<JobState> channel) : IDisposable
    {
        public ChannelReader<JobState> Reader => channel.Reader;

        public void Dispose()
        {
            feed.Unwatch(jobId, channel.Writer);
            channel.Writer.TryComplete();
        }
    }
}

/// <summary>Hears about every job whose state changed in this process (called under the job's gate: keep it short, never block).</summary>
internal interface IJobChangeListener
{
    /// <summary>Whether the listener wants the state of a job of this plan in this status (checked before the state is materialised).</summary>
    bool IsInterestedIn(JobPlan plan, JobStatus status);

    /// <summary>The job changed: read what is needed from the slot now (it is only valid during the call); <see cref="JobSlot.State"/> materialises the state.</summary>
    /// <param name="slot">The job's slot, after the change.</param>
    /// <param name="statusBefore">Its status before, when this process witnessed the change; null when the job was just created or rebuilt from the journal.</param>
    void OnChanged(JobSlot slot, JobStatus? statusBefore);
}
