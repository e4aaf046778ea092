using Kindling.Cli;
using Kindling.Cli.Commands;
using Kindling.Operations.Verify;

namespace Kindling.Tests.Verify;

/// <summary>The <c>verify -o json</c> schema, pinned by a golden file; the text form from the same result.</summary>
public sealed class VerifyOutputTests
{
    private static VerifyResult Sample() => new("20261127-060000-ab12", "kindling", false, TimeSpan.FromSeconds(95.4),
    [
        new("notebook", VerifyStageStatus.Passed, TimeSpan.FromSeconds(41.2),
            ["Jupyter 6.4.12 answered through a port-forward to Pod/kindling-jupyter-7d9f-abcde and accepted the token of Secret/kindling-jupyter-token",
             "2 executor pods owned by Pod/kindling-jupyter-7d9f-abcde ran: a-exec-1, a-exec-2"], null, [], ["spark-0123"]),
        new("submit", VerifyStageStatus.Failed, TimeSpan.FromSeconds(50),
            [], "spark-4567 (kindling-verify-pi-jvm-20261127-060000-ab12) ended Failed: Error (exit 1)", ["pi-jvm-driver: Exception in thread \"main\""], ["spark-89ab", "spark-4567"]),
        new("storage", VerifyStageStatus.Skipped, TimeSpan.Zero, [], "no object storage is configured", [], []),
        new("history", VerifyStageStatus.Skipped, TimeSpan.Zero, [], "history is off", [], []),
        new("cleanup", VerifyStageStatus.Passed, TimeSpan.FromSeconds(4.2), ["3 pods of 3 applications deleted"], null, [], []),
    ]);

    [Fact]
    public void Json_schema_is_pinned()
    {
        using var writer = new StringWriter();
        JsonOutput.Write(writer, Sample(), JsonOutput.Types.VerifyResult);

        Golden.Match("verify/result.json", writer.ToString());
    }

    [Fact]
    public void Text_names_every_stage_with_its_time_reason_and_log_lines()
    {
        using var writer = new StringWriter();
        VerifyCommand.WriteText(writer, Sample());

        var text = writer.ToString();
        text.Should().StartWith("Verification 20261127-060000-ab12 of namespace kindling: FAILED");
        text.Should().MatchRegex(@"ok\s+notebook\s+41\.2s").And.MatchRegex(@"FAIL\s+submit\s+50s").And.MatchRegex(@"skip\s+storage");
        text.Should().Contain("reason: spark-4567").And.Contain("| pi-jvm-driver: Exception").And.Contain("why: history is off");
    }
}
