using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>
/// <c>kindling infra destroy</c>: plans the destruction, asks (unless approved), destroys, and forgets the outputs.
/// ECR repositories that still hold images stop the destroy (their images are kept) unless <c>--purge-images</c>.
/// </summary>
public static class InfraDestroyOperation
{
    /// <exception cref="ExternalToolException">terraform is missing or failed; the state is kept.</exception>
    /// <exception cref="OperationCanceledException">Interrupted; terraform stopped cleanly.</exception>
    public static async Task<InfraResult> RunAsync(EnvironmentContext environment, InfraOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var started = environment.Time.GetTimestamp();
        var (workspace, _) = await InfraSteps.PrepareAsync(environment, options, lookUpAddress: false, cancellationToken);
        var planFile = Path.Combine(workspace.Directory, InfraWorkspace.PlanFile);
        var changes = await InfraSteps.PlanAsync(workspace, environment, planFile, destroy: true, cancellationToken);
        if (changes.IsEmpty || (options.Confirm is { } confirm && !await confirm(changes, cancellationToken)))
        {
            File.Delete(planFile);
            if (changes.IsEmpty) workspace.State.Update(s => s with { Terraform = null });
            environment.StateChanged();
            return new InfraResult(InfraOperation.Destroy, workspace.Directory, changes, Applied: false, Outputs: null, environment.Time.GetElapsedTime(started));
        }
        if (options.PurgeImages)
        {
            // Only after the confirmation: a declined destroy must leave force_delete off in the state. The saved
            // plan predates the change, so the destruction is planned again from the new state.
            await InfraSteps.AllowImagePurgeAsync(workspace, environment, cancellationToken);
            await InfraSteps.PlanAsync(workspace, environment, planFile, destroy: true, cancellationToken);
        }
        try
        {
            await InfraSteps.ApplyAsync(workspace, environment, planFile, "destroy", cancellationToken);
        }
        catch (ExternalToolException e) when (e.StderrTail.Contains("RepositoryNotEmptyException", StringComparison.Ordinal))
        {
            throw new ExternalToolException(e.Tool, e.ExitCode, e.StderrTail,
                "an ECR repository still holds images, and Kindling keeps images unless asked; resources that do not depend on it may already be destroyed. " +
                "Run 'kindling infra destroy --purge-images' to delete the images too");
        }
        // The ECR repositories are gone, so images must no longer resolve to them.
        workspace.State.Update(s => s with { Terraform = null });
        environment.StateChanged();
        return new InfraResult(InfraOperation.Destroy, workspace.Directory, changes, Applied: true, Outputs: null, environment.Time.GetElapsedTime(started));
    }
}
