namespace Kindling.Operations;

/// <summary>
/// Decides whether a directory may receive rendered files, before anything is written: never a file system root,
/// never a file, never inside a kernel pseudo-file-system, and never below a path that is a file.
/// </summary>
internal static class OutputDirectory
{
    // Linux's virtual file systems: writes there reach the kernel, not a disk.
    private static readonly string[] PseudoFileSystems = ["/proc", "/sys", "/dev"];

    /// <summary>What is wrong with <paramref name="fullPath"/> as an output directory, or null.</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="display">The path as the user wrote it.</param>
    public static string? Problem(string fullPath, string display)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        if (full.Length == 0 || string.Equals(Path.GetPathRoot(fullPath), Path.GetFullPath(fullPath), StringComparison.Ordinal))
            return $"{display} is the file system root; give the render a directory of its own, e.g. kindling-out";
        if (!OperatingSystem.IsWindows())
        {
            foreach (var pseudo in PseudoFileSystems)
            {
                if (full == pseudo || full.StartsWith(pseudo + "/", StringComparison.Ordinal))
                    return $"{display} is inside {pseudo}, a kernel file system, not storage; pass a directory on disk";
            }
        }
        if (File.Exists(full)) return $"{display} is a file; pass a directory (it is created when missing)";
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent)) return $"{display} is below {parent}, which is a file; pass a directory";
            if (Directory.Exists(parent)) break;
        }
        return null;
    }
}
