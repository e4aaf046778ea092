namespace Kindling.Operations.Doctor;

/// <summary>The verdict of one check.</summary>
public enum CheckStatus
{
    /// <summary>What the environment needs is there.</summary>
    Ok,

    /// <summary>Something may go wrong, or could not be verified; it does not fail <c>doctor</c>.</summary>
    Warn,

    /// <summary>The environment will not work until this is fixed.</summary>
    Fail,
}

/// <summary>One line of <c>kindling doctor</c>: which check, its verdict, what was found and how to fix it.</summary>
/// <param name="Check">The check's name, e.g. <c>storage-class</c>.</param>
/// <param name="Status">The verdict.</param>
/// <param name="Found">What was found, in a sentence; never a secret.</param>
/// <param name="Fix">How to fix it; null when nothing needs fixing.</param>
public sealed record CheckResult(string Check, CheckStatus Status, string Found, string? Fix = null)
{
    /// <summary>An ok line.</summary>
    public static CheckResult Ok(string check, string found) => new(check, CheckStatus.Ok, found);

    /// <summary>A warning line.</summary>
    public static CheckResult Warn(string check, string found, string? fix = null) => new(check, CheckStatus.Warn, found, fix);

    /// <summary>A failing line.</summary>
    public static CheckResult Fail(string check, string found, string fix) => new(check, CheckStatus.Fail, found, fix);
}
