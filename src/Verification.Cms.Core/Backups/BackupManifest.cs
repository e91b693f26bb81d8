using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Verification.Cms.Backups;

/// <summary>One file of a backup: where it goes back to, its size and SHA-256, and its chunks in order.</summary>
public sealed record BackupFile(string Path, long Length, string Sha256, IReadOnlyList<string> Chunks);

/// <summary>
/// The record of one backup (R-18.3: each backup recorded): what it holds, the row count of every table
/// and the audit trail's length at that moment (what a restore is checked against), signed with the
/// backup key so a changed record is noticed. No personal data: chunk names are keyed hashes.
/// </summary>
/// <param name="Kind">"full" (starts a generation, once a month) or "incremental" (only chunks new to the generation).</param>
public sealed record BackupManifest(
    string Id,
    string Tenant,
    string Kind,
    string Generation,
    DateTime CreatedUtc,
    string Provider,
    IReadOnlyList<BackupFile> Files,
    IReadOnlyDictionary<string, long> RowCounts,
    long StoredBytes,
    string? CreatedBy,
    string? Signature = null)
{
    public const string Full = "full";
    public const string Incremental = "incremental";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public long Bytes => Files.Sum(f => f.Length);

    internal string Serialize(BackupKey key)
    {
        var unsigned = this with { Signature = null };
        var signed = unsigned with { Signature = Sign(key, JsonSerializer.Serialize(unsigned, Json)) };
        return JsonSerializer.Serialize(signed, Json);
    }

    /// <summary>Reads a manifest and checks its signature; throws <see cref="InvalidDataException"/> when it was altered.</summary>
    internal static BackupManifest Read(string text, BackupKey key)
    {
        var manifest = JsonSerializer.Deserialize<BackupManifest>(text, Json) ?? throw new InvalidDataException("Empty backup record.");
        var expected = Sign(key, JsonSerializer.Serialize(manifest with { Signature = null }, Json));
        return manifest.Signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(manifest.Signature))
            ? manifest
            : throw new InvalidDataException($"The record of backup {manifest.Id} does not carry a valid signature.");
    }

    private static string Sign(BackupKey key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Signing, Encoding.UTF8.GetBytes(text)));
}

/// <summary>What a restore found: the backup restored, and whether rows, files and the audit chain match what was recorded.</summary>
public sealed record RestoreResult(BackupManifest Backup, IReadOnlyList<string> Problems)
{
    public bool Verified => Problems.Count == 0;
}
