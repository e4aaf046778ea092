using Kindling.Operations;
using Kindling.Operations.Provision;

namespace Kindling.Cli.Commands;

/// <summary>Prints what <c>down --destroy</c> did: the environment as <c>down</c> prints it, then Terraform's destroy.</summary>
internal static class DownDestroyOutput
{
    public static int Write(CliContext ctx, TeardownResult result, OutputFormat format, Action<TextWriter, DownResult> writeDown)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.TeardownResult);
            return result.Infra is { Applied: false, Changes.IsEmpty: false } ? ExitCodes.Failed : ExitCodes.Ok;
        }
        if (result.Environment is { } down) writeDown(ctx.Stdout, down);
        else ctx.Stdout.WriteLine($"Environment: {result.EnvironmentNote}.");
        if (result.Infra is { } infra) return InfraCommand.Write(ctx, infra, format);
        ctx.Stdout.WriteLine($"Cloud: {result.InfraNote}.");
        return ExitCodes.Ok;
    }
}
