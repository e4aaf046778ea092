using Kindling.Cluster;
using Kindling.Terraform;

namespace Kindling.Operations.Provision;

/// <summary>Options of <c>kindling up --provision</c>.</summary>
public sealed record ProvisionOptions
{
    /// <summary>The kubeconfig the EKS context is written to (<c>--kubeconfig</c>, else the first of KUBECONFIG, else ~/.kube/config).</summary>
    public required string KubeconfigPath { get; init; }

    /// <summary>Asked with Terraform's plan before it applies; null means approved (<c>--auto-approve</c>).</summary>
    public Func<TerraformChangeSummary, CancellationToken, Task<bool>>? ConfirmInfra { get; init; }

    /// <summary>
    /// Nobody can answer <see cref="ConfirmInfra"/> (stdin is not a terminal): a run whose infra stage would run is
    /// refused before anything changes, unless approved in advance (<see cref="ConfirmInfra"/> null).
    /// </summary>
    public bool Unattended { get; init; }

    /// <summary><c>--refresh</c>: plan and apply again instead of trusting the records of earlier runs.</summary>
    public bool Refresh { get; init; }

    /// <summary>How <c>up</c> waits.</summary>
    public UpOptions Up { get; init; } = new();

    /// <summary>Finds this machine's address for the EKS API allow-list.</summary>
    public IPublicAddressLookup PublicAddress { get; init; } = new CheckIpLookup();

    /// <summary>Sends registry (OCI distribution API) requests when asking whether images exist.</summary>
    public HttpMessageHandler RegistryHandler { get; init; } = new SocketsHttpHandler();

    /// <summary>The local port of the notebook URL (<c>--port</c>).</summary>
    public int NotebookPort { get; init; } = 8888;

    /// <summary>
    /// With <c>--open</c>: called once the notebook is forwarded, as <c>kindling notebook</c> does; the operation
    /// then serves the forward until cancelled. Null prints the URL and returns.
    /// </summary>
    public Action<NotebookSession>? OnNotebookForwarded { get; init; }
}

/// <summary>The notebook's login URL, for the port <c>kindling notebook</c> forwards.</summary>
/// <param name="Url">The URL with the token (the one place Kindling shows it).</param>
/// <param name="Pod">The Ready notebook pod.</param>
public sealed record NotebookLink(string Url, string Pod)
{
    /// <summary>Redacted, so logging the link never leaks the token.</summary>
    public override string ToString() => $"NotebookLink {{ Pod = {Pod}, Url = <redacted> }}";
}

/// <summary>What <c>up --provision</c> did.</summary>
/// <param name="Cluster">The cluster it went to, and why Kindling thinks it is that kind.</param>
/// <param name="Stages">One record per stage, in order.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ProvisionResult(DetectedCluster Cluster, IReadOnlyList<StageOutcome> Stages, TimeSpan Elapsed)
{
    /// <summary>The laptop defaults applied to unset sizes (<c>notebook.memory=2Gi</c> ...).</summary>
    public IReadOnlyList<string> LocalDefaults { get; init; } = [];

    /// <summary>The notebook URL, when the notebook stage ran.</summary>
    public NotebookLink? Notebook { get; init; }

    /// <summary>True when Terraform's changes were declined: nothing after infra ran.</summary>
    public bool Declined { get; init; }

    /// <summary>The images used (from the images stage, or as resolved when it was skipped).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];
}

/// <summary>A stage failed; <see cref="Exception.InnerException"/> is why, and <see cref="Stages"/> what ran before.</summary>
public sealed class StageFailedException(ProvisionStage stage, IReadOnlyList<StageOutcome> stages, Exception inner)
    : KindlingException($"stage {stage.ToString().ToLowerInvariant()} failed: {inner.Message}", inner)
{
    /// <summary>The stage that failed.</summary>
    public ProvisionStage Stage { get; } = stage;

    /// <summary>Every stage's record, the failed one and those not run included.</summary>
    public IReadOnlyList<StageOutcome> Stages { get; } = stages;
}
