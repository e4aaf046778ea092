using System.Text;

namespace Kindling;

/// <summary>The root of every failure Kindling reports. Only the CLI turns these into messages and exit codes.</summary>
public class KindlingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KindlingException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A position in an input file, 1-based, as editors show it.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One problem with the user's input.</summary>
/// <param name="Location">Where it is, when it comes from a file.</param>
/// <param name="Path">The key path (<c>spark.executors.memory</c>) or argument name (<c>--conf</c>).</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed record InputError(SourceLocation? Location, string Path, string Message)
{
    /// <summary><c>kindling.yaml:12:5 spark.executors.memory: message</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Location is not null) sb.Append(Location).Append(' ');
        if (Path.Length > 0) sb.Append(Path).Append(": ");
        sb.Append(Message);
        return sb.ToString();
    }
}

/// <summary>Bad input (config or arguments): exit code 2, and nothing was changed anywhere.</summary>
public class InvalidInputException : KindlingException
{
    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<InputError> Errors { get; }

    /// <summary>Creates the exception from one or more errors.</summary>
    public InvalidInputException(IReadOnlyList<InputError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString()))) => Errors = errors;

    /// <summary>Creates the exception from a single error.</summary>
    public InvalidInputException(string path, string message, SourceLocation? location = null)
        : this([new InputError(location, path, message)]) { }
}

/// <summary>The configuration file is malformed or invalid.</summary>
public sealed class ConfigValidationException(IReadOnlyList<InputError> errors) : InvalidInputException(errors);

/// <summary>The Kubernetes API refused a request.</summary>
public sealed class KubernetesApiException(int statusCode, string reason, string message, Exception? inner = null)
    : KindlingException(message, inner)
{
    /// <summary>HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The Status reason (<c>NotFound</c>, <c>Forbidden</c>, <c>Conflict</c> ...).</summary>
    public string Reason { get; } = reason;
}

/// <summary>An external tool (terraform, docker, aws) failed.</summary>
public sealed class ExternalToolException(string tool, int exitCode, string stderrTail, string? hint = null)
    : KindlingException(Describe(tool, exitCode, stderrTail, hint))
{
    /// <summary>The executable.</summary>
    public string Tool { get; } = tool;

    /// <summary>Its exit code; -1 when it could not be started.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>The last lines of its standard error.</summary>
    public string StderrTail { get; } = stderrTail;

    private static string Describe(string tool, int exitCode, string stderrTail, string? hint)
    {
        var head = exitCode < 0 ? $"{tool} could not be started" : $"{tool} exited with code {exitCode}";
        var sb = new StringBuilder(head);
        if (!string.IsNullOrWhiteSpace(hint)) sb.Append(": ").Append(hint);
        if (!string.IsNullOrWhiteSpace(stderrTail)) sb.AppendLine().Append(stderrTail.TrimEnd());
        return sb.ToString();
    }
}

/// <summary>A resource that did not become ready, and why.</summary>
/// <param name="Kind">Kubernetes kind.</param>
/// <param name="Name">Object name.</param>
/// <param name="Reason">Short reason (<c>ImagePullBackOff</c>, <c>FailedScheduling</c>, <c>Pending</c>).</param>
/// <param name="Detail">Message from status or events, and last log lines where they help.</param>
public sealed record UnreadyResource(string Kind, string Name, string Reason, string Detail);

/// <summary>Resources did not become ready in time.</summary>
public sealed class ResourcesNotReadyException(IReadOnlyList<UnreadyResource> resources, string message)
    : KindlingException(message)
{
    /// <summary>Every resource that is not ready, with its reason.</summary>
    public IReadOnlyList<UnreadyResource> Resources { get; } = resources;
}
