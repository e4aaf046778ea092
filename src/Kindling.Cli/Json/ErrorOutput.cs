using System.Text.Json.Serialization;

namespace Kindling.Cli.Json;

/// <summary>The error object of every command under <c>-o json</c>: <c>{"error": {"code", "message", "location"}}</c>.</summary>
internal sealed record ErrorOutput(ErrorBody Error);

/// <summary>Code, message and location are always present (null when unknown); problems only for bad input.</summary>
internal sealed record ErrorBody(
    string Code,
    string Message,
    string? Location,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProblemOutput>? Problems = null);

/// <summary>One located input problem.</summary>
internal sealed record ProblemOutput(string? Location, string Path, string Message);
