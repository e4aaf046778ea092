using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary><c>kindling infra destroy</c>: plans the destruction, asks (unless approved), destroys, and forgets the outputs.</summary>
public static class InfraDestroyOperation
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
        var changes = await InfraSteps.PlanAsync(workspace, environment, planFile, destroy: true, cancellationToken);
        if (changes.IsEmpty || (options.Confirm is { } confirm && !await confirm(changes, cancellationToken)))
        {
            File.Delete(planFile);
            if (changes.IsEmpty) workspace.State.Update(s => s with { Terraform = null });
            environment.StateChanged();
            return new InfraResult(InfraOperation.Destroy, workspace.Directory, changes, Applied: false, Outputs: null, environment.Time.GetElapsedTime(started));
        }
        await InfraSteps.ApplyAsync(workspace, environment, planFile, "destroy", cancellationToken);
        // The ECR repositories are gone, so images must no longer resolve to them.
        workspace.State.Update(s => s with { Terraform = null });
        environment.StateChanged();
        return new InfraResult(InfraOperation.Destroy, workspace.Directory, changes, Applied: true, Outputs: null, environment.Time.GetElapsedTime(started));
    }
}
