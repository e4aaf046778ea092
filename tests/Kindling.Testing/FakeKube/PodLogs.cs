using System.Text;

namespace Kindling.Testing.FakeKube;

/// <summary>Log text per pod container (current and previous instance); appends wake followers.</summary>
internal sealed class PodLogs
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Ns, string Pod, string Container, bool Previous), StringBuilder> _logs = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(string ns, string pod, string container, string text, bool previous)
    {
        lock (_gate)
        {
            _logs[(ns, pod, container, previous)] = new StringBuilder(text);
            Signal();
        }
    }

    public void Append(string ns, string pod, string container, string text)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue((ns, pod, container, false), out var log))
            {
                log = new StringBuilder();
                _logs[(ns, pod, container, false)] = log;
            }

            log.Append(text);
            Signal();
        }
    }

    /// <summary>Moves the current log to "previous" (a container restart) and starts an empty one.</summary>
    public void Rotate(string ns, string pod, string container)
    {
        lock (_gate)
        {
            if (_logs.Remove((ns, pod, container, false), out var current))
            {
                _logs[(ns, pod, container, true)] = current;
            }

            Signal();
        }
    }

    public string? Read(string ns, string pod, string container, bool previous)
    {
        lock (_gate)
        {
            return _logs.TryGetValue((ns, pod, container, previous), out var log) ? log.ToString() : null;
        }
    }

    /// <summary>Completes on the next change anywhere (appends, pod state changes); followers re-check their own state.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Signal()
    {
        lock (_gate)
        {
            var old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            old.TrySetResult();
        }
    }
}
