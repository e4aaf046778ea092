namespace Kindling.Operations.Doctor;

/// <summary>One concern <c>doctor</c> checks. Each is a small unit that reads what it needs and reports lines.</summary>
internal interface IDoctorCheck
{
    /// <summary>The name its lines carry (<c>permissions</c>, <c>storage-class</c> ...).</summary>
    string Name { get; }

    /// <summary>
    /// Whether <c>up</c> runs it before applying anything: cheap (a few API reads) and able to tell that <c>up</c>
    /// itself is doomed, rather than something a later notebook session or submission would hit.
    /// </summary>
    bool Preflight { get; }

    /// <summary>Runs the check; an API answer of 403 to one of its reads is turned into a warning by the caller.</summary>
    Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
