namespace Kindling.Images;

/// <summary>
/// The environment external tools (docker, aws) are found in and run with. It comes from the caller, the CLI
/// context, never from this process's globals, so a test can put recording executables first on PATH
/// without changing anything process-wide.
/// </summary>
/// <param name="GetVariable">Looks up an environment variable; null when unset.</param>
public sealed record ToolEnvironment(Func<string, string?> GetVariable)
{
    /// <summary>This process's own environment.</summary>
    public static ToolEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    // A child inherits this process's environment; these are the variables the tools read, taken from the
    // caller so its view (which may differ from the process's) is the one the tools see. A null value removes one.
    private static readonly string[] Forwarded =
    [
        "PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
        "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE",
    ];

    /// <summary>The full path of <paramref name="executable"/> on this environment's PATH, or null.</summary>
    public string? Find(string executable)
    {
        var path = GetVariable("PATH") ?? "";
        string[] names = OperatingSystem.IsWindows() ? [executable + ".exe", executable + ".cmd", executable] : [executable];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    internal void ApplyTo(IDictionary<string, string?> environment)
    {
        foreach (var name in Forwarded)
        {
            var value = GetVariable(name);
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
