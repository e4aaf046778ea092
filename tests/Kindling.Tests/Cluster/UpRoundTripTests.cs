using Kindling.Testing.FakeKube;
using Xunit.Abstractions;

namespace Kindling.Tests.Cluster;

/// <summary>
/// How many requests, in how many sequential waves, an <c>up</c> costs, read from the fake API server's journal
/// (counts, never times). The fake gets a little latency so that requests sent together overlap and count as one
/// wave (<see cref="RecordedRequest.Wave"/>).
/// </summary>
public sealed class UpRoundTripTests(ITestOutputHelper output)
{
    private static readonly string[] AppliedResources =
        ["serviceaccounts", "roles", "rolebindings", "secrets", "persistentvolumeclaims", "configmaps", "services", "networkpolicies", "deployments"];

    [Fact]
    public async Task An_unchanged_up_takes_at_most_eight_waves_and_reads_no_object_one_by_one()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        bed.Kube.Requests.Clear();
        bed.Kube.Faults.Latency = TimeSpan.FromMilliseconds(100);

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        var journal = bed.Kube.Requests.All;
        Print(journal);
        // A watch never holds up; it is counted as a wave only when it opens while nothing else is in flight.
        bed.Kube.Requests.Waves(r => !r.Streaming).Should().BeLessThanOrEqualTo(8);
        // The inventory is listed once, every kind in the same wave.
        var inventoryLists = journal.Where(r => r.Verb == "list" && r.Query.Contains("kindling.dev%2Finventory", StringComparison.Ordinal)).ToList();
        inventoryLists.Select(r => r.Resource).Should().OnlyHaveUniqueItems();
        inventoryLists.Select(r => r.Wave).Distinct().Should().ContainSingle();
        // created/configured/unchanged come from the inventory and the apply answers: no GET of an applied object.
        journal.Should().NotContain(r => r.Verb == "get" && r.Namespace == ClusterTestBed.Ns && AppliedResources.Contains(r.Resource) && r.Name != ClusterTestBed.Claim,
            "the only object read by name is the notebooks' claim, whose binding doctor's storage check judges");
        journal.Count(r => r.Verb == "patch").Should().Be(9, "one apply per rendered object (two Services) but the token Secret, created once and never applied");
        // Every object of a phase goes in one wave: three apply phases after the namespace.
        journal.Where(r => r.Verb == "patch").Select(r => r.Wave).Distinct().Should().HaveCount(3);
        // A complete rules review answers every namespaced permission at once.
        journal.Count(r => r.Resource == "selfsubjectrulesreviews").Should().Be(1);
        journal.Count(r => r.Resource == "selfsubjectaccessreviews").Should().Be(0);
        // Readiness: one watch per kind.
        journal.Where(r => r.Verb == "watch").GroupBy(r => r.Resource).Should().OnlyContain(g => g.Count() == 1);
        journal.Count.Should().BeLessThanOrEqualTo(36);
        result.Stdout.Should().NotMatchRegex(@"\s(created|configured)\b");
    }

    [Fact]
    public async Task A_first_up_creates_each_phase_in_one_wave()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Faults.Latency = TimeSpan.FromMilliseconds(100);

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        var journal = bed.Kube.Requests.All;
        Print(journal);
        var writes = journal.Where(r => (r.Verb is "patch" || r.Verb == "create" && r.Resource is "secrets") && AppliedResources.Contains(r.Resource)).ToList();
        writes.Should().HaveCount(10, "one write per rendered object but the namespace");
        writes.Select(r => r.Wave).Distinct().Should().HaveCount(3);
        writes.Should().OnlyContain(r => r.StatusCode == 201, "each object was created by its apply (or the Secret's create)");
        journal.Should().NotContain(r => r.Verb == "get" && r.Namespace == ClusterTestBed.Ns && AppliedResources.Contains(r.Resource) && r.Name != ClusterTestBed.Claim);
        bed.Kube.Requests.Waves(r => !r.Streaming).Should().BeLessThanOrEqualTo(10, "the namespace is created, and the missing claim and class take doctor's storage check and the readiness wait a read further");
    }

    [Fact]
    public async Task With_a_webhook_authorizer_the_permissions_are_asked_one_by_one_in_one_wave()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        bed.Kube.Requests.Clear();
        bed.Kube.Faults.Latency = TimeSpan.FromMilliseconds(100);
        bed.Kube.Permissions.RulesReviewIncomplete = true;

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        Print(bed.Kube.Requests.All);
        var reviews = bed.Kube.Requests.All.Where(r => r.Resource == "selfsubjectaccessreviews").ToList();
        reviews.Should().NotBeEmpty("an incomplete rules review settles nothing");
        reviews.Select(r => r.Wave).Distinct().Should().ContainSingle();
        bed.Kube.Requests.Waves(r => !r.Streaming).Should().BeLessThanOrEqualTo(8);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_permission_is_reported_and_nothing_is_written_whichever_review_answers(bool webhook)
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        bed.Kube.Requests.Clear();
        bed.Kube.Permissions.RulesReviewIncomplete = webhook;
        bed.Kube.Permissions.Deny("patch", "networkpolicies", ClusterTestBed.Ns);
        bed.Kube.Permissions.Deny("list", "secrets");

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("patch networkpolicies.networking.k8s.io in kindling").And.Contain("list secrets in kindling");
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "patch" || r.Verb == "delete" || r.Verb == "create" && !r.Resource!.StartsWith("selfsubject", StringComparison.Ordinal));
    }

    private void Print(IEnumerable<RecordedRequest> journal)
    {
        foreach (var r in journal) output.WriteLine($"{r.Wave,3} {r.Protocol} {r.Verb,-8} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)} {r.Namespace} {r.Name} {r.StatusCode}");
    }
}
