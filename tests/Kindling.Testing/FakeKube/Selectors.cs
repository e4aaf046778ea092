using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// A parsed <c>labelSelector</c> query parameter: <c>=</c>, <c>==</c>, <c>!=</c>, <c>in (...)</c>,
/// <c>notin (...)</c>, <c>key</c> (exists) and <c>!key</c> (does not exist), comma-separated and ANDed.
/// </summary>
internal sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim()));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Builds a selector from a <c>matchLabels</c>/<c>matchExpressions</c> object (Deployment spec.selector).</summary>
    public static LabelSelector FromObject(JsonNode? selector)
    {
        var requirements = new List<Requirement>();
        foreach (var (k, v) in Json.StringMap(selector?["matchLabels"]))
        {
            requirements.Add(new Requirement(k, Op.Equals, [v]));
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var values = (e["values"] as JsonArray)?.Select(x => x?.GetValue<string>() ?? "").ToList() ?? [];
                var op = Json.Str(e, "operator") switch
                {
                    "In" => Op.In,
                    "NotIn" => Op.NotIn,
                    "Exists" => Op.Exists,
                    _ => Op.DoesNotExist,
                };
                requirements.Add(new Requirement(Json.Str(e, "key") ?? "", op, values));
            }
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseTerm(string term)
    {
        if (term.Length == 0)
        {
            throw Invalid(term);
        }

        if (term.StartsWith('!'))
        {
            return new Requirement(ValidKey(term[1..].Trim(), term), Op.DoesNotExist, []);
        }

        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in", StringComparison.Ordinal) || words[1].StartsWith("notin", StringComparison.Ordinal)))
        {
            var notIn = words[1].StartsWith("notin", StringComparison.Ordinal);
            var rest = words[1][(notIn ? 5 : 2)..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw Invalid(term);
            }

            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToList();
            return new Requirement(ValidKey(words[0], term), notIn ? Op.NotIn : Op.In, values);
        }

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = term.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return new Requirement(ValidKey(term[..at].Trim(), term), op, [term[(at + token.Length)..].Trim()]);
            }
        }

        return new Requirement(ValidKey(term, term), Op.Exists, []);
    }

    private static string ValidKey(string key, string term) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!') ? throw Invalid(term) : key;

    private static ApiException Invalid(string term) =>
        ApiException.BadRequest($"unable to parse requirement: found '{term}', expected: identifier");
}

/// <summary>
/// A parsed <c>fieldSelector</c>. Like the apiserver, only a few fields per resource are selectable:
/// metadata.name and metadata.namespace everywhere, plus status.phase and spec.nodeName for pods and the
/// involvedObject.* fields and reason/type for events.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var terms = new List<(string, bool, string)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FieldSelector(terms);
        }

        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = raw.Contains("!=", StringComparison.Ordinal);
            var parts = raw.Split(notEqual ? "!=" : raw.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{raw}'");
            }

            var field = parts[0].Trim();
            if (!Supported(type, field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, !notEqual, parts[1].Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Value(obj, t.Field) == t.Value) == t.Equal);

    private static bool Supported(ResourceType type, string field) =>
        field is "metadata.name" or "metadata.namespace"
        || (type == ResourceCatalog.Pods && field is "status.phase" or "spec.nodeName" or "spec.restartPolicy" or "spec.serviceAccountName" or "status.podIP")
        || (type == ResourceCatalog.Events && (field.StartsWith("involvedObject.", StringComparison.Ordinal) || field is "reason" or "type" or "source"))
        || (type == ResourceCatalog.Secrets && field == "type");

    private static string Value(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
    }
}
