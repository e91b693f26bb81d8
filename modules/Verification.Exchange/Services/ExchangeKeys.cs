using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Tenants;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>
/// The tenant's signing key for outgoing requests: created on first use, its private part kept only
/// encrypted with the tenant's data-protection keys (never in the repository or a recipe).
/// </summary>
public sealed class ExchangeKeys(TenantDbContext db, IDataProtectionProvider protection, ITenantContext tenant)
{
    private const string Purpose = "Verification.Exchange.SigningKey";

    /// <summary>How this tenant names itself to providers.</summary>
    public string SenderId => "vcms:" + tenant.Settings.Name;

    public async Task<ECDsa> SigningKeyAsync(CancellationToken cancellationToken)
    {
        var row = await EnsureAsync(cancellationToken);
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(protection.CreateProtector(Purpose).Unprotect(row.ProtectedPrivateKey)), out _);
        return key;
    }

    public async Task<string> PublicKeyPemAsync(CancellationToken cancellationToken) => (await EnsureAsync(cancellationToken)).PublicKeyPem;

    private async Task<ExchangeKeyRecord> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await db.Set<ExchangeKeyRecord>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return existing;
        }

        using var key = MessageSigner.NewKey();
        var row = new ExchangeKeyRecord
        {
            ProtectedPrivateKey = protection.CreateProtector(Purpose).Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey())),
            PublicKeyPem = MessageSigner.PublicKeyPem(key),
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return row;
        }
        catch (DbUpdateException)
        {
            // Another request created it first.
            db.Entry(row).State = EntityState.Detached;
            return await db.Set<ExchangeKeyRecord>().AsNoTracking().FirstAsync(cancellationToken);
        }
    }
}
