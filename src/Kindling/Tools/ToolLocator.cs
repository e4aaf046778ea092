namespace Kindling.Tools;

/// <summary>
/// Finds executables on the PATH of a <see cref="ToolEnvironment"/> (the caller's), not on this process's, so what
/// runs is what the caller's PATH says.
/// </summary>
internal static class ToolLocator
{
    /// <summary>The full path of <paramref name="tool"/>.</summary>
    /// <exception cref="ExternalToolException">It is not on PATH; the message says how to install it.</exception>
    public static string Find(ToolEnvironment environment, ExternalTool tool) =>
        TryFind(environment, tool.Name) ?? throw new ExternalToolException(tool.Name, -1, "", tool.NotFoundHint);

    /// <summary>The full path of <paramref name="executable"/> on the PATH of <paramref name="environment"/>, or null.</summary>
    public static string? TryFind(ToolEnvironment environment, string executable)
    {
        // Windows finds commands by extension; .cmd covers the shims some installers put on PATH.
        string[] names = OperatingSystem.IsWindows() ? [executable + ".exe", executable + ".cmd", executable] : [executable];
        foreach (var dir in (environment.GetVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    // A non-executable file of the same name earlier on PATH is skipped, as a shell would.
    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
