using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Backups;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Media;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// The restore drill: a busy centre is backed up in full (by the command, as an operator would)
/// and then incrementally, wiped — database, files, audit key and checkpoints —, restored, and found
/// exactly as it was: every table's rows, every file, an intact audit chain, its users able to sign in.
/// A damaged backup is named, never restored.
/// </summary>
public abstract class BackupRestoreTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-18.3")]
    public async Task ABusyCentreBackedUpWipedAndRestoredIsExactlyAsItWas()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await BusyAsync(tenant, 0);
        var (code, output) = await CliProcess.RunAsync(host, "backup", tenant.Name, "--full");
        Assert.True(code == 0, output);

        await BusyAsync(tenant, 1);
        var backups = host.Services.GetRequiredService<BackupService>();
        var incremental = await backups.BackupAsync(tenant.Name, null, "test", default);
        var full = backups.List(tenant.Name).Single(b => b.Kind == BackupManifest.Full);
        Assert.Equal((BackupManifest.Incremental, full.Generation), (incremental.Kind, incremental.Generation));
        Assert.True(incremental.StoredBytes < full.StoredBytes, $"an incremental stores what changed: {incremental.StoredBytes} of {full.StoredBytes} bytes");
        Assert.True(incremental.Files.SelectMany(f => f.Chunks).Intersect(full.Files.SelectMany(f => f.Chunks)).Any(), "an incremental reuses the full backup's unchanged chunks");

        var before = await StateAsync(tenant);
        Assert.True(before.Counts["Cases"] == 2 && before.Counts["MediaFiles"] == 2 && before.Counts["AuditEvents"] > 20, string.Join(", ", before.Counts));
        await WipeAsync(tenant);

        var restored = await backups.RestoreAsync(tenant.Name, null, "test", default);
        Assert.True(restored.Verified, string.Join("; ", restored.Problems));
        Assert.Equal(incremental.Id, restored.Backup.Id);
        var after = await StateAsync(tenant);
        foreach (var (table, rows) in before.Counts.Where(c => c.Key != "AuditEvents"))
        {
            Assert.True(after.Counts[table] == rows, $"{table}: {after.Counts[table]} rows after the restore, {rows} before");
        }

        // The chain as backed up, plus the restore itself.
        Assert.Equal(incremental.RowCounts["AuditEvents"] + 1, after.Counts["AuditEvents"]);
        Assert.Equal(before.Files, after.Files);
        (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 0, output);
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("admin/audit")).StatusCode);

        // A chunk altered on the backup disk: the backup is named damaged and nothing is restored from it.
        var name = incremental.Files[0].Chunks[0];
        var chunk = Path.Combine(host.AppData, "Backups", tenant.Name, incremental.Generation, "chunks", name[..2], name);
        var bytes = await File.ReadAllBytesAsync(chunk);
        bytes[^20] ^= 0xFF;
        await File.WriteAllBytesAsync(chunk, bytes);
        (code, output) = await CliProcess.RunAsync(host, "backup", "verify", tenant.Name, incremental.Id);
        Assert.True(code == 3, output);
        Assert.Contains("DAMAGED", output, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => backups.RestoreAsync(tenant.Name, incremental.Id, "test", default));
    }

    [Fact]
    [Trait("Req", "R-18.3")]
    public async Task TheHostAdministratorBacksUpFromItsPageAndRestoresOnlyWhenTheNameIsTyped()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(host.HostTenant);
        await admin.SignInOrFailAsync("host.admin");
        Assert.Contains(tenant.Name, await admin.GetPageAsync("admin/backups"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("admin/backups", $"admin/backups/{tenant.Name}", [new("full", "true")])).StatusCode);
        var made = Assert.Single(host.Services.GetRequiredService<BackupService>().List(tenant.Name));
        Assert.Contains(made.Id, await admin.GetPageAsync($"admin/backups?tenant={tenant.Name}"), StringComparison.Ordinal);

        // Without the tenant's name typed, nothing is restored (the audit trail shows no restore).
        await admin.PostFormAsync($"admin/backups?tenant={tenant.Name}", $"admin/backups/{tenant.Name}/{made.Id}/restore", [new("confirm", "wrong")]);
        var actions = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Select(a => a.Action).ToListAsync());
        Assert.Contains("backup.created", actions);
        Assert.DoesNotContain("backup.restored", actions);

        // A centre's own administrator has no backup page.
        using var centre = host.ClientFor(tenant);
        await centre.SignInOrFailAsync("cz.admin");
        Assert.Equal(HttpStatusCode.NotFound, (await centre.GetAsync("admin/backups")).StatusCode);
    }

    /// <summary>Cases with members and authorizations, uploaded scans, sign-ins: a centre at work.</summary>
    private async Task BusyAsync(TestTenant tenant, int n)
    {
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("备份户" + n, 600 + n));
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            await using var scan = new MemoryStream(TestImages.Png(400 + n, 300));
            var saved = await sp.GetRequiredService<MediaStore>().SaveAsync($"授权书{n}.png", scan, new UploadRules(UploadRules.DefaultMaxBytes, ["image"]), "cz.qiantai1", default);
            Assert.Null(saved.Error);
        });
        using var client = host.ClientFor(tenant);
        await client.SignInOrFailAsync("cz.admin");
    }

    private async Task<(Dictionary<string, long> Counts, Dictionary<string, string> Files)> StateAsync(TestTenant tenant)
    {
        var counts = await host.InTenantAsync(tenant.Name, sp => DatabaseSnapshot.CountAsync(sp.GetRequiredService<TenantDatabase>(), default));
        var folder = Path.Combine(host.AppData, "Sites", tenant.Name);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("tenant.db", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
        return (counts, files);
    }

    /// <summary>Everything of the tenant gone: its database, its folder's files, its audit key and checkpoints.</summary>
    private async Task WipeAsync(TestTenant tenant)
    {
        var database = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<TenantDatabase>()));
        await host.ShellHost.ReleaseShellAsync(tenant.Name);
        await database.DropAsync(default);
        var paths = host.Services.GetRequiredService<CmsPaths>();
        foreach (var file in Directory.EnumerateFiles(paths.TenantFolder(tenant.Name), "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        File.Delete(Path.Combine(paths.AuditKeys, tenant.Name + ".key"));
        Directory.Delete(Path.Combine(paths.AuditCheckpoints, tenant.Name), recursive: true);
    }
}

public sealed class BackupRestoreOnSqlite(SqliteHostFixture host) : BackupRestoreTests<SqliteHostFixture>(host);

public sealed class BackupRestoreOnPostgres(PostgresHostFixture host) : BackupRestoreTests<PostgresHostFixture>(host);
