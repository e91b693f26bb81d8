using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Verification.Cms.Hosting;
using Verification.Cms.Tenants;

namespace Verification.Cms.Audit;

/// <summary>The newest checkpoint found, and the first line that failed its signature, if any.</summary>
public sealed record CheckpointScan(long Files, long? Sequence, string? Hash, string? Forged);

/// <summary>
/// Signed checkpoints of the chain's head, written outside the database after every append: one file a
/// day, <c>{AuditCheckpointsPath}/{tenant}/yyyy-MM-dd.log</c>, a line per event — sequence, hash, time and
/// an HMAC under the audit key. Deleting the newest events, or all of them, leaves a checkpoint the
/// database no longer matches, so <c>audit verify</c> names it.
/// </summary>
public sealed class AuditCheckpoints(CmsPaths paths, ITenantContext tenant)
{
    public string Folder => Path.Combine(paths.AuditCheckpoints, tenant.Settings.Name);

    public void Write(AuditKey key, long sequence, string hash, DateTime utc)
    {
        Directory.CreateDirectory(Folder);
        var time = utc.ToString("O", CultureInfo.InvariantCulture);
        var line = string.Create(CultureInfo.InvariantCulture, $"{sequence}\t{hash}\t{time}\t{Mac(key, sequence, hash, time)}\n");
        File.AppendAllText(Path.Combine(Folder, utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".log"), line);
    }

    public bool Any() => Directory.Exists(Folder) && Directory.EnumerateFiles(Folder, "*.log").Any();

    /// <summary>Reads every checkpoint, checks each signature, and keeps the newest.</summary>
    public CheckpointScan Scan(AuditKey key)
    {
        if (!Directory.Exists(Folder))
        {
            return new CheckpointScan(0, null, null, null);
        }

        long files = 0;
        long? newest = null;
        string? newestHash = null;
        foreach (var file in Directory.EnumerateFiles(Folder, "*.log").Order(StringComparer.Ordinal))
        {
            files++;
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var parts = line.Split('\t');
                if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                    || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, sequence, parts[1], parts[2])), Encoding.ASCII.GetBytes(parts[3])))
                {
                    return new CheckpointScan(files, newest, newestHash, $"{Path.GetFileName(file)}:{number}");
                }

                if (newest is null || sequence > newest)
                {
                    newest = sequence;
                    newestHash = parts[1];
                }
            }
        }

        return new CheckpointScan(files, newest, newestHash, null);
    }

    private string Mac(AuditKey key, long sequence, string hash, string time) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"checkpoint|{tenant.Settings.Name}|{sequence}|{hash}|{time}"))));
}
