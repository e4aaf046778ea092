using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Operations;

/// <summary><c>kindling infra output</c>: reads terraform's outputs, validates them and saves them into local state.</summary>
public static class InfraOutputOperation
{
    /// <exception cref="KindlingException">Nothing applied yet, or the outputs are missing or corrupt.</exception>
    public static async Task<TerraformOutputs> RunAsync(EnvironmentContext environment, InfraOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var workspace = InfraWorkspace.For(environment.Config, environment.WorkingDirectory, environment.Tools);
        if (!workspace.Exists)
        {
            throw new KindlingException(
                $"no Terraform working directory at {workspace.Directory}: run 'kindling infra apply' first");
        }
        return await InfraSteps.SaveOutputsAsync(workspace, environment, cancellationToken);
    }
}
