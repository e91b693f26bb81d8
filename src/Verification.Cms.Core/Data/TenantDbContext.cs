using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Verification.Cms.Audit;
using Verification.Cms.Settings;
using Verification.Cms.Users;

namespace Verification.Cms.Data;

/// <summary>
/// One tenant's database. Core entities live here; each enabled feature adds its own through
/// <see cref="IEntityModelContributor"/>, so the model depends on the tenant's features.
/// </summary>
public sealed class TenantDbContext : IdentityDbContext<CmsUser, CmsRole, string>
{
    private readonly IEntityModelContributor[] _contributors;

    public TenantDbContext(DbContextOptions<TenantDbContext> options, TenantDatabase database, IEnumerable<IEntityModelContributor> contributors)
        : base(options)
    {
        Dialect = database.Dialect;
        _contributors = contributors.ToArray();
    }

    public DatabaseDialect Dialect { get; }

    internal string ModelKey => Dialect + ":" + string.Join(",", _contributors.Select(c => c.GetType().FullName).Order(StringComparer.Ordinal));

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SiteSettings> SiteSettings => Set<SiteSettings>();

    public DbSet<ShellFeatureRecord> ShellFeatures => Set<ShellFeatureRecord>();

    public DbSet<RecipeRunRecord> RecipeRuns => Set<RecipeRunRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<CmsUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.OrgUnitCode).HasMaxLength(20);
        });
        builder.Entity<CmsRole>().Property(r => r.Description).HasMaxLength(500);
        builder.Entity<AuditEvent>(e =>
        {
            e.ToTable("AuditEvents");
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.HasIndex(a => a.TimestampUtc);
            e.HasIndex(a => a.Category);
        });
        builder.Entity<SiteSettings>(e =>
        {
            e.ToTable("SiteSettings");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
        });
        builder.Entity<ShellFeatureRecord>(e =>
        {
            e.ToTable("ShellFeatures");
            e.HasKey(f => f.FeatureId);
        });
        builder.Entity<RecipeRunRecord>(e =>
        {
            e.ToTable("RecipeRuns");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
        });

        foreach (var contributor in _contributors)
        {
            contributor.Configure(builder, Dialect);
        }
    }
}

/// <summary>The model differs per tenant (dialect and enabled features), so the cache key says which.</summary>
internal sealed class TenantModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is TenantDbContext tenant ? (context.GetType(), tenant.ModelKey, designTime) : (context.GetType(), designTime);
}

public sealed class ShellFeatureRecord
{
    public required string FeatureId { get; set; }

    public DateTime EnabledUtc { get; set; } = DateTime.UtcNow;
}

public sealed class RecipeRunRecord
{
    public required string Id { get; set; }

    public required string RecipeName { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime? CompletedUtc { get; set; }

    public string? Error { get; set; }

    public string? RunBy { get; set; }
}
