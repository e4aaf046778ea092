using System.CommandLine;
using System.Diagnostics;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling notebook</c>.</summary>
internal static class NotebookCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("notebook", "Port-forward to Jupyter and print its URL with the login token; runs until Ctrl+C");
        var cluster = EnvironmentOptions.AddCluster(command);
        var port = NumberOption.Create("--port", ["-p"], "Local port on 127.0.0.1 (default 8888; 0 picks a free one)", 8888, 0, 65535);
        var open = new Option<bool>("--open") { Description = "Open the URL in the default browser" };
        var rotate = new Option<bool>("--rotate-token") { Description = "Replace the login token with a new one and restart the notebook (earlier URLs stop working)" };
        command.Options.Add(rotate);
        command.Options.Add(port);
        command.Options.Add(open);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = cluster.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));
            var options = new NotebookOptions { LocalPort = parse.GetValue(port), RotateToken = parse.GetValue(rotate) };
            await NotebookOperation.RunAsync(environment, options, session =>
            {
                // The one place the token is shown: the user asked for the URL.
                ctx.Stdout.WriteLine(session.Url);
                ctx.Stdout.Flush();
                ctx.Stderr.WriteLine($"Forwarding 127.0.0.1:{session.LocalPort} to Pod/{session.Pod}; press Ctrl+C to stop.");
                if (parse.GetValue(open)) OpenBrowser(session.Url, ctx);
            }, ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Best effort: a missing opener (a server without a desktop) is a hint, not a failure.</summary>
    internal static void OpenBrowser(string url, CliContext ctx)
    {
        var opener = OperatingSystem.IsMacOS() ? "open" : OperatingSystem.IsWindows() ? "explorer" : "xdg-open";
        try
        {
            var start = new ProcessStartInfo(opener) { UseShellExecute = false };
            start.ArgumentList.Add(url);
            using var process = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            ctx.Stderr.WriteLine($"Could not open a browser ({opener}: {e.Message}); open the URL above yourself.");
        }
    }
}
