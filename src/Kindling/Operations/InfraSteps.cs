using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>The steps the infra operations share, each reported as progress.</summary>
internal static class InfraSteps
{
    public static async Task<InfraWorkspace> PrepareAsync(EnvironmentContext environment, CancellationToken cancellationToken)
    {
        var workspace = InfraWorkspace.For(environment.Config, environment.WorkingDirectory, environment.Tools);
        workspace.WriteModule();
        var via = workspace.PluginDirectory is null ? "" : $" (providers from {workspace.PluginDirectory})";
        await Step(environment, "terraform init", $"in {workspace.Directory}{via}",
            () => Runner(workspace, environment).InitAsync(cancellationToken));
        return workspace;
    }

    public static async Task<TerraformChangeSummary> PlanAsync(
        InfraWorkspace workspace, EnvironmentContext environment, string? planFile, bool destroy, CancellationToken cancellationToken)
    {
        TerraformChangeSummary? changes = null;
        await Step(environment, destroy ? "terraform plan -destroy" : "terraform plan", "",
            async () => changes = await Runner(workspace, environment).PlanAsync(planFile, destroy, cancellationToken),
            () => changes!.IsEmpty ? "no changes" : changes.ToString());
        return changes!;
    }

    public static Task ApplyAsync(
        InfraWorkspace workspace, EnvironmentContext environment, string planFile, string verb, CancellationToken cancellationToken) =>
        Step(environment, $"terraform {verb}", "", async () =>
        {
            try
            {
                await Runner(workspace, environment).ApplyAsync(planFile, cancellationToken);
            }
            finally
            {
                // A plan is only valid against the state it was made from; after any attempt it is stale.
                File.Delete(planFile);
            }
        });

    public static async Task<TerraformOutputs> SaveOutputsAsync(
        InfraWorkspace workspace, EnvironmentContext environment, CancellationToken cancellationToken)
    {
        var json = await Runner(workspace, environment).OutputJsonAsync(cancellationToken);
        var outputs = TerraformOutputsReader.Parse(json, workspace.Directory);
        workspace.State.Update(s => s with { Terraform = outputs });
        // Images now resolve to the ECR repositories: later steps of the same command must see them.
        environment.StateChanged();
        environment.Progress.Report(new ProgressEvent("outputs", ProgressStatus.Done, $"saved to {workspace.State.FilePath}"));
        return outputs;
    }

    private static TerraformRunner Runner(InfraWorkspace workspace, EnvironmentContext environment) =>
        workspace.Runner(environment.Tools, environment.Progress);

    private static async Task Step(EnvironmentContext environment, string subject, string message, Func<Task> body, Func<string>? done = null)
    {
        var started = environment.Time.GetTimestamp();
        environment.Progress.Report(new ProgressEvent(subject, ProgressStatus.Started, message));
        try
        {
            await body();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            environment.Progress.Report(new ProgressEvent(subject, ProgressStatus.Failed, "", environment.Time.GetElapsedTime(started)));
            throw;
        }
        environment.Progress.Report(new ProgressEvent(subject, ProgressStatus.Done, done?.Invoke() ?? "", environment.Time.GetElapsedTime(started)));
    }
}
