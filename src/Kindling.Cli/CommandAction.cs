using System.CommandLine;

namespace Kindling.Cli;

/// <summary>Wires a command's body so every command shares exit-code handling.</summary>
internal static class CommandAction
{
    /// <summary>Sets an action whose body returns an exit code; exceptions go to <see cref="ErrorReporter"/>.</summary>
    public static void Set(Command command, CliContext ctx, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await body(parse, ct);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, ctx, ErrorReporter.WantsJson(parse));
            }
        });
}
