using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kindling.Json;

/// <summary>
/// Writes YAML from a JSON tree with YamlDotNet's event emitter only (no reflection over types, so it is cheap on a
/// cold start and safe under Native AOT). Keys keep the JSON tree's order, which for serialized records and
/// Kubernetes models is their declaration order, so equal objects always give equal bytes.
/// </summary>
internal static partial class JsonYaml
{
    /// <summary>One YAML document (no <c>---</c>) for <paramref name="node"/>.</summary>
    /// <param name="node">The tree; JSON nulls inside objects are left out, as <c>omitempty</c> serializers do.</param>
    /// <param name="plainScalar">
    /// Given the path of keys to a string value, whether it is written plain even when it looks like a number (for
    /// values that are numbers to their reader too, such as Kubernetes quantities).
    /// </param>
    public static string Write(JsonNode? node, Func<IReadOnlyList<string>, bool>? plainScalar = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        new Walker(emitter, plainScalar).Node(node, []);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>The style a string gets: the rules of KubernetesClient's <c>StringQuotingEmitter</c>, so files stay identical.</summary>
    internal static ScalarStyle StringStyle(string value) =>
        // YAML 1.1 booleans, nulls and numbers would read back as another type: they are double-quoted
        // (https://yaml.org/type/bool.html, YAML 1.2 §10.3.2); multi-line text is a literal block.
        NotAString().IsMatch(value) ? ScalarStyle.DoubleQuoted
        : value.Contains('\n') ? ScalarStyle.Literal
        : ScalarStyle.Any;

    [GeneratedRegex(@"^(\~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF|-?(0|[0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?)?$")]
    private static partial Regex NotAString();

    private sealed class Walker(IEmitter emitter, Func<IReadOnlyList<string>, bool>? plainScalar)
    {
        public void Node(JsonNode? node, List<string> path)
        {
            switch (node)
            {
                case null:
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                    break;
                case JsonObject obj:
                    emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Any));
                    foreach (var (key, value) in obj)
                    {
                        if (value is null) continue;
                        String(key);
                        path.Add(key);
                        Node(value, path);
                        path.RemoveAt(path.Count - 1);
                    }
                    emitter.Emit(new MappingEnd());
                    break;
                case JsonArray array:
                    emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Any));
                    foreach (var item in array) Node(item, path);
                    emitter.Emit(new SequenceEnd());
                    break;
                case JsonValue value:
                    Value(value, path);
                    break;
            }
        }

        private void Value(JsonValue value, List<string> path)
        {
            var kind = value.GetValueKind();
            switch (kind)
            {
                case JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (plainScalar is not null && NotAString().IsMatch(text) && text.Length > 0 && plainScalar(path))
                        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));
                    else
                        String(text);
                    break;
                case JsonValueKind.Number:
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToJsonString(), ScalarStyle.Plain, true, false));
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, kind == JsonValueKind.True ? "true" : "false", ScalarStyle.Plain, true, false));
                    break;
                default:
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                    break;
            }
        }

        private void String(string text) =>
            emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, StringStyle(text), true, true));
    }
}
