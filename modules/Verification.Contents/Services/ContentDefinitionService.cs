using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Liquid;
using Verification.Contents.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Services;

/// <summary>Content types as data: checked, versioned on every change, every change audited.</summary>
public sealed partial class ContentDefinitionService(TenantDbContext db, ContentPartCatalog parts, LiquidRenderer liquid, IAuditTrail audit)
{
    public Task<List<ContentTypeRecord>> ListAsync(CancellationToken cancellationToken) =>
        db.Set<ContentTypeRecord>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);

    public async Task<(ContentTypeRecord Record, ContentTypeDefinition Definition)?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var row = await db.Set<ContentTypeRecord>().AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return row is null ? null : (row, ContentTypeDefinition.Parse(row.Json));
    }

    /// <summary>The type as it was at a version (items are shown with the version they were made with).</summary>
    public async Task<ContentTypeDefinition?> VersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        var row = await db.Set<ContentTypeVersionRecord>().AsNoTracking().FirstOrDefaultAsync(v => v.Name == name && v.Version == version, cancellationToken);
        return row is null ? null : ContentTypeDefinition.Parse(row.Json);
    }

    public IReadOnlyList<DefinitionProblem> Check(ContentTypeDefinition type)
    {
        var problems = new List<DefinitionProblem>();
        if (!NamePattern().IsMatch(type.Name))
        {
            problems.Add(new("name", "A content type name starts with a capital letter and uses letters and digits (e.g. PolicyNotice)."));
        }

        if (string.IsNullOrWhiteSpace(type.DisplayName) || type.DisplayName.Length > 50)
        {
            problems.Add(new("displayName", "The display name is required (at most 50 characters)."));
        }

        foreach (var part in type.Parts)
        {
            if (parts.Find(part) is null)
            {
                problems.Add(new("parts", $"Unknown part '{part}'."));
            }
        }

        if (type.Parts.Distinct(StringComparer.Ordinal).Count() != type.Parts.Count)
        {
            problems.Add(new("parts", "A part is listed twice."));
        }

        // Field keys of parts and of the type share one namespace: the editor form checks them together.
        problems.AddRange(FormDefinitionChecker.Check(type.EditorForm(parts)).Select(p => p with { Path = "fields" + p.Path[(p.Path.IndexOf('.') is var i and >= 0 ? i : p.Path.Length)..] }));
        if (type.DisplayTemplate is { } template && !liquid.TryParse(template, out _, out var error))
        {
            problems.Add(new("displayTemplate", $"The template has a Liquid error: {error}"));
        }

        return problems;
    }

    /// <summary>Saves the type; a change makes the next type version. Nothing is saved when it has problems.</summary>
    public async Task<IReadOnlyList<DefinitionProblem>> SaveAsync(ContentTypeDefinition type, string? user, CancellationToken cancellationToken)
    {
        var problems = Check(type);
        if (problems.Count > 0)
        {
            return problems;
        }

        var json = type.ToJson();
        var row = await db.Set<ContentTypeRecord>().FirstOrDefaultAsync(t => t.Name == type.Name, cancellationToken);
        if (row?.Json == json)
        {
            return [];
        }

        if (row is null)
        {
            row = new ContentTypeRecord { Name = type.Name, DisplayName = type.DisplayName, Json = json };
            db.Add(row);
        }

        row.Version++;
        row.DisplayName = type.DisplayName;
        row.Json = json;
        row.UpdatedUtc = DateTime.UtcNow;
        row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        db.Add(new ContentTypeVersionRecord { Name = type.Name, Version = row.Version, Json = json, CreatedBy = user });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "content-type.saved", "content-type", type.Name, new Dictionary<string, string?> { ["version"] = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        return [];
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{1,63}$")]
    private static partial Regex NamePattern();
}
