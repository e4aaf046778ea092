using System.Text.Json;
using Kindling.Json;

namespace Kindling.Operations;

/// <summary>What happened to one file of a render.</summary>
public enum FileChange
{
    /// <summary>The file is new.</summary>
    Created,

    /// <summary>The file existed with other content.</summary>
    Updated,

    /// <summary>The file already held exactly this content; it was not touched.</summary>
    Unchanged,

    /// <summary>A file an earlier render wrote that this render no longer produces.</summary>
    Removed,
}

/// <summary>One file's outcome.</summary>
/// <param name="RelativePath">Path under the output directory.</param>
/// <param name="Change">What happened to it.</param>
public sealed record WrittenFile(string RelativePath, FileChange Change);

/// <summary>
/// Writes rendered files into an output directory. Unchanged files are left alone (their timestamps too, so
/// build tools see no change); each write goes through a temporary file and a rename; and files that an earlier
/// render wrote but this one does not are removed, so the directory always equals the current render. Files the
/// user put there are never touched: only paths recorded in the directory's manifest are candidates for removal.
/// </summary>
internal static class RenderedOutputWriter
{
    /// <summary>The manifest of what Kindling wrote into an output directory.</summary>
    public const string ManifestFile = ".kindling-rendered.json";

    public static async Task<IReadOnlyList<WrittenFile>> WriteAsync(string outputDirectory, IReadOnlyList<RenderedFile> files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var previous = ReadManifest(outputDirectory);
        var results = new List<WrittenFile>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = FullPath(outputDirectory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            FileChange change;
            if (!File.Exists(path)) change = FileChange.Created;
            else if (await File.ReadAllTextAsync(path, cancellationToken) == file.Content) change = FileChange.Unchanged;
            else change = FileChange.Updated;
            if (change != FileChange.Unchanged) await AtomicFile.WriteAsync(path, file.Content, cancellationToken, file.Private);
            else if (file.Private && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, PrivateDirectory.PrivateFile);
            results.Add(new WrittenFile(file.RelativePath, change));
        }

        var current = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in previous.Where(p => !current.Contains(p)).Order(StringComparer.Ordinal))
        {
            var path = FullPath(outputDirectory, stale);
            if (!File.Exists(path)) continue;
            File.Delete(path);
            results.Add(new WrittenFile(stale, FileChange.Removed));
        }
        await AtomicFile.WriteAsync(Path.Combine(outputDirectory, ManifestFile),
            JsonSerializer.Serialize(current.Order(StringComparer.Ordinal).ToArray(), KindlingJsonContext.Default.StringArray), cancellationToken);
        return results;
    }

    private static IReadOnlyList<string> ReadManifest(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, ManifestFile);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), KindlingJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            // A damaged manifest only costs stale-file cleanup; the render itself is still complete.
            return [];
        }
    }

    /// <summary>Resolves a relative path and refuses anything that would land outside the output directory.</summary>
    private static string FullPath(string outputDirectory, string relativePath)
    {
        var root = Path.GetFullPath(outputDirectory);
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"rendered path {relativePath} escapes the output directory");
        return full;
    }
}
