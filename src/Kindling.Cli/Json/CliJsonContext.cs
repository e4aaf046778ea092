using System.Text.Json.Serialization;
using Kindling.Operations;
using Kindling.Operations.Doctor;
using Kindling.Spark;
using Kindling.Configuration;

namespace Kindling.Cli.Json;

/// <summary>
/// Every type a command writes under <c>-o json</c> (or <c>-o yaml</c>), source-generated so the Native AOT binary
/// serializes without reflection. The convention for a new output: a named record (never an anonymous type), listed
/// here with <c>[JsonSerializable]</c>, written with <c>JsonOutput.Write(writer, value, JsonOutput.Types.TheRecord)</c>.
/// The options (camelCase, indented, enums as camelCase strings, durations as <c>5m</c>) are set at run time by
/// <see cref="JsonOutput"/>, so they are the same for every output.
/// </summary>
[JsonSerializable(typeof(ErrorOutput))]
[JsonSerializable(typeof(VersionOutput))]
[JsonSerializable(typeof(InitOutput))]
[JsonSerializable(typeof(KillOutput))]
[JsonSerializable(typeof(SubmitOutput))]
[JsonSerializable(typeof(List<AppOutput>))]
[JsonSerializable(typeof(List<AppRowOutput>))]
[JsonSerializable(typeof(IReadOnlyList<OrphanExecutor>))]
[JsonSerializable(typeof(RenderResult))]
[JsonSerializable(typeof(ImagesResult))]
[JsonSerializable(typeof(InfraResult))]
[JsonSerializable(typeof(TerraformOutputs))]
[JsonSerializable(typeof(KubeconfigResult))]
[JsonSerializable(typeof(UpResult))]
[JsonSerializable(typeof(DownResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(DoctorResult))]
[JsonSerializable(typeof(Kindling.Operations.Verify.VerifyResult))]
[JsonSerializable(typeof(Kindling.Operations.Provision.ProvisionResult))]
[JsonSerializable(typeof(Kindling.Operations.Provision.TeardownResult))]
[JsonSerializable(typeof(IReadOnlyList<Kindling.Operations.Provision.StageOutcome>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
