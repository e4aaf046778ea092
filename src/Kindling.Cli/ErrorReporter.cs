using System.CommandLine;
using Kindling.Cli.Json;
using Spectre.Console;

namespace Kindling.Cli;

/// <summary>
/// Turns exceptions into a message on stderr and an exit code; under <c>-o json</c> also into an error object on
/// stdout (<c>{"error": {"code", "message", "location"}}</c>), so a script reads both outcomes the same way.
/// </summary>
internal static class ErrorReporter
{
    public static int Report(Exception error, CliContext ctx, bool json = false)
    {
        var err = ctx.Stderr;
        switch (error)
        {
            case OperationCanceledException:
                err.WriteLine("Interrupted.");
                if (json) WriteJson(ctx, "interrupted", "interrupted", null);
                return ExitCodes.Interrupted;
            case InvalidInputException bad:
                foreach (var e in bad.Errors) err.WriteLine($"error: {e}");
                if (json) WriteJson(ctx, "invalid_input", bad.Errors);
                return ExitCodes.BadInput;
            case ResourcesNotReadyException notReady:
                err.WriteLine($"error: {notReady.Message}");
                foreach (var r in notReady.Resources)
                {
                    err.WriteLine($"  {r.Kind}/{r.Name}: {r.Reason}");
                    foreach (var line in r.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                        err.WriteLine($"    {line.TrimEnd()}");
                }
                if (json) WriteJson(ctx, "not_ready", notReady.Message, null);
                return ExitCodes.Failed;
            case KubernetesApiException api:
                err.WriteLine($"error: {api.Message}");
                if (json) WriteJson(ctx, "kubernetes_api", api.Message, null);
                return ExitCodes.Failed;
            case ExternalToolException tool:
                err.WriteLine($"error: {tool.Message}");
                if (json) WriteJson(ctx, "external_tool", tool.Message, null);
                return ExitCodes.Failed;
            case KindlingException k:
                err.WriteLine($"error: {k.Message}");
                if (json) WriteJson(ctx, "failed", k.Message, null);
                return ExitCodes.Failed;
            default:
                // A bug: said plainly, without a .NET type name or stack trace.
                var message = $"unexpected failure ({error.Message}); please report it with the command you ran";
                err.WriteLine($"error: {message}");
                if (json) WriteJson(ctx, "internal", message, null);
                return ExitCodes.Failed;
        }
    }

    /// <summary>Whether the command line asked for <c>-o json</c> (even when parsing it failed elsewhere).</summary>
    public static bool WantsJson(ParseResult parse)
    {
        var output = parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--output");
        var tokens = output is null ? null : parse.GetResult(output)?.Tokens;
        return tokens is { Count: > 0 } && string.Equals(tokens[0].Value, "json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the error object for input problems: the first one's location, every message.</summary>
    public static void WriteJson(CliContext ctx, string code, IReadOnlyList<InputError> problems)
    {
        var first = problems.FirstOrDefault();
        var location = first is null ? null : first.Location?.ToString() ?? (first.Path.Length > 0 ? first.Path : null);
        var body = new ErrorBody(code, string.Join("\n", problems.Select(p => p.ToString())), location,
            problems.Select(p => new ProblemOutput(p.Location?.ToString(), p.Path, p.Message)).ToList());
        JsonOutput.Write(ctx.Stdout, new ErrorOutput(body), JsonOutput.WithNulls.ErrorOutput);
    }

    private static void WriteJson(CliContext ctx, string code, string message, string? location) =>
        JsonOutput.Write(ctx.Stdout, new ErrorOutput(new ErrorBody(code, message, location)), JsonOutput.WithNulls.ErrorOutput);

    /// <summary>Escapes text for Spectre markup.</summary>
    public static string Safe(string text) => Markup.Escape(text);
}
