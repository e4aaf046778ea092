using Kindling.Configuration;

namespace Kindling.Operations;

/// <summary>Options of <see cref="InitOperation"/>.</summary>
/// <param name="ConfigPath">Absolute path of the file to write.</param>
/// <param name="DisplayPath">The path as the user gave it, for messages.</param>
/// <param name="Force">Overwrite an existing file.</param>
public sealed record InitOptions(string ConfigPath, string DisplayPath, bool Force);

/// <summary>What <see cref="InitOperation"/> did.</summary>
/// <param name="ConfigPath">The file written.</param>
/// <param name="Overwritten">Whether an existing file was replaced.</param>
public sealed record InitResult(string ConfigPath, bool Overwritten)
{
    /// <summary>Lines appended to the <c>.gitignore</c> beside the config (empty when it had them all).</summary>
    public IReadOnlyList<string> GitIgnoreAdded { get; init; } = [];
}

/// <summary><c>kindling init</c>: writes a commented kindling.yaml with every key at its default, and a .gitignore for Kindling's local files.</summary>
public static class InitOperation
{
    /// <summary>Writes the file; refuses to replace an existing one unless forced.</summary>
    public static async Task<InitResult> RunAsync(InitOptions options, CancellationToken cancellationToken)
    {
        var exists = File.Exists(options.ConfigPath);
        if (exists && !options.Force)
            throw new InvalidInputException("--file", $"{options.DisplayPath} already exists; use --force to overwrite it");
        var directory = Path.GetDirectoryName(options.ConfigPath);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await AtomicFile.WriteAsync(options.ConfigPath, ConfigTemplate.Render(new EnvironmentSpec()), cancellationToken);
        var added = await GitIgnore.EnsureAsync(string.IsNullOrEmpty(directory) ? "." : directory, cancellationToken);
        return new InitResult(options.ConfigPath, exists) { GitIgnoreAdded = added };
    }
}
