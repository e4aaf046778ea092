using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace Kindling.Cluster;

/// <summary>
/// The ONE retry policy of every Kubernetes request Kindling sends (every verb, watches included: it sits under
/// the client). Throttled (429) and failing (5xx) answers and dropped connections are retried with jittered
/// exponential backoff, honouring the server's <c>Retry-After</c>, until a time budget (60 s by default) is
/// spent, not a small count: API priority and fairness may throttle a burst of requests for many seconds, and a
/// control plane rolling its apiservers answers 5xx or drops connections for a while. Every request Kindling
/// sends is safe to repeat: server-side apply, reads, lists, deletes (a repeated delete meets 404, which callers
/// treat as done), creates (a repeated create meets 409, which callers resolve by reading) and access reviews.
/// </summary>
/// <remarks>
/// A server that has never answered this connection (a wrong address, a stopped cluster) is not retried for the
/// whole budget: a couple of quick tries, then a clear failure. Once it has answered, a refused connection means a
/// restarting apiserver and is retried like any other transient failure.
/// </remarks>
internal sealed class RetryingHandler : DelegatingHandler
{
    /// <summary>Tries against a server that never answered before giving up (one attempt and this many retries).</summary>
    internal const int UnreachableRetries = 2;

    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly KubeRetrySettings settings;
    private readonly TimeProvider time;
    private int answered;

    public RetryingHandler(KubeRetrySettings settings, TimeProvider time)
    {
        this.settings = settings;
        this.time = time;
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, args.AttemptNumber, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.Outcome.Result, args.AttemptNumber, args.Context)),
            })
            .Build();
    }

    private bool HasAnswered => Volatile.Read(ref answered) == 1;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Started, time.GetTimestamp());
        context.Properties.Set(Proxied, IsProxied(request));
        try
        {
            return await pipeline.ExecuteAsync(async (ctx, _) =>
            {
                var response = await base.SendAsync(request, ctx.CancellationToken).ConfigureAwait(false);
                Volatile.Write(ref answered, 1);
                return response;
            }, context, 0).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<long> Started = new("kindling.retry.started");
    private static readonly ResiliencePropertyKey<bool> Proxied = new("kindling.retry.proxied");

    private bool IsRetryable(Outcome<HttpResponseMessage> outcome, int attempt, ResilienceContext context)
    {
        if (context.CancellationToken.IsCancellationRequested) return false;
        // The budget bounds the whole request, first try included; a try that started inside it may finish after.
        if (Elapsed(context) >= settings.EffectiveBudget) return false;
        if (outcome.Exception is HttpRequestException transport)
            return HasAnswered || (attempt < UnreachableRetries && !IsPermanent(transport));
        return outcome.Result is { } response && IsTransient(response.StatusCode)
            && (response.StatusCode == HttpStatusCode.TooManyRequests || !context.Properties.GetValue(Proxied, false));
    }

    /// <summary>
    /// A request to the <c>proxy</c> subresource reaches a pod or Service behind the API server; its 502/503 say that
    /// backend is not there ("no endpoints available", a refused dial: apiserver's proxy handler, UpgradeAwareHandler),
    /// which is a state the caller reports (a driver UI not up yet), not an overloaded API server to wait out.
    /// </summary>
    private static bool IsProxied(HttpRequestMessage request) =>
        // /api/v1/namespaces/{ns}/{services|pods}/{name}/proxy/...
        request.RequestUri?.AbsolutePath.Split('/') is { Length: > 7 } s && s[3] == "namespaces" && s[7] == "proxy";

    /// <summary>TLS and DNS failures do not heal by retrying a second later.</summary>
    private static bool IsPermanent(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException) return true;
            if (inner is SocketException { SocketErrorCode: SocketError.HostNotFound }) return true;
        }
        return false;
    }

    /// <summary>429 is API priority and fairness throttling; 500/502/503/504 are an overloaded or restarting server or a proxy in front of it.</summary>
    internal static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// The next delay: the server's Retry-After (seconds or a date) when it sent one, else jittered exponential
    /// backoff ("equal jitter": half fixed, half random); capped by the per-delay maximum and by what is left of
    /// the budget, so the last try happens inside it.
    /// </summary>
    private TimeSpan Delay(HttpResponseMessage? response, int attempt, ResilienceContext context)
    {
        var remaining = settings.EffectiveBudget - Elapsed(context);
        var header = response?.Headers.RetryAfter;
        TimeSpan? advised = header is null ? null : header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        TimeSpan delay;
        if (advised is { } a) delay = a < TimeSpan.Zero ? TimeSpan.Zero : a;
        else
        {
            var exponential = settings.EffectiveBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
            var capped = Math.Min(exponential, settings.EffectiveMaxDelay.TotalMilliseconds);
            delay = TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
        }
        if (delay > settings.EffectiveMaxDelay) delay = settings.EffectiveMaxDelay;
        return delay > remaining ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : delay;
    }

    private TimeSpan Elapsed(ResilienceContext context) => time.GetElapsedTime(context.Properties.GetValue(Started, time.GetTimestamp()));
}
