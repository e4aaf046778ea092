using System.Text.Json;
using System.Text.Json.Serialization;
using Kindling.Testing;

namespace Kindling.Tests.Images;

/// <summary>One recorded call of a fake tool.</summary>
public sealed record FakeCall(
    [property: JsonPropertyName("tool")] string Tool,
    [property: JsonPropertyName("argv")] string[] Argv,
    [property: JsonPropertyName("stdinBytes")] int StdinBytes,
    [property: JsonPropertyName("stdinSha256")] string StdinSha256)
{
    public string Command => string.Join(' ', Argv.Take(Argv.Length > 0 && Argv[0] is "image" or "ecr" or "buildx" ? 2 : 1));

    public string? ValueOf(string flag)
    {
        var i = Array.IndexOf(Argv, flag);
        return i >= 0 && i + 1 < Argv.Length ? Argv[i + 1] : null;
    }

    public IReadOnlyList<string> ValuesOf(string flag) =>
        Argv.Select((a, i) => (a, i)).Where(p => p.a == flag && p.i + 1 < Argv.Length).Select(p => Argv[p.i + 1]).ToList();
}

/// <summary>How the fakes behave.</summary>
public sealed record FakeToolsConfig
{
    [JsonPropertyName("daemon")] public bool Daemon { get; init; } = true;

    /// <summary>What <c>aws ecr get-login-password</c> prints.</summary>
    [JsonPropertyName("password")] public string Password { get; init; } = "fake-ecr-password-Zq8vX2";

    /// <summary>Push fails with "no basic auth credentials" unless docker login ran for the host.</summary>
    [JsonPropertyName("requireLogin")] public bool RequireLogin { get; init; }

    /// <summary>A build whose tag contains this text fails, after printing some steps.</summary>
    [JsonPropertyName("failBuild")] public string? FailBuild { get; init; }

    /// <summary>A build prints its first steps, records its pid next to the log, then hangs (to test cancellation).</summary>
    [JsonPropertyName("hangBuild")] public bool HangBuild { get; init; }

    /// <summary>The buildx plugin is not installed ("'buildx' is not a docker command").</summary>
    [JsonPropertyName("noBuildx")] public bool NoBuildx { get; init; }

    /// <summary>aws get-login-password fails.</summary>
    [JsonPropertyName("awsFails")] public bool AwsFails { get; init; }

    /// <summary>
    /// An AWS endpoint (moto) whose ECR a push to an ECR host lands in, through the real <c>aws ecr put-image</c>
    /// on PATH: as after a real push, the registry then has the tag (describe-images finds it).
    /// </summary>
    [JsonPropertyName("ecrEndpoint")] public string? EcrEndpoint { get; init; }
}

/// <summary>
/// Recording <c>docker</c> and <c>aws</c> executables in a temp directory, meant to be first on PATH. Each call
/// appends its argv and a digest of its stdin to a log (one JSON object a line). The fake docker keeps a
/// little state (images built with their labels, registries logged in to), so skipping an unchanged image,
/// building FROM the Spark image and pushing after login are checked as behaviour, not as canned answers.
/// </summary>
public sealed class FakeTools : IDisposable
{
    private readonly TempDir dir = new();

    public FakeTools(FakeToolsConfig? config = null, bool withDocker = true, bool withAws = true)
    {
        Configure(config ?? new FakeToolsConfig());
        if (withDocker) WriteScript("docker", DockerScript);
        if (withAws) WriteScript("aws", AwsScript);
    }

    public string BinDirectory => dir.File("bin");

    public string LogFile => dir.File("calls.log");

    /// <summary>The fake daemon's images (with their labels) and logins.</summary>
    public string StateFile => dir.File("docker-state.json");

    private string ConfigFile => dir.File("config.json");

    /// <summary>PATH with the fakes first; the system directories stay so nothing else is lost.</summary>
    public string Path => $"{BinDirectory}{System.IO.Path.PathSeparator}/usr/bin{System.IO.Path.PathSeparator}/bin";

    public void Configure(FakeToolsConfig config) => File.WriteAllText(ConfigFile, JsonSerializer.Serialize(config));

