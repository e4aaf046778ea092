using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary><c>kindling infra plan</c>: renders the module into <c>.kindling/terraform/</c> and shows what apply would change.</summary>
public static class InfraPlanOperation
{
    /// <exception cref="ExternalToolException">terraform is missing or failed.</exception>
    public static async Task<InfraResult> RunAsync(InfraOptions options, CancellationToken cancellationToken)
    {
        var started = options.Time.GetTimestamp();
        var (workspace, access) = await InfraSteps.PrepareAsync(options, lookUpAddress: true, cancellationToken);
        var changes = await InfraSteps.PlanAsync(workspace, options, planFile: null, destroy: false, cancellationToken);
        return new InfraResult(InfraOperation.Plan, workspace.Directory, changes, Applied: false, Outputs: null, options.Time.GetElapsedTime(started)) { ApiAccess = access.Description };
    }
}
