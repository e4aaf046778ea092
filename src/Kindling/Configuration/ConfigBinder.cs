using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kindling.Configuration;

/// <summary>
/// Binds a YAML document onto <see cref="EnvironmentSpec"/>, starting from the defaults, and records where each
/// key path sits in the file. Keys are the camelCase names of the spec's properties, so the model is the one
/// schema: a new property is configurable, documented by <c>init</c> and validated for unknown-key typos at once.
/// Binding never stops at the first problem; every error is collected with its location.
/// </summary>
// The schema is the spec's own records, found by reflection: ILLink.Descriptors.xml keeps every type of
// Kindling.Configuration whole in a trimmed/AOT binary, and the lists made with MakeGenericType have reference-type
// elements (records, string), whose shared code AOT always has. .ci/run's AOT smoke test binds a kindling.yaml.
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Why)]
[UnconditionalSuppressMessage("Trimming", "IL2067", Justification = Why)]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Why)]
[UnconditionalSuppressMessage("Trimming", "IL2072", Justification = Why)]
[UnconditionalSuppressMessage("Trimming", "IL2075", Justification = Why)]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = Why)]
internal sealed class ConfigBinder
{
    internal const string Why = "kindling.yaml schema records are rooted by ILLink.Descriptors.xml; list elements are reference types";

    private readonly string _file;
    private readonly List<InputError> _errors = [];

    /// <summary>Where each bound key path (<c>spark.executors.memory</c>, <c>aws.availabilityZones[1].name</c>) starts.</summary>
    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<InputError> Errors => _errors;

    private ConfigBinder(string file) => _file = file;

    public static (EnvironmentSpec Spec, ConfigBinder Binder) Bind(string yaml, string file)
    {
        var binder = new ConfigBinder(file);
        var spec = new EnvironmentSpec();
        var root = binder.ReadDocument(yaml);
        if (root is YamlMappingNode mapping) spec = (EnvironmentSpec)binder.BindRecord(typeof(EnvironmentSpec), spec, mapping, "");
        return (spec, binder);
    }

