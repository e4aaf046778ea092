namespace Kindling.Tools;

/// <summary>An executable Kindling runs, and what it needs to say and pass when it does.</summary>
/// <param name="Name">The executable's name on PATH, e.g. <c>docker</c>; also the tool named in failures.</param>
/// <param name="InstallHint">How to install it; shown when it is missing or cannot be started.</param>
/// <param name="Variables">The environment variables it gets from the caller.</param>
internal sealed record ExternalTool(string Name, string InstallHint, ToolVariables Variables)
{
    /// <summary>The hint when <see cref="Name"/> is not on PATH; by default the install hint after saying so.</summary>
    public string NotFoundHint { get; init; } = $"'{Name}' is not on PATH. {InstallHint}";
}
