using System.Text.Json;
using Kindling.Tests.Images;

namespace Kindling.Tests.Provision;

/// <summary>
/// Recording <c>kind</c>, <c>minikube</c> and <c>k3d</c> executables beside <see cref="FakeTools"/>' docker. Each
/// logs its argv and, as the real loaders do, fails for an image the (fake) Docker daemon does not have: kind says
/// "image: ... not present locally", minikube and k3d fail their save.
/// </summary>
internal static class FakeLoaders
{
    public static void Install(FakeTools tools)
    {
        foreach (var name in new[] { "kind", "minikube", "k3d" })
        {
            var path = Path.Combine(tools.BinDirectory, name);
            File.WriteAllText(path, Script(name, tools));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public static string LogFile(FakeTools tools) => tools.LogFile + ".loaders";

    public static IReadOnlyList<string[]> Calls(FakeTools tools, string tool) =>
        File.Exists(LogFile(tools))
            ? File.ReadAllLines(LogFile(tools)).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
                .Where(e => e.GetProperty("tool").GetString() == tool)
                .Select(e => e.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray()).ToList()
            : [];

    private static string Script(string name, FakeTools tools) => $$"""
        #!/usr/bin/python3
        import json, os, sys
        argv = sys.argv[1:]
        with open({{JsonSerializer.Serialize(LogFile(tools))}}, "a") as log:
            log.write(json.dumps({"tool": {{JsonSerializer.Serialize(name)}}, "argv": argv}) + "\n")
        state_file = {{JsonSerializer.Serialize(tools.StateFile)}}
        images = json.load(open(state_file))["images"] if os.path.exists(state_file) else {}
        name = {{JsonSerializer.Serialize(name)}}
        if name == "kind":
            if argv[:2] != ["load", "docker-image"] or "--name" not in argv:
                sys.exit("fake kind: unexpected command " + " ".join(argv))
            refs = argv[2:argv.index("--name")]
        elif name == "minikube":
            if argv[:2] != ["image", "load"] or "-p" not in argv:
                sys.exit("fake minikube: unexpected command " + " ".join(argv))
            refs = [argv[2]]
        else:
            if argv[:2] != ["image", "import"] or "--cluster" not in argv:
                sys.exit("fake k3d: unexpected command " + " ".join(argv))
            refs = argv[2:argv.index("--cluster")]
        for ref in refs:
            if ref not in images:
                sys.exit("ERROR: image: \"" + ref + "\" not present locally")
        print("loaded " + " ".join(refs))
        """.Replace("\r\n", "\n");
}
