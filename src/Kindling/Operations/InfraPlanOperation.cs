using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary><c>kindling infra plan</c>: renders the module into <c>.kindling/terraform/</c> and shows what apply would change.</summary>
public static class InfraPlanOperation
{
    /// <exception cref="ExternalToolException">terraform is missing or failed.</exception>
    public static async Task<InfraResult> RunAsync(EnvironmentContext environment, InfraOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var started = environment.Time.GetTimestamp();
        var workspace = await InfraSteps.PrepareAsync(environment, cancellationToken);
        var changes = await InfraSteps.PlanAsync(workspace, environment, planFile: null, destroy: false, cancellationToken);
        return new InfraResult(InfraOperation.Plan, workspace.Directory, changes, Applied: false, Outputs: null, environment.Time.GetElapsedTime(started));
    }
}
