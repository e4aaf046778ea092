namespace Kindling;

/// <summary>
/// Creates directories that hold state only the user may read (<c>.kindling/</c>: local state, Terraform state and
/// its plan files, which Terraform itself writes world-readable under the default umask). Mode 0700 on the
/// directory makes every file below it private, whatever mode the tool that wrote the file chose.
/// </summary>
internal static class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) and makes it owner-only.</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnly);
        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0) File.SetUnixFileMode(path, OwnerOnly);
    }

    /// <summary>Owner read/write: the mode of every file Kindling writes that may hold a secret.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
