namespace Kindling;

/// <summary>Writes files through a temporary sibling and a rename, so an interrupted write leaves the old file or the new one.</summary>
internal static class AtomicFile
{
    /// <param name="path">The file.</param>
    /// <param name="content">Its text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="privateFile">Holds a secret: created 0600, so it is never readable by others, not even for a moment.</param>
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken, bool privateFile = false)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            if (privateFile && !OperatingSystem.IsWindows())
            {
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateDirectory.PrivateFile };
                await using (var stream = new FileStream(temp, options))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(content.AsMemory(), cancellationToken);
                }
                File.SetUnixFileMode(temp, PrivateDirectory.PrivateFile);
            }
            else
            {
                await File.WriteAllTextAsync(temp, content, cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
