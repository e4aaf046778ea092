using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Kindling.Cluster;
using Kindling.Cluster.Kubeconfig;
using Kindling.Testing;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cluster;

/// <summary>
/// Kindling's own kubeconfig reader against the cases kubectl handles; every case is read back by the real
/// kubectl (<c>config view</c>, <c>--flatten</c> to resolve files), and the credentials are used against the fake
/// API server, which refuses a wrong bearer token.
/// </summary>
public sealed class KubeconfigLoadingTests : IDisposable
{
    private readonly TempDir dir = new();
    private readonly string kubectl = RequiredTool.Find("kubectl", "install kubectl 1.32 (https://kubernetes.io/docs/tasks/tools/)");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Several_files_in_KUBECONFIG_merge_as_kubectl_merges_them()
    {
        var a = Write("one/a.yaml", """
            apiVersion: v1
            kind: Config
            current-context: a
            clusters:
            - name: shared
              cluster: {server: "https://first.example:6443"}
            contexts:
            - name: a
              context: {cluster: shared, user: ua, namespace: ns-a}
            users:
            - name: ua
              user: {token: token-a}
            """);
        var b = Write("two/b.yaml", """
            apiVersion: v1
            kind: Config
            current-context: b
            clusters:
            - name: shared
              cluster: {server: "https://shadowed.example"}
            - name: other
              cluster: {server: "https://second.example"}
            contexts:
            - name: b
              context: {cluster: other, user: ub}
            - name: a
              context: {cluster: other, user: ub}
            users:
            - name: ub
              user: {token: token-b}
            """);
        var variable = string.Join(Path.PathSeparator, a, dir.File("missing.yaml"), b);

        var merged = KubeconfigLoader.Load([a, b], "KUBECONFIG");
        var view = await ViewAsync(variable);

        merged.CurrentContext.Should().Be(view["current-context"]!.GetValue<string>()).And.Be("a");
        Names(view, "contexts").Should().BeEquivalentTo(merged.Contexts.Keys);
        Names(view, "clusters").Should().BeEquivalentTo(merged.Clusters.Keys);
        Names(view, "users").Should().BeEquivalentTo(merged.Users.Keys);
        foreach (var cluster in merged.Clusters.Values)
            Entry(view, "clusters", cluster.Name)["cluster"]!["server"]!.GetValue<string>().Should().Be(cluster.Server);
        foreach (var context in merged.Contexts.Values)
        {
            var viewed = Entry(view, "contexts", context.Name)["context"]!;
            viewed["cluster"]!.GetValue<string>().Should().Be(context.Cluster);
            viewed["user"]!.GetValue<string>().Should().Be(context.User);
            viewed["namespace"]?.GetValue<string>().Should().Be(context.Namespace);
        }
        merged.Contexts["a"].Origin.Should().Be(a, "the first file to define a name wins the whole entry");

        // Another file's context is reachable by name, and the connection says which file it came from.
        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigVariable = variable, Context = "b" });
        connection.Target.Should().Be(new KubeTarget(b, "b", "https://second.example"));
    }

    [Fact]
    public async Task Relative_certificate_paths_are_relative_to_the_file_that_names_them()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        Write("conf/pki/ca.pem", kube.CertificateAuthorityPem);
        Write("conf/pki/client.pem", kube.CertificateAuthorityPem);
        Write("conf/pki/client.key", "-----BEGIN PRIVATE KEY-----\nnot-a-real-key\n-----END PRIVATE KEY-----\n");
        var path = Write("conf/kubeconfig", $$"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: {{kube.Uri.ToString().TrimEnd('/')}}
                certificate-authority: pki/ca.pem
            contexts:
            - name: fake
              context: {cluster: fake, user: u}
            users:
            - name: u
              user:
                client-certificate: pki/client.pem
                client-key: pki/client.key
            """);

        var merged = KubeconfigLoader.Load([path], "--kubeconfig");
        var flattened = await ViewAsync(path, "--flatten");

        var cluster = merged.Clusters["fake"];
        cluster.CertificateAuthority.Should().Be(dir.File("conf/pki/ca.pem"));
        Base64(cluster.CertificateAuthority!).Should().Be(Entry(flattened, "clusters", "fake")["cluster"]!["certificate-authority-data"]!.GetValue<string>());
        var user = merged.Users["u"];
        Base64(user.ClientCertificate!).Should().Be(Entry(flattened, "users", "u")["user"]!["client-certificate-data"]!.GetValue<string>());
        Base64(user.ClientKey!).Should().Be(Entry(flattened, "users", "u")["user"]!["client-key-data"]!.GetValue<string>());

        // The relative CA is the one TLS is checked against: the fake's self-signed server certificate is trusted.
        var (config, _) = KubeClientConfig.Build(merged, null, "--kubeconfig", TimeProvider.System);
        config.SslCaCerts.Should().ContainSingle();
        config.ClientCertificateFilePath.Should().Be(dir.File("conf/pki/client.pem"));
    }

    [Fact]
    public async Task An_exec_plugin_gets_its_args_env_and_exec_info_and_its_token_reaches_the_server()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        var seen = dir.File("plugin-seen.txt");
        // A plugin path relative to the kubeconfig (it contains a separator, so client-go resolves it too).
        var plugin = Write("conf/bin/get-token", $$$"""
            #!/bin/sh
            printf '%s|%s|%s|%s\n' "$1" "$2" "$PLUGIN_REGION" "$KUBERNETES_EXEC_INFO" >> '{{{seen}}}'
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"{{{kube.Token}}}","expirationTimestamp":"2999-01-01T00:00:00Z"}}'
            """);
        MakeExecutable(plugin);
        var path = Write("conf/kubeconfig", FakeConfig(kube, """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/get-token
                  args: [eks, "get token"]
                  env:
                  - {name: PLUGIN_REGION, value: eu-west-1}
                  interactiveMode: Never
                  provideClusterInfo: true
            """));

        var exec = KubeconfigLoader.Load([path], "--kubeconfig").Users["u"].Exec!;
        var viewed = Entry(await ViewAsync(path), "users", "u")["user"]!["exec"]!;
        exec.Args.Should().Equal(viewed["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        exec.Env.Should().Equal(viewed["env"]!.AsArray().Select(e => new KeyValuePair<string, string>(e!["name"]!.GetValue<string>(), e["value"]!.GetValue<string>())));
        exec.InteractiveMode.Should().Be(viewed["interactiveMode"]!.GetValue<string>());
        exec.Command.Should().Be(plugin);

        // kubectl 1.32 runs the plugin even for 'config view'; only Kindling's runs are counted below.
        File.Delete(seen);
        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = path });
        File.Exists(seen).Should().BeFalse("the plugin runs at the first request, not when the connection is built");
        await connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);
        await connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);

        var lines = File.ReadAllLines(seen);
        lines.Should().ContainSingle("the token is cached until its expirationTimestamp");
        var fields = lines[0].Split('|', 4);
        fields[..3].Should().Equal("eks", "get token", "eu-west-1");
        var info = JsonNode.Parse(fields[3])!;
        info["apiVersion"]!.GetValue<string>().Should().Be("client.authentication.k8s.io/v1");
        info["spec"]!["interactive"]!.GetValue<bool>().Should().BeFalse();
        info["spec"]!["cluster"]!["server"]!.GetValue<string>().Should().Be(kube.Uri.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task A_failing_exec_plugin_is_a_clear_error_with_its_stderr_and_no_token()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        var plugin = Write("bin/fail", "#!/bin/sh\necho 'ExpiredToken: the SSO session has expired' >&2\nexit 3\n");
        MakeExecutable(plugin);
        var path = Write("kubeconfig", FakeConfig(kube, $$"""
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: {{plugin}}, interactiveMode: Never}
            """));

        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = path });
        var call = () => connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);

        (await call.Should().ThrowAsync<ExternalToolException>()).Which.Message
            .Should().Contain("exited with code 3").And.Contain("SSO session has expired");
    }

    [Fact]
    public async Task A_token_file_relative_to_the_kubeconfig_authenticates()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        Write("conf/secrets/token", kube.Token + "\n");
        var path = Write("conf/kubeconfig", FakeConfig(kube, "    tokenFile: secrets/token\n"));

        var merged = KubeconfigLoader.Load([path], "--kubeconfig");
        Entry(await ViewAsync(path), "users", "u")["user"]!["tokenFile"]!.GetValue<string>().Should().Be("secrets/token");
        merged.Users["u"].TokenFile.Should().Be(dir.File("conf/secrets/token"));

        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = path });
        var namespaces = await connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);
        namespaces.Items.Should().NotBeNull();
    }

    [Fact]
    public async Task The_server_is_trusted_through_the_kubeconfig_CA_and_refused_under_another_CA()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        using var stranger = ServingCertificate.Create();
        string Kubeconfig(string name, string caPem) => Write(name, $$"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: {{kube.Uri.ToString().TrimEnd('/')}}
                certificate-authority-data: {{Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}}
            contexts:
            - name: fake
              context: {cluster: fake, user: u}
            users:
            - name: u
              user: {token: {{kube.Token}}}
            """);

        using (var trusted = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = Kubeconfig("right", kube.CertificateAuthorityPem) }))
            (await trusted.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None)).Should().NotBeNull();

        // A CA that did not sign the server's certificate: the handshake fails, and no request reaches the server.
        var before = kube.Requests.All.Count;
        using var refused = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = Kubeconfig("wrong", stranger.CaPem) });
        var call = () => refused.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);
        await call.Should().ThrowAsync<KindlingException>();
        kube.Requests.All.Count.Should().Be(before);
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_connects_without_a_CA_and_refuses_one_alongside()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        var server = kube.Uri.ToString().TrimEnd('/');
        var path = Write("kubeconfig", $$"""
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster: {server: "{{server}}", insecure-skip-tls-verify: true}
            contexts:
            - name: fake
              context: {cluster: fake, user: u}
            users:
            - name: u
              user: {token: {{kube.Token}}}
            """);

        Entry(await ViewAsync(path), "clusters", "fake")["cluster"]!["insecure-skip-tls-verify"]!.GetValue<bool>().Should().BeTrue();
        using (var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = path }))
            await connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);

        var both = Write("both", File.ReadAllText(path).Replace("insecure-skip-tls-verify: true", "insecure-skip-tls-verify: true, certificate-authority: ca.pem"));
        var open = () => KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = both });
        open.Should().Throw<InvalidInputException>().WithMessage("*both a certificate authority and insecure-skip-tls-verify*");
    }

    [Fact]
    public async Task Proxy_url_routes_the_client_through_the_proxy()
    {
        await using var kube = await FakeKubeServer.StartAsync();
        var path = Write("kubeconfig", FakeConfig(kube, $"    token: {kube.Token}\n", "    proxy-url: http://proxy.internal:3128\n"));

        Entry(await ViewAsync(path), "clusters", "fake")["cluster"]!["proxy-url"]!.GetValue<string>().Should().Be("http://proxy.internal:3128");
        var (config, _) = KubeClientConfig.Build(KubeconfigLoader.Load([path], "--kubeconfig"), null, "--kubeconfig", TimeProvider.System);
        using var handler = new SocketsHttpHandler();
        config.FirstMessageHandlerSetup!(handler);
        handler.UseProxy.Should().BeTrue();
        handler.Proxy!.GetProxy(kube.Uri).Should().Be(new Uri("http://proxy.internal:3128"));

        // The client really goes through it: an unreachable proxy fails the call, naming the cluster tried.
        var unreachable = Write("kubeconfig2", FakeConfig(kube, $"    token: {kube.Token}\n", $"    proxy-url: http://127.0.0.1:{FreePort()}\n"));
        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = unreachable, Retry = new KubeRetrySettings(TimeSpan.FromSeconds(1)) });
        var call = () => connection.CallAsync("list namespaces", (k, ct) => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), CancellationToken.None);
        await call.Should().ThrowAsync<KindlingException>();
    }

    [Fact]
    public void Every_problem_of_a_broken_file_is_reported_at_once_with_its_location()
    {
        var path = Write("broken", "apiVersion: v1\nclusters:\n- cluster: {server: x}\nusers: {}\n");

        var load = () => KubeconfigLoader.Load([path], "--kubeconfig");

        var errors = load.Should().Throw<InvalidInputException>().Which.Errors;
        errors.Select(e => e.Message).Should().Contain(m => m.Contains("needs a name")).And.Contain(m => m.Contains("users must be a list"));
        errors.Should().OnlyContain(e => e.Location != null && e.Location.File == path);
    }

    private string FakeConfig(FakeKubeServer kube, string user, string cluster = "") => $$"""
        apiVersion: v1
        kind: Config
        current-context: fake
        clusters:
        - name: fake
          cluster:
            server: {{kube.Uri.ToString().TrimEnd('/')}}
            certificate-authority-data: {{Convert.ToBase64String(Encoding.ASCII.GetBytes(kube.CertificateAuthorityPem))}}
        {{cluster.TrimEnd('\n')}}
        contexts:
        - name: fake
          context: {cluster: fake, user: u}
        users:
        - name: u
          user:
        {{user.TrimEnd('\n')}}
        """;

    private string Write(string relative, string text)
    {
        var path = dir.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.EndsWith('\n') ? text : text + "\n");
        return path;
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Base64(string path) => Convert.ToBase64String(File.ReadAllBytes(path));

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IEnumerable<string> Names(JsonNode view, string list) => view[list]!.AsArray().Select(e => e!["name"]!.GetValue<string>());

    private static JsonNode Entry(JsonNode view, string list, string name) => view[list]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == name)!;

    /// <summary><c>kubectl config view --raw -o json</c> with <c>KUBECONFIG</c> set to <paramref name="kubeconfig"/>.</summary>
    private async Task<JsonNode> ViewAsync(string kubeconfig, params string[] extra)
    {
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["config", "view", "--raw", "-o", "json", .. extra]) start.ArgumentList.Add(a);
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = dir.Path;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"kubectl config view failed: {await stderr}");
        return JsonNode.Parse(await stdout)!;
    }
}
