using Kindling.Cli;
using Kindling.Operations;

namespace Kindling.Tests.Cli;

public sealed class ProgressRendererTests
{
    [Fact]
    public void Each_event_is_one_plain_line_with_markup_characters_kept_literally()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(CliContext.CreateConsole(writer, ansi: false, interactive: false));

        renderer.Report(new ProgressEvent("terraform plan", ProgressStatus.Started, ""));
        renderer.Report(new ProgressEvent("aws_subnet.private[\"eu-west-1a\"]", ProgressStatus.Changed, "created (id=subnet-1)", TimeSpan.FromSeconds(0.42)));
        renderer.Report(new ProgressEvent("aws_eks_cluster.main", ProgressStatus.Waiting, "still creating", TimeSpan.FromSeconds(125)));
        renderer.Report(new ProgressEvent("aws_iam_role.node", ProgressStatus.Failed, "creating failed [EntityAlreadyExists]"));

        writer.ToString().Replace("\r\n", "\n").Should().Be(
            "→ terraform plan\n" +
            "✓ aws_subnet.private[\"eu-west-1a\"] created (id=subnet-1) (0.4s)\n" +
            "… aws_eks_cluster.main still creating (2m05s)\n" +
            "✗ aws_iam_role.node creating failed [EntityAlreadyExists]\n");
    }

    [Fact]
    public void Labelled_subjects_are_followed_by_a_colon_only_when_a_message_follows()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(CliContext.CreateConsole(writer, ansi: false, interactive: false), labelSubjects: true);

        renderer.Report(new ProgressEvent("image/spark", ProgressStatus.Started, "building kindling/spark:dev"));
        renderer.Report(new ProgressEvent("image/spark", ProgressStatus.Done, "building kindling/spark:dev", TimeSpan.FromSeconds(3)));
        renderer.Report(new ProgressEvent("context", ProgressStatus.Done));

        writer.ToString().Replace("\r\n", "\n").Should().Be(
            "→ image/spark: building kindling/spark:dev\n" +
            "✓ image/spark: building kindling/spark:dev (3.0s)\n" +
            "✓ context\n");
    }
}
