using System.Collections.Concurrent;

namespace Kindling.Testing.FakeKube;

/// <summary>One request as the fake saw it, so tests can count round trips and check field managers.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string? ContentType,
    string? FieldManager,
    string Verb,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name)
{
    private int _statusCode;
    private int _finished;

    /// <summary>
    /// The sequential wave this request belongs to: a request that starts while no other (non-streaming) request
    /// is in flight opens a new wave, one that starts while others are in flight joins theirs. So N requests sent
    /// concurrently are one wave and N sent one after another are N waves (give the fake some
    /// <see cref="FaultInjector.Latency"/> so concurrent requests overlap reliably).
    /// </summary>
    public int Wave { get; internal set; }

    /// <summary>The HTTP version the client used (HTTP/1.1 opens a connection per concurrent request, HTTP/2 multiplexes).</summary>
    public string Protocol { get; init; } = "";

    /// <summary>A SelfSubjectAccessReview or SelfSubjectRulesReview: a question, created but never stored.</summary>
    public bool IsReview => Resource is "selfsubjectaccessreviews" or "selfsubjectrulesreviews";

    /// <summary>A watch or a followed stream: it never holds a wave open.</summary>
    public bool Streaming => Verb == "watch" || Subresource is "portforward" || Query.Contains("follow=true", StringComparison.Ordinal);

    /// <summary>Marks the answer as complete; true the first time.</summary>
    internal bool Finish() => Interlocked.Exchange(ref _finished, 1) == 0;

    /// <summary>The response status (0 while a watch or stream is still open).</summary>
    public int StatusCode
    {
        get => Volatile.Read(ref _statusCode);
        internal set => Volatile.Write(ref _statusCode, value);
    }
}

/// <summary>Thread-safe append-only log of requests.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _waveGate = new();
    private int _inFlight;
    private int _wave;

    public IReadOnlyList<RecordedRequest> All => _requests.ToArray();

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    public int Count(string verb, string resource) => _requests.Count(r => r.Verb == verb && r.Resource == resource);

    /// <summary>How many sequential waves the requests matching <paramref name="predicate"/> span (see <see cref="RecordedRequest.Wave"/>).</summary>
    public int Waves(Func<RecordedRequest, bool>? predicate = null) =>
        _requests.Where(predicate ?? (_ => true)).Select(r => r.Wave).Distinct().Count();

    public void Clear()
    {
        _requests.Clear();
        lock (_waveGate) _wave = 0;
    }

    internal void Add(RecordedRequest request)
    {
        lock (_waveGate)
        {
            if (_inFlight == 0) _wave++;
            request.Wave = _wave;
            if (!request.Streaming) _inFlight++;
        }
        _requests.Enqueue(request);
    }

    /// <summary>The answer to <paramref name="request"/> is complete: it no longer holds its wave open.</summary>
    internal void Finished(RecordedRequest request)
    {
        if (request.Streaming || !request.Finish()) return;
        lock (_waveGate) _inFlight--;
    }
}
