using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>
/// <c>kindling infra apply</c>: plans, asks (unless approved), applies exactly that plan, then saves the outputs
/// into local state so images and manifests use the new ECR repositories. Running it again after a failure or an
/// interrupt continues from terraform's state: nothing is created twice.
/// </summary>
public static class InfraApplyOperation
{
    /// <exception cref="ExternalToolException">terraform is missing or failed; the state is kept.</exception>
    /// <exception cref="OperationCanceledException">Interrupted; terraform stopped cleanly.</exception>
    public static async Task<InfraResult> RunAsync(EnvironmentContext environment, InfraOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var started = environment.Time.GetTimestamp();
        var workspace = await InfraSteps.PrepareAsync(environment, cancellationToken);
        var planFile = Path.Combine(workspace.Directory, InfraWorkspace.PlanFile);
        var changes = await InfraSteps.PlanAsync(workspace, environment, planFile, destroy: false, cancellationToken);
        var applied = false;
        if (!changes.IsEmpty)
        {
            if (options.Confirm is { } confirm && !await confirm(changes, cancellationToken))
            {
                File.Delete(planFile);
                return new InfraResult(InfraOperation.Apply, workspace.Directory, changes, Applied: false, Outputs: null, environment.Time.GetElapsedTime(started));
            }
            await InfraSteps.ApplyAsync(workspace, environment, planFile, "apply", cancellationToken);
            applied = true;
        }
        else
        {
            File.Delete(planFile);
        }
        var outputs = await InfraSteps.SaveOutputsAsync(workspace, environment, cancellationToken);
        return new InfraResult(InfraOperation.Apply, workspace.Directory, changes, applied, outputs, environment.Time.GetElapsedTime(started));
    }
}
