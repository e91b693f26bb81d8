namespace Verification.Cms.Audit;

/// <summary>
/// The tenant's append-only, hash-chained audit trail. Modules call it for every read
/// and write of personal data, every permission change and every definition change.
/// Who / when / where (IP, user agent) are taken from the current request when there is one.
/// </summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);
}

/// <param name="Category">One of <see cref="AuditCategories"/>.</param>
/// <param name="Action">What happened, e.g. "login.succeeded", "user.created".</param>
/// <param name="SubjectType">The kind of thing touched ("user", "role", "tenant", "member").</param>
/// <param name="SubjectId">Its id.</param>
/// <param name="Details">Extra facts, serialized as JSON (never passwords).</param>
public sealed record AuditEntry(
    string Category,
    string Action,
    string? SubjectType = null,
    string? SubjectId = null,
    IReadOnlyDictionary<string, string?>? Details = null)
{
    /// <summary>Overrides the acting user (background work, recipes).</summary>
    public string? Actor { get; init; }
}

public static class AuditCategories
{
    public const string Security = "security";
    public const string Users = "users";
    public const string Tenants = "tenants";
    public const string Features = "features";
    public const string Recipes = "recipes";
    public const string Settings = "settings";
    public const string PersonalData = "personal-data";
    public const string Audit = "audit";
}
