using Kindling.Operations;
using Kindling.Terraform;

namespace Kindling.Tests.Terraform;

public sealed class TerraformJsonUiTests
{
    private static string Hook(string type, string addr, string action, string timestamp, string extra = "") =>
        $$"""{"@level":"info","@message":"x","@module":"terraform.ui","@timestamp":"{{timestamp}}","hook":{"resource":{"addr":"{{addr}}","module":"","resource":"{{addr}}","implied_provider":"aws","resource_type":"aws_vpc","resource_name":"main","resource_key":null},"action":"{{action}}"{{extra}}},"type":"{{type}}"}""";

    [Fact]
    public void A_completed_resource_is_one_line_with_its_id_and_the_time_between_terraforms_timestamps()
    {
        var ui = new TerraformJsonUi();

        ui.Read(Hook("apply_start", "aws_vpc.main", "create", "2026-11-24T00:36:43.200000+00:00")).Should().BeNull();
        var done = ui.Read(Hook("apply_complete", "aws_vpc.main", "create", "2026-11-24T00:36:44.700000+00:00",
            ""","id_key":"id","id_value":"vpc-0abc","elapsed_seconds":1"""));

        done.Should().Be(new ProgressEvent("aws_vpc.main", ProgressStatus.Changed, "created (id=vpc-0abc)", TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public void Destroys_and_failures_are_named_as_such()
    {
        var ui = new TerraformJsonUi();
        ui.Read(Hook("apply_start", "aws_eks_cluster.main", "delete", "2026-11-24T00:00:00Z"));
        ui.Read(Hook("apply_complete", "aws_eks_cluster.main", "delete", "2026-11-24T00:00:16Z", ""","elapsed_seconds":16"""))!
            .Message.Should().Be("destroyed");

        ui.Read(Hook("apply_start", "aws_iam_role.node", "create", "2026-11-24T00:00:00Z"));
        ui.Read(Hook("apply_errored", "aws_iam_role.node", "create", "2026-11-24T00:00:02Z", ""","elapsed_seconds":2"""))
            .Should().Be(new ProgressEvent("aws_iam_role.node", ProgressStatus.Failed, "creating failed", TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Slow_resources_report_once_a_minute_not_every_ten_seconds()
    {
        var ui = new TerraformJsonUi();
        var events = new[] { 10, 20, 60, 70, 120 }
            .Select(s => ui.Read(Hook("apply_progress", "aws_eks_cluster.main", "create", "2026-11-24T00:00:00Z", $$""","elapsed_seconds":{{s}}""")))
            .OfType<ProgressEvent>().ToList();

        events.Should().Equal(
            new ProgressEvent("aws_eks_cluster.main", ProgressStatus.Waiting, "still creating", TimeSpan.FromMinutes(1)),
            new ProgressEvent("aws_eks_cluster.main", ProgressStatus.Waiting, "still creating", TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Plan_lines_and_summaries_are_kept_apart_from_apply_summaries()
    {
        var ui = new TerraformJsonUi();

        ui.Read("""{"@level":"info","type":"planned_change","change":{"resource":{"addr":"aws_ecr_repository.spark"},"action":"create"}}""")
            .Should().Be(new ProgressEvent("aws_ecr_repository.spark", ProgressStatus.Info, "will be created"));
        ui.Read("""{"@level":"info","type":"planned_change","change":{"resource":{"addr":"aws_eks_node_group.main"},"action":"replace"}}""")!
            .Message.Should().Be("will be replaced");
        ui.Read("""{"@level":"info","type":"change_summary","changes":{"add":31,"change":0,"import":0,"remove":1,"operation":"plan"}}""");
        ui.Read("""{"@level":"info","type":"change_summary","changes":{"add":30,"change":0,"import":0,"remove":0,"operation":"apply"}}""");

        ui.PlanSummary.Should().Be(new TerraformChangeSummary(31, 0, 1));
        ui.ApplySummary.Should().Be(new TerraformChangeSummary(30, 0, 0));
    }

    [Fact]
    public void Error_diagnostics_are_kept_in_terraforms_words_and_warnings_are_shown()
    {
        var ui = new TerraformJsonUi();

        ui.Read("""
            {"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"creating IAM Role (kindling-eks-node): operation error IAM: CreateRole","detail":"EntityAlreadyExists: Role with name kindling-eks-node already exists.","address":"aws_iam_role.node","range":{"filename":"main.tf","start":{"line":195,"column":1,"byte":0},"end":{"line":195,"column":30,"byte":0}}}}
            """.Trim()).Should().BeNull();
        ui.Read("""{"@level":"warn","type":"diagnostic","diagnostic":{"severity":"warning","summary":"Argument is deprecated","detail":""}}""")
            .Should().Be(new ProgressEvent("terraform", ProgressStatus.Info, "warning: Argument is deprecated"));

        ui.Diagnostics[0].ToString().Should().Be(
            "Error: creating IAM Role (kindling-eks-node): operation error IAM: CreateRole\n\n" +
            "  with aws_iam_role.node,\n  on main.tf line 195\n\n" +
            "EntityAlreadyExists: Role with name kindling-eks-node already exists.");
    }

    [Fact]
    public void Applying_a_saved_plan_does_not_repeat_its_planned_changes_and_data_source_reads_show_nothing()
    {
        var ui = new TerraformJsonUi(showPlannedChanges: false);

        ui.Read("""{"@level":"info","type":"planned_change","change":{"resource":{"addr":"aws_vpc.main"},"action":"create"}}""").Should().BeNull();
        ui.Read(Hook("apply_start", "data.aws_partition.current", "read", "2026-11-24T00:00:00Z")).Should().BeNull();
        ui.Read(Hook("apply_complete", "data.aws_partition.current", "read", "2026-11-24T00:00:00Z", ""","id_key":"id","id_value":"aws","elapsed_seconds":0""")).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Terraform has been successfully initialized!")]
    [InlineData("{not json")]
    [InlineData("""{"@level":"info","type":"version","terraform":"1.11.4","ui":"1.2"}""")]
    [InlineData("""{"@level":"info","type":"refresh_start","hook":{"resource":{"addr":"aws_vpc.main"}}}""")]
    public void Other_lines_show_nothing(string line)
    {
        new TerraformJsonUi().Read(line).Should().BeNull();
    }
}
