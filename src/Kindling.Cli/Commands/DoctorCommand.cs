using System.CommandLine;
using Kindling.Operations;
using Kindling.Operations.Doctor;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling doctor</c>.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("doctor", "Check on the live cluster what the environment needs (permissions, storage, DNS, capacity, images, EKS add-ons, IRSA, quotas) and how to fix each gap");
        var cluster = EnvironmentOptions.AddCluster(command);
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var noProbe = new Option<bool>("--no-dns-probe") { Description = "Do not start the short-lived pod that checks DNS from inside the namespace" };
        command.Options.Add(output);
        command.Options.Add(noProbe);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var json = parse.GetValue(output) == OutputFormat.Json;
            // Which check runs now (the probe pod can take a while); the verdicts are the result, on stdout.
            using var environment = cluster.Create(parse, ctx, new StartsOnly(new ProgressRenderer(ctx.ErrorConsole, labelSubjects: true)));
            var result = await DoctorOperation.RunAsync(environment, new DoctorOptions { DnsProbe = !parse.GetValue(noProbe) }, ct);
            if (json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.DoctorResult);
            else WriteText(ctx.Stdout, result);
            return result.Failed ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(TextWriter writer, DoctorResult result)
    {
        writer.WriteLine($"Namespace {result.Namespace} on {result.Cluster}:");
        var width = result.Checks.Max(c => c.Check.Length);
        foreach (var c in result.Checks)
        {
            writer.WriteLine($"  {Word(c.Status),-4}  {c.Check.PadRight(width)}  {c.Found}");
            if (c.Fix is not null && c.Status != CheckStatus.Ok) writer.WriteLine($"  {"",-4}  {"".PadRight(width)}  fix: {c.Fix}");
        }
        var s = result.Summary;
        writer.WriteLine($"{s[CheckStatus.Ok]} ok, {s[CheckStatus.Warn]} warning(s), {s[CheckStatus.Fail]} failure(s).");
    }

    private sealed class StartsOnly(IProgress<ProgressEvent> inner) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value)
        {
            // And which cluster doctor found, and why: what the checks expect depends on it.
            if (value.Status is ProgressStatus.Started or ProgressStatus.Waiting || value is { Subject: "cluster", Status: ProgressStatus.Info }) inner.Report(value);
        }
    }

    private static string Word(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warn => "warn",
        _ => "FAIL",
    };
}
