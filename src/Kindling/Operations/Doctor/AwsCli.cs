using System.Text.Json;
using Kindling.Images;
using Kindling.Tools;

namespace Kindling.Operations.Doctor;

/// <summary>Read-only AWS CLI calls of the EKS checks, in the environment's region (and <c>aws.endpoint</c>).</summary>
internal sealed class AwsCli(DoctorContext context)
{
    /// <summary>Runs <c>aws &lt;arguments&gt; --output json</c>; the JSON on success, else null and the reason.</summary>
    public async Task<(JsonDocument? Json, string Error)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var all = new List<string>(arguments) { "--region", context.Spec.Aws.Region, "--output", "json" };
        if (context.Spec.Aws.Endpoint is { } endpoint)
        {
            all.Add("--endpoint-url");
            all.Add(endpoint);
        }
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(new ToolRunOptions { Tool = ImageTools.Aws, Arguments = all, Environment = context.Inputs.Tools }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ExternalToolException e)
        {
            return (null, e.Message);
        }
        if (result.ExitCode != 0)
            return (null, $"aws {string.Join(' ', arguments.Take(2))} failed (exit {result.ExitCode}): " +
                          (result.Tail.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no output"));
        try
        {
            return (JsonDocument.Parse(result.Stdout), "");
        }
        catch (JsonException e)
        {
            return (null, $"aws {string.Join(' ', arguments.Take(2))} printed no JSON ({e.Message})");
        }
    }
}
