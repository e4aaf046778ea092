using System.Net;
using Polly;
using Polly.Retry;

namespace Kindling.Cluster;

/// <summary>
/// Retries throttled (429) and failing (5xx) API requests with jittered exponential backoff, honouring the
/// server's <c>Retry-After</c>. It sits under the Kubernetes client, so every call (including the start of a
/// watch) gets the same bounded policy. Every request Kindling sends is safe to repeat: server-side apply,
/// reads, lists, deletes (a repeated delete meets 404, which callers treat as done) and access reviews.
/// </summary>
internal sealed class RetryingHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public RetryingHandler(KubeRetrySettings settings, TimeProvider time)
    {
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(settings.MaxRetries, settings.MaxTransportRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.EffectiveBaseDelay,
                MaxDelay = settings.EffectiveMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, settings, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, settings.EffectiveMaxDelay, time)),
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attempt, KubeRetrySettings settings, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return false;
        if (outcome.Exception is HttpRequestException) return attempt < settings.MaxTransportRetries;
        return outcome.Result is { } response && IsTransient(response.StatusCode) && attempt < settings.MaxRetries;
    }

    /// <summary>429 is API priority and fairness throttling; 500/502/503/504 are an overloaded or restarting server or a proxy in front of it.</summary>
    internal static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The server's Retry-After (seconds or a date), capped; null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) return TimeSpan.Zero;
        return delay > cap ? cap : delay;
    }
}
