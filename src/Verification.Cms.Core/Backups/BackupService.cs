using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Tenants;

namespace Verification.Cms.Backups;

/// <summary>
/// Backups of each tenant and of the host (R-18.3: monthly full, daily incremental, kept five years by
/// default, each one recorded and verified, restore tested). A backup holds the tenant's database (its
/// uploaded media live in it), the files of its folder (data-protection keys, mail), its audit key and
/// checkpoints; the host's also holds the tenant list. Content is cut into chunks (<see cref="Chunker"/>),
/// each stored once per generation, compressed and encrypted (<see cref="ChunkStore"/>): the month's
/// full backup starts a generation, the daily ones add only what changed. Every backup is read back
/// and checked as soon as it is written.
/// </summary>
public sealed class BackupService(ShellHost shells, CmsPaths paths, IOptions<CmsOptions> options, TimeProvider time, ILogger<BackupService> logger)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<BackupKey> _key = new(() => BackupKey.LoadOrCreate(paths.BackupKey));

    public string Root => paths.Backups;

    /// <summary>Backs the tenant up: full when asked, when it has none yet or when its last full one is of an earlier month; incremental otherwise.</summary>
    public async Task<BackupManifest> BackupAsync(string tenantName, bool? full, string? actor, CancellationToken cancellationToken)
    {
        var settings = RequireSetUp(tenantName);
        var gate = Gates.GetOrAdd(settings.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var existing = List(settings.Name);
            var last = existing.Count > 0 ? existing[0] : null;
            var lastFull = existing.FirstOrDefault(b => b.Kind == BackupManifest.Full);
            var month = CmsTime.ToChina(now).ToString("yyyyMM", CultureInfo.InvariantCulture);
            var isFull = full ?? (lastFull is null || CmsTime.ToChina(lastFull.CreatedUtc).ToString("yyyyMM", CultureInfo.InvariantCulture) != month);
            var generation = isFull || last is null ? "g-" + now.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) : last.Generation;
            var id = now.ToString("yyyyMMdd-HHmmssfff", CultureInfo.InvariantCulture) + (isFull ? "-full" : "-incr");
            var store = new ChunkStore(GenerationFolder(settings.Name, generation), _key.Value);

            var work = Directory.CreateTempSubdirectory("vcms-backup-").FullName;
            try
            {
                var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
                var snapshot = Path.Combine(work, "snapshot");
                var counts = await DatabaseSnapshot.TakeAsync(database, snapshot, cancellationToken);
                var files = new List<BackupFile>();
                long stored = 0;
                foreach (var (path, source) in Sources(settings, database, snapshot))
                {
                    var (file, written) = await StoreAsync(store, path, source, cancellationToken);
                    files.Add(file);
                    stored += written;
                }

                var manifest = new BackupManifest(id, settings.Name, isFull ? BackupManifest.Full : BackupManifest.Incremental, generation, now, settings.DatabaseProvider.ToString(), files, counts, stored, actor);
                Directory.CreateDirectory(GenerationFolder(settings.Name, generation));
                await File.WriteAllTextAsync(Path.Combine(GenerationFolder(settings.Name, generation), id + ".json"), manifest.Serialize(_key.Value), cancellationToken);
                var problems = Verify(settings.Name, id);
                await RecordAsync(settings, problems.Count == 0 ? "backup.created" : "backup.unverified", manifest, actor, problems, cancellationToken);
                logger.LogInformation("Backup {Backup} of {Tenant}: {Kind}, {Bytes} bytes, {Stored} stored, {Problems} problems", id, settings.Name, manifest.Kind, manifest.Bytes, stored, problems.Count);
                return problems.Count == 0 ? manifest : throw new InvalidDataException($"Backup {id} of {settings.Name} did not verify: {string.Join("; ", problems)}");
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The tenant's backups, newest first.</summary>
    public IReadOnlyList<BackupManifest> List(string tenantName)
    {
        var folder = Path.Combine(Root, tenantName);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => BackupManifest.Read(File.ReadAllText(f), _key.Value))
            .OrderByDescending(m => m.CreatedUtc)
            .ToList();
    }

    /// <summary>Reads every chunk of the backup back, decrypts it and checks every file's hash; returns the problems found.</summary>
    public IReadOnlyList<string> Verify(string tenantName, string id)
    {
        var problems = new List<string>();
        BackupManifest manifest;
        try
        {
            manifest = Find(tenantName, id);
        }
        catch (InvalidDataException ex)
        {
            return [ex.Message];
        }

        var store = new ChunkStore(GenerationFolder(tenantName, manifest.Generation), _key.Value);
        foreach (var file in manifest.Files)
        {
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long length = 0;
                foreach (var chunk in file.Chunks)
                {
                    var bytes = store.Get(chunk);
                    hash.AppendData(bytes);
                    length += bytes.Length;
                }

                if (length != file.Length || Convert.ToHexStringLower(hash.GetHashAndReset()) != file.Sha256)
                {
                    problems.Add($"{file.Path}: content differs from its record");
                }
            }
            catch (InvalidDataException ex)
            {
                problems.Add($"{file.Path}: {ex.Message}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Puts the tenant back as it was at the backup (the latest when none is named): it answers 503 meanwhile,
    /// then its rows, files and audit chain are checked against the backup's record. The audit checkpoints
    /// written after the backup are kept aside, not destroyed. The host itself is restored with the process stopped.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(string tenantName, string? id, string? actor, CancellationToken cancellationToken)
    {
        var settings = RequireSetUp(tenantName);
        var all = List(settings.Name);
        var manifest = id is not null ? Find(settings.Name, id) : all.Count > 0 ? all[0] : throw new InvalidOperationException($"Tenant '{settings.Name}' has no backup.");
        var problems = Verify(settings.Name, manifest.Id).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Backup {manifest.Id} is damaged; nothing was restored: {string.Join("; ", problems)}");
        }

        var gate = Gates.GetOrAdd(settings.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        var previous = settings.State;
        try
        {
            settings.State = TenantState.Initializing;
            await shells.UpdateSettingsAsync(settings);
            var store = new ChunkStore(GenerationFolder(settings.Name, manifest.Generation), _key.Value);
            var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
            var checkpoints = Path.Combine(paths.AuditCheckpoints, settings.Name);
            if (Directory.Exists(checkpoints))
            {
                // Checkpoints of events after the backup: kept aside as the record of what the restore replaced.
                Directory.Move(checkpoints, checkpoints + ".before-restore-" + time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture));
            }

            var work = Directory.CreateTempSubdirectory("vcms-restore-").FullName;
            try
            {
                foreach (var file in manifest.Files)
                {
                    var target = file.Path == DatabaseSnapshot.FileName(database) ? Path.Combine(work, "snapshot") : TargetOf(settings, file.Path);
                    if (target is null)
                    {
                        continue;
                    }

                    await WriteAsync(store, file, target, cancellationToken);
                }

                await DatabaseSnapshot.RestoreAsync(database, Path.Combine(work, "snapshot"), cancellationToken);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }

            var counts = await DatabaseSnapshot.CountAsync(database, cancellationToken);
            problems.AddRange(manifest.RowCounts.Where(c => counts.GetValueOrDefault(c.Key, -1) != c.Value).Select(c => $"table {c.Key}: {counts.GetValueOrDefault(c.Key, -1)} rows restored, {c.Value} backed up"));
        }
        finally
        {
            settings.State = previous;
            await shells.UpdateSettingsAsync(settings);
            gate.Release();
        }

        var audit = await InTenantAsync(settings, sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken));
        if (!audit.IsIntact)
        {
            problems.Add($"audit trail: broken at event {audit.FirstBreak!.Sequence}: {audit.FirstBreak.Text}");
        }

        await RecordAsync(settings, "backup.restored", manifest, actor, problems, cancellationToken);
        return new RestoreResult(manifest, problems);
    }

    /// <summary>Removes generations whose newest backup is older than the retention (never the latest generation); returns how many.</summary>
    public int Prune(string tenantName)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddYears(-Math.Max(1, options.Value.BackupRetentionYears));
        var generations = List(tenantName).GroupBy(m => m.Generation).Select(g => (Generation: g.Key, Newest: g.Max(m => m.CreatedUtc))).OrderByDescending(g => g.Newest).ToList();
        var removed = 0;
        foreach (var (generation, _) in generations.Skip(1).Where(g => g.Newest < cutoff))
        {
            Directory.Delete(GenerationFolder(tenantName, generation), recursive: true);
            removed++;
        }

        return removed;
    }

    private BackupManifest Find(string tenantName, string id) =>
        List(tenantName).FirstOrDefault(m => m.Id == id) ?? throw new InvalidDataException($"Tenant '{tenantName}' has no backup '{id}'.");

    private ShellSettings RequireSetUp(string tenantName) =>
        shells.Find(tenantName) is { State: TenantState.Running or TenantState.Disabled } settings ? settings : throw new InvalidOperationException($"No set-up tenant named '{tenantName}'.");

    private string GenerationFolder(string tenant, string generation) => Path.Combine(Root, tenant, generation);

    /// <summary>What a tenant's backup holds, by the path it is restored to.</summary>
    private IEnumerable<(string Path, string Source)> Sources(ShellSettings settings, TenantDatabase database, string snapshot)
    {
        yield return (DatabaseSnapshot.FileName(database), snapshot);
        var folder = paths.TenantFolder(settings.Name);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith("tenant.db", StringComparison.Ordinal) && !name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                yield return ("files/" + Path.GetRelativePath(folder, file).Replace('\\', '/'), file);
            }
        }

        var auditKey = Path.Combine(paths.AuditKeys, settings.Name + ".key");
        if (File.Exists(auditKey))
        {
            yield return ("audit/key", auditKey);
        }

        var checkpoints = Path.Combine(paths.AuditCheckpoints, settings.Name);
        if (Directory.Exists(checkpoints))
        {
            foreach (var file in Directory.EnumerateFiles(checkpoints).Order(StringComparer.Ordinal))
            {
                yield return ("audit/checkpoints/" + Path.GetFileName(file), file);
            }
        }

        if (settings.IsDefault && File.Exists(Path.Combine(paths.AppData, "tenants.json")))
        {
            yield return ("host/tenants.json", Path.Combine(paths.AppData, "tenants.json"));
        }
    }

    /// <summary>Where a backed-up file goes back to; null for the host's own files, restored only with the process stopped.</summary>
    private string? TargetOf(ShellSettings settings, string path)
    {
        if (path.StartsWith("files/", StringComparison.Ordinal))
        {
            return Contained(paths.TenantFolder(settings.Name), path["files/".Length..]);
        }

        if (path == "audit/key")
        {
            return Path.Combine(paths.AuditKeys, settings.Name + ".key");
        }

        if (path.StartsWith("audit/checkpoints/", StringComparison.Ordinal))
        {
            return Contained(Path.Combine(paths.AuditCheckpoints, settings.Name), path["audit/checkpoints/".Length..]);
        }

        return null;
    }

    /// <summary>A path inside the folder; a recorded path that would leave it is refused.</summary>
    private static string Contained(string folder, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        return full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new InvalidDataException($"The backed-up path '{relative}' leaves its folder.");
    }

    private static async Task<(BackupFile File, long Written)> StoreAsync(ChunkStore store, string path, string source, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<string>();
        long length = 0, written = 0;
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await foreach (var chunk in Chunker.SplitAsync(input, cancellationToken))
        {
            hash.AppendData(chunk);
            length += chunk.Length;
            var name = store.Name(chunk);
            written += store.Put(name, chunk);
            chunks.Add(name);
        }

        return (new BackupFile(path, length, Convert.ToHexStringLower(hash.GetHashAndReset()), chunks), written);
    }

    private static async Task WriteAsync(ChunkStore store, BackupFile file, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None);
        foreach (var chunk in file.Chunks)
        {
            await output.WriteAsync(store.Get(chunk), cancellationToken);
        }
    }

    /// <summary>Each backup and restore is recorded in the tenant's audit trail and in the host's.</summary>
    private async Task RecordAsync(ShellSettings settings, string action, BackupManifest manifest, string? actor, IReadOnlyList<string> problems, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, string?>
        {
            ["tenant"] = settings.Name, ["kind"] = manifest.Kind, ["bytes"] = manifest.Bytes.ToString(CultureInfo.InvariantCulture),
            ["stored"] = manifest.StoredBytes.ToString(CultureInfo.InvariantCulture), ["problems"] = problems.Count == 0 ? null : string.Join("; ", problems),
        };
        var entry = new AuditEntry(AuditCategories.Settings, action, "backup", manifest.Id, details) { Actor = actor ?? "backup" };
        await InTenantAsync(settings, async sp =>
        {
            await sp.GetRequiredService<IAuditTrail>().RecordAsync(entry, cancellationToken);
            return true;
        });
        if (!settings.IsDefault && shells.AllSettings.FirstOrDefault(s => s.IsDefault) is { State: TenantState.Running } host)
        {
            await InTenantAsync(host, async sp =>
            {
                await sp.GetRequiredService<IAuditTrail>().RecordAsync(entry, cancellationToken);
                return true;
            });
        }
    }

    private async Task<T> InTenantAsync<T>(ShellSettings settings, Func<IServiceProvider, Task<T>> action)
    {
        var shell = await shells.GetShellAsync(settings);
        await using var scope = shell.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
