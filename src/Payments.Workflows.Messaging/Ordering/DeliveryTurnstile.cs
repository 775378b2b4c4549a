namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// Lets the deliveries of one stream pass a point in the order they were delivered, however the transport's
/// concurrent dispatch interleaved them on the way. A delivery <see cref="Arrive"/>s as soon as it enters the
/// receive pipe, waits for its turn (every earlier number has passed), and <see cref="Pass"/>es. A number that never
/// arrives (the transport did not dispatch it) holds the rest up until <see cref="SkipMissingBefore"/> gives up on it.
/// </summary>
internal sealed class DeliveryTurnstile
{
    private readonly object _gate = new();

    // Numbers at or after _next that have arrived: true once passed.
    private readonly SortedDictionary<ulong, bool> _seen = [];
    private readonly Dictionary<ulong, TaskCompletionSource> _waiting = [];
    private ulong _next = 1;

    // Numbers below this that never arrived count as passed.
    private ulong _skipBelow;

    /// <summary>Nothing in flight: no delivery arrived that has not passed.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
                return _seen.Count == 0 && _waiting.Count == 0;
        }
    }

    public void Arrive(ulong number)
    {
        lock (_gate)
        {
            if (number >= _next)
                _seen.TryAdd(number, false);
        }
    }

    /// <summary>Completes once every earlier number of the stream has passed (or was given up on).</summary>
    public Task WaitForTurnAsync(ulong number)
    {
        lock (_gate)
        {
            if (number <= _next)
                return Task.CompletedTask;
            if (!_waiting.TryGetValue(number, out var turn))
            {
                turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(number, turn);
            }

            return turn.Task;
        }
    }

    /// <summary>The delivery has passed; the next one may go. Passing twice, or after being skipped, does nothing.</summary>
    public void Pass(ulong number)
    {
        lock (_gate)
        {
            if (number < _next)
                return;
            _seen[number] = true;
            Advance();
        }
    }

    /// <summary>
    /// Gives up on the numbers before <paramref name="number"/> that have not even arrived, so the deliveries that did
    /// are no longer held up by them; returns how many were given up on.
    /// </summary>
    public ulong SkipMissingBefore(ulong number)
    {
        lock (_gate)
        {
            if (number <= _next)
                return 0;
            var arrivedBefore = (ulong)_seen.Keys.Count(n => n < number);
            var missing = number - _next - arrivedBefore;
            _skipBelow = Math.Max(_skipBelow, number);
            Advance();
            return missing;
        }
    }

    private void Advance()
    {
        while (true)
        {
            if (_seen.TryGetValue(_next, out var passed))
            {
                if (!passed)
                    break;
                _seen.Remove(_next);
                _next++;
            }
            else if (_next < _skipBelow)
            {
                // Jump over the numbers that never arrived, up to the next that did.
                var nextSeen = _seen.Count > 0 ? _seen.Keys.First() : ulong.MaxValue;
                _next = Math.Min(nextSeen, _skipBelow);
            }
            else
            {
                break;
            }
        }

        foreach (var number in _waiting.Keys.Where(n => n <= _next).ToList())
        {
            _waiting.Remove(number, out var turn);
            turn!.TrySetResult();
        }
    }
}
