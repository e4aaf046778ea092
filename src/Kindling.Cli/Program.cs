using Kindling.Cli;

var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
var ctx = new CliContext
{
    Stdout = Console.Out,
    Stderr = Console.Error,
    Stdin = Console.In,
    Console = CliContext.CreateConsole(Console.Out, ansi: !Console.IsOutputRedirected, interactive),
    ErrorConsole = CliContext.CreateConsole(Console.Error, ansi: !Console.IsErrorRedirected, interactive),
    WorkingDirectory = Environment.CurrentDirectory,
    Interactive = interactive,
};

using var cts = new CancellationTokenSource();
var interrupted = false;
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the operation so it can stop cleanly; a second one kills the process.
    if (interrupted) return;
    interrupted = true;
    e.Cancel = true;
    cts.Cancel();
};
var code = await CliApp.RunAsync(args, ctx, cts.Token);
return interrupted && code != 0 ? ExitCodes.Interrupted : code;
