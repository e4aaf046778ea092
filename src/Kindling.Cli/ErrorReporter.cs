using Spectre.Console;

namespace Kindling.Cli;

/// <summary>Turns exceptions into a message on stderr and an exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception error, CliContext ctx)
    {
        var err = ctx.Stderr;
        switch (error)
        {
            case OperationCanceledException:
                err.WriteLine("Interrupted.");
                return ExitCodes.Interrupted;
            case InvalidInputException bad:
                foreach (var e in bad.Errors) err.WriteLine($"error: {e}");
                return ExitCodes.BadInput;
            case ResourcesNotReadyException notReady:
                err.WriteLine($"error: {notReady.Message}");
                foreach (var r in notReady.Resources)
                {
                    err.WriteLine($"  {r.Kind}/{r.Name}: {r.Reason}");
                    foreach (var line in r.Detail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                        err.WriteLine($"    {line.TrimEnd()}");
                }
                return ExitCodes.Failed;
            case KindlingException k:
                err.WriteLine($"error: {k.Message}");
                return ExitCodes.Failed;
            default:
                err.WriteLine($"error: unexpected failure: {error.GetType().Name}: {error.Message}");
                return ExitCodes.Failed;
        }
    }

    /// <summary>Escapes text for Spectre markup.</summary>
    public static string Safe(string text) => Markup.Escape(text);
}
