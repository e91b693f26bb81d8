using Verification.Cases.Services;

namespace Verification.Cases.Intake;

/// <summary>A household as received by any channel (API, roster row group, declaration form), before it becomes a case.</summary>
public sealed record HouseholdDraft(
    string HeadName,
    string HeadIdNumber,
    string? City,
    string? County,
    string? Street,
    IReadOnlyList<NewMember> Members,
    IReadOnlyDictionary<string, decimal>? Declared,
    IReadOnlyList<AuthorizationDraft>? Authorizations = null);

/// <summary>
/// An authorization that came with the household: electronic ones signed through the department's
/// system are numbered by the centre; paper ones on the centre's template already carry their number.
/// </summary>
public sealed record AuthorizationDraft(string IdNumber, string SignedBy, string Kind, DateOnly SignedOn, DateOnly? ValidUntil, string? SignerName, string? Number = null);

/// <summary>The rejection grounds of H 8.2.3, as codes the department's systems can act on.</summary>
public static class RejectionGrounds
{
    public const string MissingMaterials = "missing-materials";
    public const string OutOfScope = "out-of-scope";
    public const string NoAuthorization = "no-authorization";
    public const string NonCompliant = "non-compliant";
    public const string Inconsistent = "inconsistent";
    public const string Other = "other";

    public static readonly string[] All = [MissingMaterials, OutOfScope, NoAuthorization, NonCompliant, Inconsistent, Other];
}

/// <summary>One thing wrong with an intake, in the user's language once localized: where (row, household, field), why, and the H 8.2.3 ground.</summary>
public sealed record IntakeProblem(int? Row, string Field, string Ground, string Message, params object[] Arguments);
