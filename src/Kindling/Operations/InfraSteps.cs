using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary>The steps the infra operations share, each reported as progress.</summary>
internal static class InfraSteps
{
    public static async Task<(InfraWorkspace Workspace, ApiAccess Access)> PrepareAsync(
        InfraOptions options, bool lookUpAddress, CancellationToken cancellationToken)
    {
        var workspace = InfraWorkspace.For(options.Config, options.WorkingDirectory, options.Environment);
        ApiAccess? access = null;
        await Step(options, "api access", "", async () =>
            access = await ApiAccess.ResolveAsync(options.Config.Spec, options.PublicAddress, lookUpAddress, cancellationToken),
            () => access!.Description);
        workspace.WriteModule(access!.Spec);
        var via = workspace.PluginDirectory is null ? "" : $" (providers from {workspace.PluginDirectory})";
        await Step(options, "terraform init", $"in {workspace.Directory}{via}",
            () => Runner(workspace, options).InitAsync(cancellationToken));
        return (workspace, access);
    }

    public static async Task<TerraformChangeSummary> PlanAsync(
        InfraWorkspace workspace, InfraOptions options, string? planFile, bool destroy, CancellationToken cancellationToken)
    {
        TerraformChangeSummary? changes = null;
        await Step(options, destroy ? "terraform plan -destroy" : "terraform plan", "",
            async () => changes = await Runner(workspace, options).PlanAsync(planFile, destroy, cancellationToken),
            () => changes!.IsEmpty ? "no changes" : changes.ToString());
        return changes!;
    }

    public static Task ApplyAsync(
        InfraWorkspace workspace, InfraOptions options, string planFile, string verb, CancellationToken cancellationToken) =>
        Step(options, $"terraform {verb}", "", async () =>
        {
            try
            {
                await Runner(workspace, options).ApplyAsync(planFile, cancellationToken);
            }
            finally
            {
                // A plan is only valid against the state it was made from; after any attempt it is stale.
                File.Delete(planFile);
            }
        });

    /// <summary>
    /// <c>--purge-images</c>: the AWS provider deletes a repository that holds images only when the
    /// <c>force_delete</c> recorded in the state is true, so it is applied to the two repositories (an in-place
    /// update, no API call) before the destroy plan reads the state.
    /// </summary>
    public static Task AllowImagePurgeAsync(InfraWorkspace workspace, InfraOptions options, CancellationToken cancellationToken) =>
        Step(options, "ecr force_delete", "letting destroy delete the repositories with their images (--purge-images)",
            () => Runner(workspace, options).ApplyTargetsAsync(
                ["aws_ecr_repository.spark", "aws_ecr_repository.jupyter"],
                new Dictionary<string, string> { ["ecr_force_delete"] = "true" }, cancellationToken));

    public static async Task<TerraformOutputs> SaveOutputsAsync(
        InfraWorkspace workspace, InfraOptions options, CancellationToken cancellationToken)
    {
        var json = await Runner(workspace, options).OutputJsonAsync(cancellationToken);
        var outputs = TerraformOutputsReader.Parse(json, workspace.Directory);
        workspace.State.Update(s => s with { Terraform = outputs });
        options.Progress?.Report(new ProgressEvent("outputs", ProgressStatus.Done, $"saved to {workspace.State.FilePath}"));
        return outputs;
    }

    private static TerraformRunner Runner(InfraWorkspace workspace, InfraOptions options) =>
        workspace.Runner(options.Environment, options.Progress);

    private static async Task Step(InfraOptions options, string subject, string message, Func<Task> body, Func<string>? done = null)
    {
        var started = options.Time.GetTimestamp();
        options.Progress?.Report(new ProgressEvent(subject, ProgressStatus.Started, message));
        try
        {
            await body();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            options.Progress?.Report(new ProgressEvent(subject, ProgressStatus.Failed, "", options.Time.GetElapsedTime(started)));
            throw;
        }
        options.Progress?.Report(new ProgressEvent(subject, ProgressStatus.Done, done?.Invoke() ?? "", options.Time.GetElapsedTime(started)));
    }
}
