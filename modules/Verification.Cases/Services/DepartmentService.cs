using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Data;

namespace Verification.Cases.Services;

/// <summary>Registered departments and their API keys: generated here, shown once, stored as a SHA-256 hash.</summary>
public sealed class DepartmentService(TenantDbContext db, IAuditTrail audit)
{
    public Task<List<Department>> ListAsync(CancellationToken cancellationToken) => db.Set<Department>().AsNoTracking().OrderBy(d => d.Code).ToListAsync(cancellationToken);

    public async Task UpsertAsync(string code, string name, string? callbackUrl, string? orgUnit, bool enabled, string? user, CancellationToken cancellationToken)
    {
        var department = await db.Set<Department>().FirstOrDefaultAsync(d => d.Code == code, cancellationToken);
        if (department is null)
        {
            department = new Department { Code = code, Name = name };
            db.Add(department);
        }

        department.Name = name;
        department.CallbackUrl = string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim();
        department.OrgUnit = string.IsNullOrWhiteSpace(orgUnit) ? null : orgUnit;
        department.Enabled = enabled;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "department.saved", "department", code) { Actor = user }, cancellationToken);
    }

    /// <summary>A new key for the department (the old one stops working); the caller shows it once.</summary>
    public async Task<string> IssueKeyAsync(string code, string? user, CancellationToken cancellationToken)
    {
        var department = await db.Set<Department>().FirstAsync(d => d.Code == code, cancellationToken);
        var key = code + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        department.KeyHash = Hash(key);
        department.KeyHint = key[^4..];
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "department.key-issued", "department", code, new Dictionary<string, string?> { ["hint"] = department.KeyHint }) { Actor = user }, cancellationToken);
        return key;
    }

    /// <summary>The enabled department a presented key belongs to, or null.</summary>
    public async Task<Department?> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.IndexOf('.', StringComparison.Ordinal) is var dot && dot <= 0)
        {
            return null;
        }

        var code = key[..dot];
        var department = await db.Set<Department>().AsNoTracking().FirstOrDefaultAsync(d => d.Code == code && d.Enabled, cancellationToken);
        return department?.KeyHash is { } stored && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(key))) ? department : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