    private YamlNode? ReadDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            _errors.Add(new InputError(At(e.Start), "", "YAML syntax error: " + Describe(e)));
            return null;
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode, "", "the file holds more than one YAML document; keep one");
            return null;
        }
        var root = stream.Documents[0].RootNode;
        if (IsNull(root)) return null;
        if (root is not YamlMappingNode)
        {
            Error(root, "", "the top level must be a mapping of keys (name, namespace, spark, notebook, images, aws, terraform)");
            return null;
        }
        return root;
    }

    private object BindRecord(Type type, object instance, YamlMappingNode mapping, string path)
    {
        var properties = ConfigSchema.PropertiesOf(type);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, path, "keys must be plain strings");
                continue;
            }
            var keyPath = Join(path, key);
            if (!seen.Add(key))
            {
                Error(keyNode, keyPath, $"'{key}' is given more than once; keep one");
                continue;
            }
            if (!properties.TryGetValue(key, out var property))
            {
                Error(keyNode, keyPath, UnknownKey(key, properties.Keys, path));
                continue;
            }
            Locations[keyPath] = At(valueNode.Start);
            var current = property.GetValue(instance);
            if (TryConvert(property.PropertyType, current, valueNode, keyPath, out var value))
                property.SetValue(instance, value);
        }
        return instance;
    }

    private bool TryConvert(Type type, object? current, YamlNode node, string path, out object? value)
    {
        value = null;
        var nullable = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            if (nullable is not null || (!type.IsValueType && ConfigSchema.IsNullable(type, path)))
                return true;
            Error(node, path, "a value is required here; remove the key to use the default");
            return false;
        }
        var target = nullable ?? type;
        if (target == typeof(string)) return Scalar(node, path, "a string", s => s, out value);
        if (target == typeof(int))
            return Scalar(node, path, "a whole number", s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null, out value);
        if (target == typeof(bool))
            return Scalar(node, path, "true or false", s => s switch { "true" => true, "false" => false, _ => (object?)null }, out value);
        if (target == typeof(IReadOnlyDictionary<string, string>)) return BindStringMap(node, path, out value);
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            return BindList(target.GetGenericArguments()[0], node, path, out value);
        if (ConfigSchema.IsRecord(target))
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, path, $"expected a mapping of keys ({string.Join(", ", ConfigSchema.PropertiesOf(target).Keys)})");
                return false;
            }
            // Errors inside the mapping are recorded per key; the keys that did bind still apply.
            value = BindRecord(target, current ?? Activator.CreateInstance(target)!, map, path);
            return true;
        }
        throw new InvalidOperationException($"config property type {target} has no binding");
    }

    private bool Scalar(YamlNode node, string path, string expected, Func<string, object?> parse, out object? value)
    {
        value = null;
        if (node is not YamlScalarNode scalar)
        {
            Error(node, path, $"expected {expected}, got a {(node is YamlMappingNode ? "mapping" : "list")}");
            return false;
        }
        // Quoted scalars are always strings: '8' stays text for a string key but is not a number for an int key.
        var text = scalar.Value ?? "";
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        value = expected == "a string" ? text : quoted ? null : parse(text);
        if (value is not null) return true;
        Error(node, path, $"expected {expected}, got '{text}'");
        return false;
    }

    private bool BindStringMap(YamlNode node, string path, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode map)
        {
            Error(node, path, "expected a mapping of key: value strings");
            return false;
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var entryPath = $"{path}[{key}]";
            if (result.ContainsKey(key))
            {
                Error(keyNode, entryPath, $"'{key}' is given more than once; keep one");
                ok = false;
                continue;
            }
            Locations[entryPath] = At(valueNode.Start);
            if (Scalar(valueNode, entryPath, "a string", s => s, out var v)) result[key] = (string)v!;
            else ok = false;
        }
        value = result;
        return ok;
    }

    private bool BindList(Type elementType, YamlNode node, string path, out object? value)
    {
        value = null;
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, "expected a list");
            return false;
        }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var itemPath = $"{path}[{i}]";
            Locations[itemPath] = At(item.Start);
            if (TryConvert(elementType, null, item, itemPath, out var element)) list.Add(element);
            else ok = false;
        }
        value = list;
        return ok;
    }

    private string UnknownKey(string key, IEnumerable<string> known, string parent)
    {
        var where = parent.Length == 0 ? "at the top level" : $"under '{parent}'";
        var suggestion = Suggest.Closest(key, known);
        return suggestion is null
            ? $"unknown key '{key}' {where}; known keys: {string.Join(", ", known)}"
            : $"unknown key '{key}' {where}; did you mean '{suggestion}'?";
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private SourceLocation At(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private void Error(YamlNode node, string path, string message) => _errors.Add(new InputError(At(node.Start), path, message));

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: ...) - (...):"; the location is already shown.
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}

/// <summary>The configurable shape of the spec: records and their init properties, keyed by camelCase name.</summary>
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ConfigBinder.Why)]
[UnconditionalSuppressMessage("Trimming", "IL2067", Justification = ConfigBinder.Why)]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ConfigBinder.Why)]
[UnconditionalSuppressMessage("Trimming", "IL2072", Justification = ConfigBinder.Why)]
[UnconditionalSuppressMessage("Trimming", "IL2075", Justification = ConfigBinder.Why)]
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = ConfigBinder.Why)]
internal static class ConfigSchema
{
    private static readonly Dictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> Cache = new();

    public static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(EnvironmentSpec).Namespace &&
        type.GetMethod("<Clone>$") is not null;

    public static IReadOnlyDictionary<string, PropertyInfo> PropertiesOf(Type type)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(type, out var known)) return known;
            var map = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.CanWrite && p.GetIndexParameters().Length == 0) map[CamelCase(p.Name)] = p;
            return Cache[type] = map;
        }
    }

    /// <summary>Whether a reference-typed property accepts null (declared <c>string?</c>).</summary>
    public static bool IsNullable(Type type, string path)
    {
        _ = type;
        var info = FindProperty(path);
        return info is not null && new NullabilityInfoContext().Create(info).WriteState == NullabilityState.Nullable;
    }

    private static PropertyInfo? FindProperty(string path)
    {
        var type = typeof(EnvironmentSpec);
        PropertyInfo? property = null;
        foreach (var raw in path.Split('.'))
        {
            var segment = raw.Contains('[') ? raw[..raw.IndexOf('[')] : raw;
            if (!PropertiesOf(type).TryGetValue(segment, out property)) return null;
            type = property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) type = type.GetGenericArguments()[0];
        }
        return property;
    }

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
