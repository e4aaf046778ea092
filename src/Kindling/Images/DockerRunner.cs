using Kindling.Tools;

namespace Kindling.Images;

/// <summary>One <c>docker build</c>.</summary>
/// <param name="ContextDirectory">The build context (it holds the Dockerfile).</param>
/// <param name="Reference">The image reference to tag the result with.</param>
/// <param name="BuildArgs">Build arguments, passed as <c>--build-arg NAME=value</c> in the given order.</param>
/// <param name="Labels">Labels added to the image, passed as <c>--label NAME=value</c>.</param>
internal sealed record DockerBuild(
    string ContextDirectory,
    string Reference,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Runs the real <c>docker</c> executable (found on the caller's PATH), one argument per
/// <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/> entry. Failures carry the end of docker's output.
/// </summary>
internal sealed class DockerRunner(ToolEnvironment environment)
{
    /// <summary>Said when <c>docker info</c> gets no answer from the daemon.</summary>
    public const string NotRunningMessage = "Docker is not running: start it, or set images.build: false and give images explicitly";

    /// <summary>Checks that the daemon answers (<c>docker info</c>).</summary>
    /// <exception cref="KindlingException">The daemon is not reachable; docker's own reason follows the message.</exception>
    public async Task EnsureDaemonAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["info", "--format", "{{.ServerVersion}}"], ToolOutput.Capture, null, cancellationToken);
        if (result.ExitCode != 0 || result.Stdout.Trim().Length == 0)
        {
            var reason = result.Tail.Trim();
            throw new KindlingException(reason.Length == 0 ? NotRunningMessage : $"{NotRunningMessage}\n{reason}");
        }
    }

    /// <summary>
    /// The value of <paramref name="label"/> on the local image <paramref name="reference"/>: null when the image
    /// does not exist, empty when it exists without the label (<c>docker image inspect</c>).
    /// </summary>
    public async Task<string?> GetImageLabelAsync(string reference, string label, CancellationToken cancellationToken)
    {
        // The label name is passed as a Go template string literal; label names hold no quotes.
        var format = $"{{{{ index .Config.Labels \"{label}\" }}}}";
        var result = await RunAsync(["image", "inspect", "--format", format, reference], ToolOutput.Capture, null, cancellationToken);
        if (result.ExitCode != 0) return null;
        var value = result.Stdout.Trim();
        return value == "<no value>" ? "" : value;
    }

    /// <summary>Builds one image; every output line goes to <paramref name="onLine"/>.</summary>
    public async Task BuildAsync(DockerBuild build, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "build", "--tag", build.Reference };
        foreach (var (name, value) in build.BuildArgs)
        {
            arguments.Add("--build-arg");
            arguments.Add($"{name}={value}");
        }
        foreach (var (name, value) in build.Labels)
        {
            arguments.Add("--label");
            arguments.Add($"{name}={value}");
        }
        arguments.Add(build.ContextDirectory);
        var result = await RunAsync(arguments, ToolOutput.Lines, onLine, cancellationToken);
        if (result.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Docker.Name, result.ExitCode, result.Tail, $"building {build.Reference} failed");
    }

    /// <summary>Pushes one image.</summary>
    public async Task PushAsync(string reference, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["push", reference], ToolOutput.Lines, onLine, cancellationToken);
        if (result.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Docker.Name, result.ExitCode, result.Tail, $"pushing {reference} failed");
    }

    /// <summary>
    /// Starts <c>docker login --username U --password-stdin HOST</c> reading the password from
    /// <paramref name="password"/>, so the password never appears on a command line.
    /// </summary>
    public ToolProcess StartLogin(string registryHost, string username, Stream password) =>
        ToolProcess.Start(Options(["login", "--username", username, "--password-stdin", registryHost], ToolOutput.Capture, null) with
        {
            Input = password,
        });

    private Task<ToolResult> RunAsync(IReadOnlyList<string> arguments, ToolOutput output, Action<string>? onLine, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(Options(arguments, output, onLine), cancellationToken);

    // docker build writes its progress to stderr (BuildKit) or stdout (classic builder): both go to onLine.
    private ToolRunOptions Options(IReadOnlyList<string> arguments, ToolOutput output, Action<string>? onLine) => new()
    {
        Tool = ImageTools.Docker,
        Arguments = arguments,
        Environment = environment,
        Output = output,
        OnOutputLine = onLine,
        OnErrorLine = onLine,
    };
}
