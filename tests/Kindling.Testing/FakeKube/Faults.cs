namespace Kindling.Testing.FakeKube;

/// <summary>
/// Fault injection: error bursts (5xx, 429 with Retry-After), latency, dropped watches and expired watch history.
/// Safe to use from any thread while requests are in flight.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<PendingFailure> _pending = [];
    private readonly List<PendingLoss> _lost = [];
    private readonly FakeKubeServer _server;

    internal FaultInjector(FakeKubeServer server) => _server = server;

    /// <summary>Added before every API request is handled (watches included).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Seconds advertised in Retry-After on injected 429s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The next <paramref name="count"/> requests whose path contains <paramref name="pathFilter"/> fail.</summary>
    public void FailNext(int count, int statusCode = 500, string? pathFilter = null) =>
        FailNext(count, statusCode, r => pathFilter is null || r.Path.Contains(pathFilter, StringComparison.Ordinal));

    /// <summary>The next <paramref name="count"/> requests matching <paramref name="filter"/> (verb, resource, ...) fail.</summary>
    public void FailNext(int count, int statusCode, Func<RecordedRequest, bool> filter)
    {
        lock (_gate)
        {
            _pending.Add(new PendingFailure(filter, statusCode) { Remaining = count });
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests matching <paramref name="filter"/> are carried out (a create
    /// creates, a delete deletes), then their answer is lost as <paramref name="how"/> says: the client cannot
    /// tell whether its write happened.
    /// </summary>
    public void LoseResponseNext(int count, Func<RecordedRequest, bool> filter, LostResponse how = LostResponse.ServerError)
    {
        lock (_gate)
        {
            _lost.Add(new PendingLoss(filter, how) { Remaining = count });
        }
    }

    internal bool TryTakeLostResponse(RecordedRequest request, out LostResponse how)
    {
        lock (_gate)
        {
            foreach (var p in _lost)
            {
                if (p.Remaining > 0 && p.Filter(request))
                {
                    p.Remaining--;
                    how = p.How;
                    _lost.RemoveAll(x => x.Remaining == 0);
                    return true;
                }
            }
        }

        how = default;
        return false;
    }

    /// <summary>Filter helper: <c>FailNext(3, 503, FaultInjector.Where("create", "pods"))</c>.</summary>
    public static Func<RecordedRequest, bool> Where(string? verb = null, string? resource = null, string? ns = null) =>
        r => (verb is null || r.Verb == verb) && (resource is null || r.Resource == resource) && (ns is null || r.Namespace == ns);

    /// <summary>Cuts every open watch stream without a clean end (as a proxy or apiserver restart would). Returns how many.</summary>
    public int DropWatches()
    {
        lock (_server.Store.Gate)
        {
            return _server.Store.Hub.DropClientWatches();
        }
    }

    /// <summary>Forgets the watch history: the next watch from any older resourceVersion gets 410 Gone.</summary>
    public void ExpireWatchHistory()
    {
        lock (_server.Store.Gate)
        {
            _server.Store.Hub.Expire(_server.Store.ResourceVersion);
        }
    }

    /// <summary>Clears pending failures and latency.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _pending.Clear();
            _lost.Clear();
        }

        Latency = TimeSpan.Zero;
    }

    public int PendingFailures
    {
        get
        {
            lock (_gate)
            {
                return _pending.Sum(p => p.Remaining);
            }
        }
    }

    internal bool TryTake(RecordedRequest request, out int statusCode)
    {
        lock (_gate)
        {
            foreach (var p in _pending)
            {
                if (p.Remaining > 0 && p.Filter(request))
                {
                    p.Remaining--;
                    statusCode = p.StatusCode;
                    _pending.RemoveAll(x => x.Remaining == 0);
                    return true;
                }
            }
        }

        statusCode = 0;
        return false;
    }

    internal static ApiException ErrorFor(int statusCode, int retryAfter) => statusCode switch
    {
        429 => new ApiException(429, "TooManyRequests", "Too many requests, please try again later.",
            new System.Text.Json.Nodes.JsonObject { ["retryAfterSeconds"] = retryAfter }),
        503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
        504 => new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
        409 => new ApiException(409, "Conflict", "injected conflict: the object has been modified; please apply your changes to the latest version and try again"),
        _ => new ApiException(statusCode, "InternalError", "Internal error occurred: injected fault"),
    };

    private sealed record PendingLoss(Func<RecordedRequest, bool> Filter, LostResponse How)
    {
        public int Remaining { get; set; }
    }

    private sealed record PendingFailure(Func<RecordedRequest, bool> Filter, int StatusCode)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>How the answer to an applied request is lost.</summary>
public enum LostResponse
{
    /// <summary>The client receives a 500 Internal Error instead of the result.</summary>
    ServerError,

    /// <summary>The connection is cut before any answer.</summary>
    DropConnection,
}
