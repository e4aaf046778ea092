using System.Runtime.CompilerServices;

namespace Kindling.Testing;

internal static class KubernetesJsonInit
{
    // The fake API server (de)serializes models through KubernetesJson, possibly before any Kindling code has run
    // Kindling's own module initializer; KubernetesJson's options freeze at first use, so both ask first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => Kindling.Json.KubernetesJsonSetup.Ensure();
}
