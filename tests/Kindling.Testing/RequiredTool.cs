namespace Kindling.Testing;

/// <summary>
/// Finds an executable a test needs. A missing tool fails the test loudly with how to install it; tests
/// never skip silently, in CI or anywhere else.
/// </summary>
public static class RequiredTool
{
    public static string Find(string name, string installHint)
    {
        var found = TryFind(name);
        if (found is not null) return found;
        var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: .ci/run must install it)" : "";
        throw new InvalidOperationException($"required tool '{name}' is not on PATH{ci}. {installHint}");
    }

    public static string? TryFind(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
