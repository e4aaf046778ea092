namespace Kindling;

/// <summary>
/// Checks a file the user named (kindling.yaml, a kubeconfig) before anything reads it. It never opens the file:
/// opening a FIFO for reading blocks until a writer appears, and a device or a huge file would hang or exhaust
/// memory. .NET does not expose the file type on Unix, but a regular file is the only kind with a size, so a
/// zero length covers an empty file, a pipe, a socket and a device alike.
/// </summary>
public static class InputFile
{
    /// <summary>Larger than any config or kubeconfig; a bigger file is not one.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    /// <summary>What is wrong with <paramref name="fullPath"/> as an input file, or null when it can be read.</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="display">The path as the user wrote it.</param>
    /// <param name="what">What the file should be, for the hint (<c>a kubeconfig</c>).</param>
    /// <param name="maxBytes">The largest size accepted (application jars may be far larger than a config).</param>
    public static string? Problem(string fullPath, string display, string what, long maxBytes = MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (Directory.Exists(fullPath)) return $"{display} is a directory; pass {what} file";
        if (!File.Exists(fullPath)) return $"{display} does not exist";
        long length;
        try
        {
            length = new FileInfo(fullPath).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{display} cannot be read ({e.Message})";
        }
        if (length == 0) return $"{display} is empty, or is not a regular file (a pipe, socket or device); pass {what} file";
        if (length > maxBytes) return $"{display} is {length / (1024 * 1024)} MiB, too large to be {what}";
        // Only now is opening safe (a regular file with content): permissions are checked by the kernel at open,
        // so an unreadable file is found before anything is sent anywhere.
        try
        {
            using var probe = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (UnauthorizedAccessException)
        {
            return $"{display} cannot be read: permission denied; check its mode and owner (ls -l {display})";
        }
        catch (IOException e)
        {
            return $"{display} cannot be read ({e.Message})";
        }
        return null;
    }

    /// <summary>Reads a checked input file as text.</summary>
    /// <exception cref="InvalidInputException">It is not a readable regular file; <paramref name="argument"/> names where it came from.</exception>
    public static string ReadAllText(string fullPath, string display, string what, string argument)
    {
        if (Problem(fullPath, display, what) is { } problem) throw new InvalidInputException(argument, problem);
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(argument, $"{display} cannot be read ({e.Message})");
        }
    }
}
