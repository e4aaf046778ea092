namespace Kindling.Cluster;

/// <summary>How to find the cluster, with the same precedence as kubectl.</summary>
/// <remarks>
/// Precedence: <see cref="KubeconfigPath"/> (<c>--kubeconfig</c>), then <see cref="KubeconfigVariable"/> (the
/// <c>KUBECONFIG</c> value of the caller's environment, which may list several files), then in-cluster config
/// when running in a pod without a kubeconfig, then <c>~/.kube/config</c>.
/// </remarks>
public sealed record KubeConnectionOptions
{
    /// <summary><c>--kubeconfig</c>, already resolved to an absolute path.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary><c>--context</c>; null uses the kubeconfig's current-context.</summary>
    public string? Context { get; init; }

    /// <summary>The caller's <c>KUBECONFIG</c> (not necessarily this process's: the CLI passes its context's).</summary>
    public string? KubeconfigVariable { get; init; }

    /// <summary>The caller's home directory, for <c>~/.kube/config</c>.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Retry bounds for throttled (429) and failing (5xx) requests.</summary>
    public KubeRetrySettings Retry { get; init; } = new();

    /// <summary>Clock for retry delays and timeouts.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Bounds of the one retry policy for transient API failures (see <see cref="RetryingHandler"/>).</summary>
/// <param name="Budget">How long one request may keep being retried (60 s unless set): a time, not a count, so a
/// long throttling burst or an apiserver restart is ridden out while a dead server still fails in bounded time.</param>
/// <param name="BaseDelay">First backoff delay; doubled per attempt, with jitter.</param>
/// <param name="MaxDelay">Upper bound of one delay, including a server's Retry-After.</param>
public sealed record KubeRetrySettings(TimeSpan Budget = default, TimeSpan BaseDelay = default, TimeSpan MaxDelay = default)
{
    /// <summary>The effective budget (60 s unless set).</summary>
    public TimeSpan EffectiveBudget => Budget == default ? TimeSpan.FromSeconds(60) : Budget;

    /// <summary>The effective first delay (200 ms unless set).</summary>
    public TimeSpan EffectiveBaseDelay => BaseDelay == default ? TimeSpan.FromMilliseconds(200) : BaseDelay;

    /// <summary>The effective cap (10 s unless set).</summary>
    public TimeSpan EffectiveMaxDelay => MaxDelay == default ? TimeSpan.FromSeconds(10) : MaxDelay;
}
