using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Verification.Cms.Hosting;
using Verification.Cms.Tenants;

namespace Verification.Cms.Audit;

/// <summary>A tenant's audit key and the first sequence it signs (1 for a tenant that had it from the start).</summary>
public sealed record AuditKey(byte[] Secret, long KeyedFrom);

/// <summary>
/// The tenant's audit key, kept outside its database in <c>{AuditKeysPath}/{tenant}.key</c> (mode 0600;
/// by default App_Data/Keys/audit — put it on another volume, or shared storage when several web nodes
/// serve the tenant). Created on the tenant's first audit event; a tenant upgraded from the unkeyed chain
/// gets one whose <see cref="AuditKey.KeyedFrom"/> is its next event.
/// </summary>
public sealed class AuditKeyring(CmsPaths paths, ITenantContext tenant, ILogger<AuditKeyring> logger)
{
    private AuditKey? _key;

    public string KeyFile => Path.Combine(paths.AuditKeys, tenant.Settings.Name + ".key");

    /// <summary>The key, or null when the tenant has none (never created, or the file was removed).</summary>
    public AuditKey? Find()
    {
        if (_key is not null)
        {
            return _key;
        }

        if (!File.Exists(KeyFile))
        {
            return null;
        }

        var file = JsonSerializer.Deserialize<KeyFileContent>(File.ReadAllText(KeyFile)) ?? throw new InvalidDataException("The audit key file is empty.");
        return _key = new AuditKey(Convert.FromBase64String(file.Key), file.KeyedFrom);
    }

    /// <summary>The key, made now if the tenant has none; <paramref name="nextSequence"/> is the first event it will sign.</summary>
    public AuditKey GetOrCreate(long nextSequence)
    {
        if (Find() is { } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(paths.AuditKeys);
        var created = new KeyFileContent(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), nextSequence, DateTime.UtcNow);
        try
        {
            // CreateNew: two nodes starting together keep whichever key was written first.
            using var stream = new FileStream(KeyFile, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(stream, created);
        }
        catch (IOException) when (File.Exists(KeyFile))
        {
            return Find()!;
        }

        if (nextSequence > 1)
        {
            logger.LogWarning("Tenant {Tenant}: audit key created; events from {Sequence} on are signed with it (the earlier ones keep their unkeyed hashes).", tenant.Settings.Name, nextSequence);
        }

        return _key = new AuditKey(Convert.FromBase64String(created.Key), created.KeyedFrom);
    }

    private sealed record KeyFileContent(string Key, long KeyedFrom, DateTime CreatedUtc);
}
