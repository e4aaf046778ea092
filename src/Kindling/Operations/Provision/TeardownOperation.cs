using Kindling.Terraform;

namespace Kindling.Operations.Provision;

/// <summary>What <c>down --destroy</c> did.</summary>
/// <param name="Environment">What <c>down</c> deleted and kept; null when the cluster was already gone.</param>
/// <param name="Infra">What Terraform destroyed; null when there was nothing to destroy.</param>
/// <param name="InfraNote">Why Terraform did not run, when it did not.</param>
public sealed record TeardownResult(DownResult? Environment, InfraResult? Infra, string? InfraNote)
{
    /// <summary>Why the environment step was skipped (the cluster could not be reached), when it was.</summary>
    public string? EnvironmentNote { get; init; }
}

/// <summary>
/// <c>kindling down --destroy</c>, the reverse of <c>up --provision</c>: the environment first (<see cref="DownOperation"/>:
/// the notebooks' PVC stays unless purging), then the cloud resources Terraform created (<see cref="InfraDestroyOperation"/>,
/// after its own confirmation). Kindling creates no S3 buckets: the data buckets in <c>aws.s3Buckets</c> are the
/// user's and Terraform never deletes them; ECR images are deleted only when purging. Both steps are idempotent,
/// so an interrupted run is finished by running it again, also once the cluster itself is gone: the environment
/// step is then skipped (its objects went with the cluster) and the remaining cloud resources are destroyed.
/// </summary>
public static class TeardownOperation
{
    public static async Task<TeardownResult> RunAsync(EnvironmentContext environment, DownOptions down, InfraOptions infra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(down);
        ArgumentNullException.ThrowIfNull(infra);
        var workspace = InfraWorkspace.For(environment.Config, environment.WorkingDirectory, environment.Tools);
        var cloud = workspace.HasState || environment.State.Terraform is not null;
        DownResult? result = null;
        string? skipped = null;
        // The environment of the cluster being destroyed, not of whichever context is current (see EksContext).
        if (cloud) EksContext.Use(environment, environment.ConnectionSettings?.KubeconfigPath);
        try
        {
            result = await DownOperation.RunAsync(environment, down, cancellationToken).ConfigureAwait(false);
        }
        catch (KindlingException e) when (cloud && Unreachable(e))
        {
            // A cluster destroyed earlier (an interrupted down --destroy, infra destroy, the console) takes its
            // objects with it, and a down that cannot connect would otherwise block destroying what is left.
            skipped = $"skipped: the cluster cannot be reached ({e.Message}); its objects go with it, so the cloud resources are destroyed next";
            environment.Progress.Report(new ProgressEvent("environment", ProgressStatus.Unchanged, skipped));
        }
        if (!cloud)
        {
            const string note = "no Terraform state beside this kindling.yaml: Kindling provisioned no cloud resources for it";
            environment.Progress.Report(new ProgressEvent("infra", ProgressStatus.Unchanged, note));
            return new TeardownResult(result, null, note);
        }
        var destroyed = await InfraDestroyOperation.RunAsync(environment, infra, cancellationToken).ConfigureAwait(false);
        // Nothing recorded by up --provision describes the cloud any more.
        new ProvisionRecordStore(environment.StateStore.Directory).Update(r => r with { Infra = null, Images = null, Environment = null });
        return new TeardownResult(result, destroyed, null) { EnvironmentNote = skipped };
    }

    // KubeConnection.Translate: a transport failure (DNS of a deleted EKS endpoint, connection refused) or no answer
    // in time. An HTTP status is an answer from a live cluster, never "gone".
    private static bool Unreachable(KindlingException e) =>
        e is not KubernetesApiException && e.InnerException is HttpRequestException or TaskCanceledException;
}
