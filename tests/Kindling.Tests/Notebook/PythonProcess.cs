using System.Diagnostics;
using Kindling.Testing;

namespace Kindling.Tests.Notebook;

/// <summary>The outcome of one Python run.</summary>
internal sealed record PythonResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs real Python interpreters for the notebook tests.</summary>
internal static class PythonProcess
{
    /// <summary>Variables the notebook start-up file reads; cleared so the host's own env cannot leak into a test.</summary>
    private static readonly string[] ClearedPrefixes = ["SPARK_", "PYSPARK_", "JUPYTER_", "IPYTHON", "PYTHON"];

    /// <summary>The python3 on PATH (pyenv here): the start-up file's pure function needs nothing but the stdlib.</summary>
    public static string Python3() =>
        RequiredTool.Find("python3", "Install Python 3 (apt-get install -y python3).");

    /// <summary>
    /// The Python that runs Debian's Jupyter, read from the <c>jupyter</c> script's shebang, so nbformat, nbclient
    /// and ipykernel are importable whichever python3 comes first on PATH.
    /// </summary>
    public static string JupyterPython()
    {
        const string hint = "Install Debian's Jupyter: apt-get update && apt-get install -y jupyter-notebook python3-nbclient python3-ipykernel";
        var jupyter = RequiredTool.Find("jupyter", hint);
        var firstLine = File.ReadLines(jupyter).FirstOrDefault() ?? "";
        if (!firstLine.StartsWith("#!", StringComparison.Ordinal))
            throw new InvalidOperationException($"{jupyter} is not a Python script (no shebang). {hint}");
        var interpreter = firstLine[2..].Trim().Split(' ')[0];
        if (!File.Exists(interpreter))
            throw new InvalidOperationException($"{jupyter} names {interpreter}, which does not exist. {hint}");
        return interpreter;
    }

    /// <summary>Runs <c>python -c script args...</c> with a clean Spark/Jupyter/Python environment plus <paramref name="env"/>.</summary>
    public static async Task<PythonResult> RunAsync(
        string python, string script, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (ClearedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) start.Environment.Remove(key);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        // A safety net against a hung interpreter, not an assertion about speed.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{python} did not finish within 3 minutes");
        }

        return new PythonResult(process.ExitCode, await stdout, await stderr);
    }
}