    public IReadOnlyList<FakeCall> Calls() =>
        File.Exists(LogFile)
            ? File.ReadAllLines(LogFile).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<FakeCall>(l)!).ToList()
            : [];

    /// <summary>The pid of the hanging build (<see cref="FakeToolsConfig.HangBuild"/>).</summary>
    public int HangingBuildPid => int.Parse(File.ReadAllText(LogFile + ".build.pid"), System.Globalization.CultureInfo.InvariantCulture);

    public string RawLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public void ClearLog() => File.Delete(LogFile);

    public void Dispose() => dir.Dispose();

    private static string Python()
    {
        // Debian's interpreter needs no shims on PATH; the fakes run with a minimal PATH.
        const string system = "/usr/bin/python3";
        return File.Exists(system) ? system : RequiredTool.Find("python3", "Install Python 3 (apt-get install -y python3).");
    }

    private void WriteScript(string name, string body)
    {
        Directory.CreateDirectory(BinDirectory);
        var path = System.IO.Path.Combine(BinDirectory, name);
        var header = $$"""
            #!{{Python()}}
            import hashlib, json, os, sys
            LOG = {{JsonSerializer.Serialize(LogFile)}}
            STATE = {{JsonSerializer.Serialize(StateFile)}}
            CONFIG = json.load(open({{JsonSerializer.Serialize(ConfigFile)}}))
            argv = sys.argv[1:]
            data = sys.stdin.buffer.read()
            with open(LOG, "a") as log:
                log.write(json.dumps({"tool": {{JsonSerializer.Serialize(name)}}, "argv": argv, "stdinBytes": len(data),
                                      "stdinSha256": hashlib.sha256(data).hexdigest()}) + "\n")
            def fail(message, code=1):
                sys.stderr.write(message + "\n")
                sys.exit(code)

            """;
        File.WriteAllText(path, header.Replace("\r\n", "\n") + body.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                   UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private const string DockerScript = """
        state = json.load(open(STATE)) if os.path.exists(STATE) else {"images": {}, "logins": []}
        def save():
            json.dump(state, open(STATE, "w"))
        def values(flag):
            return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == flag]
        cmd = argv[0] if argv else ""
        if cmd == "info":
            if not CONFIG["daemon"]:
                fail("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
            print("28.2.2")
        elif cmd == "image" and argv[1:2] == ["inspect"]:
            ref = argv[-1]
            image = state["images"].get(ref)
            if image is None:
                print("")
                fail("Error response from daemon: No such image: " + ref)
            label = values("--format")[0].split('"')[1]
            print(image["labels"].get(label, "<no value>"))
        elif cmd == "buildx" and argv[1:2] == ["build"]:
            if CONFIG.get("noBuildx"):
                fail("docker: 'buildx' is not a docker command.\nSee 'docker --help'")
            ref = values("--tag")[0]
            platforms = values("--platform")
            if len(platforms) != 1 or platforms[0] not in ("linux/amd64", "linux/arm64"):
                fail("ERROR: --platform must name one platform the base image has (linux/amd64, linux/arm64)")
            context = argv[-1]
            if not os.path.isfile(os.path.join(context, "Dockerfile")):
                fail("ERROR: failed to read dockerfile: open Dockerfile: no such file or directory")
            build_args = dict(a.split("=", 1) for a in values("--build-arg"))
            base = build_args.get("SPARK_IMAGE")
            if base is not None and base not in state["images"]:
                fail("ERROR: failed to solve: " + base + ": pull access denied, repository does not exist")
            print("#5 [1/3] FROM base")
            print("#6 [2/3] RUN check python")
            if CONFIG.get("hangBuild"):
                sys.stdout.flush()
                with open(LOG + ".build.pid", "w") as f:
                    f.write(str(os.getpid()))
                import time
                time.sleep(120)
            if CONFIG.get("failBuild") and CONFIG["failBuild"] in ref:
                sys.stderr.write("#6 0.412 python3 in the base image is 3.11 but PYTHON_VERSION is 3.10\n")
                fail("ERROR: failed to solve: process \"/bin/sh -c set -eu\" did not complete successfully: exit code: 1")
            if base is not None and state["images"][base].get("platform") != platforms[0]:
                fail("ERROR: failed to solve: " + base + ": no match for platform in manifest: not found")
            # Without --load (or --push) buildx keeps the result in its build cache only: nothing to run or push.
            if "--load" in argv:
                state["images"][ref] = {"labels": dict(a.split("=", 1) for a in values("--label")), "buildArgs": build_args,
                                        "platform": platforms[0]}
                save()
            print("#7 naming to " + ref + " done")
        elif cmd == "login":
            if "--password-stdin" not in argv:
                fail("Error: this fake only accepts --password-stdin")
            if len(data.strip()) == 0:
                fail("Error: Cannot perform an interactive login from a non TTY device")
            state["logins"].append(argv[-1])
            save()
            print("Login Succeeded")
        elif cmd == "push":
            ref = argv[1]
            if ref not in state["images"]:
                fail("An image does not exist locally with the tag: " + ref)
            if CONFIG["requireLogin"] and ref.split("/")[0] not in state["logins"]:
                fail("no basic auth credentials")
            host = ref.split("/")[0]
            if CONFIG.get("ecrEndpoint") and ".dkr.ecr." in host:
                import subprocess
                repo, tag = ref[len(host) + 1:].rsplit(":", 1)
                config = hashlib.sha256(json.dumps(state["images"][ref], sort_keys=True).encode()).hexdigest()
                manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": "sha256:" + config},
                                       "layers": []})
                put = subprocess.run(["aws", "ecr", "put-image", "--repository-name", repo, "--image-tag", tag, "--image-manifest", manifest,
                                      "--region", host.split(".")[3], "--endpoint-url", CONFIG["ecrEndpoint"]], capture_output=True, text=True)
                if put.returncode != 0:
                    fail(put.stderr.strip())
            print("latest: digest: sha256:0000 size: 1234")
        else:
            fail("fake docker: unexpected command " + " ".join(argv))
        """;

    private const string AwsScript = """
        if argv[:2] != ["ecr", "get-login-password"]:
            fail("fake aws: unexpected command " + " ".join(argv))
        if CONFIG["awsFails"]:
            fail("An error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken operation: The security token included in the request is invalid.", 255)
        sys.stdout.write(CONFIG["password"] + "\n")
        """;
}
