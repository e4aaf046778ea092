using Kindling.Terraform;

namespace Kindling.Operations.Provision;

/// <summary>What <c>down --destroy</c> did.</summary>
/// <param name="Environment">What <c>down</c> deleted and kept.</param>
/// <param name="Infra">What Terraform destroyed; null when there was nothing to destroy.</param>
/// <param name="InfraNote">Why Terraform did not run, when it did not.</param>
public sealed record TeardownResult(DownResult Environment, InfraResult? Infra, string? InfraNote);

/// <summary>
/// <c>kindling down --destroy</c>, the reverse of <c>up --provision</c>: the environment first (<see cref="DownOperation"/>:
/// the notebooks' PVC stays unless purging), then the cloud resources Terraform created (<see cref="InfraDestroyOperation"/>,
/// after its own confirmation). Kindling creates no S3 buckets: the data buckets in <c>aws.s3Buckets</c> are the
/// user's and Terraform never deletes them; ECR images are deleted only when purging. Both steps are idempotent,
/// so an interrupted run is finished by running it again.
/// </summary>
public static class TeardownOperation
{
    public static async Task<TeardownResult> RunAsync(EnvironmentContext environment, DownOptions down, InfraOptions infra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(down);
        ArgumentNullException.ThrowIfNull(infra);
        var result = await DownOperation.RunAsync(environment, down, cancellationToken).ConfigureAwait(false);
        var workspace = InfraWorkspace.For(environment.Config, environment.WorkingDirectory, environment.Tools);
        if (!workspace.HasState && environment.State.Terraform is null)
        {
            const string note = "no Terraform state beside this kindling.yaml: Kindling provisioned no cloud resources for it";
            environment.Progress.Report(new ProgressEvent("infra", ProgressStatus.Unchanged, note));
            return new TeardownResult(result, null, note);
        }
        var destroyed = await InfraDestroyOperation.RunAsync(environment, infra, cancellationToken).ConfigureAwait(false);
        // Nothing recorded by up --provision describes the cloud any more.
        new ProvisionRecordStore(environment.StateStore.Directory).Update(r => r with { Infra = null, Images = null, Environment = null });
        return new TeardownResult(result, destroyed, null);
    }
}
