namespace Kindling.Tools;

/// <summary>
/// The environment external tools (docker, aws, terraform) are found in and run with. It comes from the caller,
/// the CLI context, never from this process's globals, so a test can put recording executables first on PATH or
/// point AWS credentials elsewhere per run without changing anything process-wide.
/// </summary>
/// <param name="GetVariable">Looks up an environment variable; null when unset.</param>
public sealed record ToolEnvironment(Func<string, string?> GetVariable)
{
    /// <summary>This process's own environment.</summary>
    public static ToolEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Sets <paramref name="environment"/> (a child's, inherited from this process) up for one tool.</summary>
    internal void ApplyTo(IDictionary<string, string?> environment, ToolVariables variables)
    {
        foreach (var name in variables.Forwarded)
        {
            var value = GetVariable(name);
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
        foreach (var (name, value) in variables.Fixed) environment[name] = value;
    }
}
