using System.Reflection;
using System.Text.Json.Serialization;
using Kindling.Cli;
using Kindling.Cli.Json;

namespace Kindling.Tests.Json;

/// <summary>The <c>-o json</c> convention that keeps the Native AOT binary's output equal to the JIT one.</summary>
public sealed class JsonOutputConventionTests
{
    [Fact]
    public void Every_enum_an_output_can_hold_is_written_as_a_camelCase_string()
    {
        var roots = typeof(CliJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!).ToList();
        roots.Should().NotBeEmpty();

        var enums = new HashSet<Type>();
        var seen = new HashSet<Type>();
        foreach (var root in roots) Visit(root, seen, enums);

        enums.Should().NotBeEmpty();
        foreach (var e in enums)
            JsonOutput.Types.Options.Converters.Should().Contain(c => c.CanConvert(e), $"{e.Name} appears in an -o json output; add Enum<{e.Name}>() to JsonOutput");
    }

    [Fact]
    public void An_output_type_that_is_not_in_the_context_fails_instead_of_falling_back_to_reflection()
    {
        var unknown = () => JsonOutput.Types.Options.GetTypeInfo(typeof(Version));

        unknown.Should().Throw<Exception>();
    }

    private static void Visit(Type type, HashSet<Type> seen, HashSet<Type> enums)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!seen.Add(type)) return;
        if (type.IsEnum)
        {
            enums.Add(type);
            return;
        }
        if (type.IsArray) Visit(type.GetElementType()!, seen, enums);
        foreach (var arg in type.IsGenericType ? type.GetGenericArguments() : []) Visit(arg, seen, enums);
        if (type.Namespace?.StartsWith("Kindling", StringComparison.Ordinal) != true) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is null) Visit(property.PropertyType, seen, enums);
    }
}
