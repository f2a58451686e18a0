using System.Diagnostics.CodeAnalysis;

namespace JobManagement;

/// <summary>
/// A priority queue (lowest priority value first) for elements that mostly arrive in priority order: those go to a plain
/// first-in, first-out lane, at constant cost; an element that would come before the lane's last one goes to a heap.
/// Taking compares the two heads. The worker's due jobs are such a stream (new jobs arrive oldest first and due at once),
/// and a heap over a backlog of thousands cost a dozen scattered reads per job.
/// </summary>
/// <typeparam name="TElement">The queued elements.</typeparam>
/// <typeparam name="TPriority">Their order: lower first; among equals, the lane's earlier arrivals first.</typeparam>
/// <remarks>Not thread-safe (the worker's index lock guards it).</remarks>
internal sealed class MostlyOrderedQueue<TElement, TPriority>
    where TPriority : IComparable<TPriority>
{
    private readonly Queue<(TElement Element, TPriority Priority)> _lane = new();
    private readonly PriorityQueue<TElement, TPriority> _heap = new();
    private TPriority _laneTail = default!;

    public int Count => _lane.Count + _heap.Count;

    public void Enqueue(TElement element, TPriority priority)
    {
        if (_lane.Count == 0 || priority.CompareTo(_laneTail) >= 0)
        {
            _lane.Enqueue((element, priority));
            _laneTail = priority;
        }
        else
        {
            _heap.Enqueue(element, priority);
        }
    }

    public bool TryPeek([MaybeNullWhen(false)] out TElement element, [MaybeNullWhen(false)] out TPriority priority)
    {
        bool inLane = _lane.TryPeek(out (TElement Element, TPriority Priority) first);
        if (_heap.TryPeek(out TElement? fromHeap, out TPriority? heapPriority) && (!inLane || heapPriority.CompareTo(first.Priority) < 0))
        {
            (element, priority) = (fromHeap, heapPriority);
            return true;
        }

        (element, priority) = first;
        return inLane;
    }

    /// <summary>Removes the first element (the one <see cref="TryPeek"/> shows).</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public TElement Dequeue()
    {
        bool inLane = _lane.TryPeek(out (TElement Element, TPriority Priority) first);
        if (_heap.TryPeek(out _, out TPriority? heapPriority) && (!inLane || heapPriority.CompareTo(first.Priority) < 0))
        {
            return _heap.Dequeue();
        }

        return inLane ? _lane.Dequeue().Element : throw new InvalidOperationException("The queue is empty.");
    }
}
