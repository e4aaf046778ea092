namespace Kindling.Operations;

/// <summary>
/// The <c>.gitignore</c> beside kindling.yaml: Kindling's local state (<c>.kindling/</c>: Terraform state and
/// outputs) and the default render output are machine-specific and never belong in a repository.
/// </summary>
public static class GitIgnore
{
    /// <summary>The render output folder when <c>--output-dir</c> is not given.</summary>
    public const string DefaultRenderOutput = "kindling-out/";

    /// <summary>The lines Kindling wants ignored.</summary>
    public static readonly IReadOnlyList<string> Lines = [".kindling/", DefaultRenderOutput];

    /// <summary>
    /// Appends whichever of <see cref="Lines"/> the file lacks (creating it when missing) and never rewrites or
    /// reorders what is there. Returns the lines added.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, ".gitignore");
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        var present = existing.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        var missing = Lines.Where(l => !present.Contains(l) && !present.Contains(l.TrimEnd('/'))).ToList();
        if (missing.Count == 0) return [];
        var prefix = existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : "";
        var block = prefix + (existing.Length > 0 ? "\n" : "") + "# kindling: local state and rendered output\n" + string.Concat(missing.Select(l => l + "\n"));
        await File.AppendAllTextAsync(path, block, cancellationToken).ConfigureAwait(false);
        return missing;
    }
}
