using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kindling.Operations.Provision;

/// <summary>One stage's last success: what it produced (its fingerprint) and when.</summary>
/// <param name="Fingerprint">The stage's fingerprint then.</param>
/// <param name="Finished">When it finished.</param>
public sealed record StageRecord(string Fingerprint, DateTimeOffset Finished);

/// <summary>
/// What <c>up --provision</c> last finished, stage by stage (<c>.kindling/provision.json</c>). A stage is recorded
/// only once it has finished, so a run interrupted anywhere resumes at the first stage not recorded as done.
/// </summary>
public sealed record ProvisionRecord
{
    /// <summary>The last successful Terraform apply (or a plan that found nothing to do).</summary>
    public StageRecord? Infra { get; init; }

    /// <summary>The last push or load of both images.</summary>
    public StageRecord? Images { get; init; }

    /// <summary>The last finished <c>up</c>.</summary>
    public StageRecord? Environment { get; init; }
}

/// <summary>Reads and writes <see cref="ProvisionRecord"/> beside the local state, atomically.</summary>
internal sealed class ProvisionRecordStore(string stateDirectory)
{
    public string FilePath => Path.Combine(stateDirectory, "provision.json");

    /// <summary>The record; a missing file is an empty record, and so is an unreadable one (it only lets stages be skipped).</summary>
    public ProvisionRecord Load()
    {
        if (!File.Exists(FilePath)) return new ProvisionRecord();
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), ProvisionRecordJson.Default.ProvisionRecord) ?? new ProvisionRecord();
        }
        catch (JsonException)
        {
            // Losing the record costs only a re-check of every stage, never a wrong skip.
            return new ProvisionRecord();
        }
    }

    public void Update(Func<ProvisionRecord, ProvisionRecord> change)
    {
        var next = change(Load());
        PrivateDirectory.Create(stateDirectory);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(next, ProvisionRecordJson.Default.ProvisionRecord));
        File.Move(temp, FilePath, overwrite: true);
    }
}

/// <summary>Source-generated JSON for the record (no reflection, so it survives trimming and Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProvisionRecord))]
internal sealed partial class ProvisionRecordJson : JsonSerializerContext;
