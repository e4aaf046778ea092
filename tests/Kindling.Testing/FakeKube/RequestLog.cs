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

    public IReadOnlyList<RecordedRequest> All => _requests.ToArray();

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    public int Count(string verb, string resource) => _requests.Count(r => r.Verb == verb && r.Resource == resource);

    public void Clear() => _requests.Clear();

    internal void Add(RecordedRequest request) => _requests.Enqueue(request);
}
