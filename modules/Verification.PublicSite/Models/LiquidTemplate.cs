using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.PublicSite.Models;

/// <summary>A tenant's own version of a theme template; without one the theme's file is used.</summary>
public sealed class LiquidTemplate
{
    public required string Name { get; set; }

    public required string Source { get; set; }

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;

    public string? UpdatedBy { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

public sealed class LiquidTemplateModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect) => modelBuilder.Entity<LiquidTemplate>(e =>
    {
        e.ToTable("LiquidTemplates");
        e.HasKey(t => t.Name);
        e.Property(t => t.ConcurrencyStamp).IsConcurrencyToken();
    });
}

public sealed class PublicSiteMigration : IDataMigration
{
    public string Module => "Verification.PublicSite";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m => m.CreateTable("LiquidTemplates", c => new
        {
            Name = c.Column<string>(nullable: false),
            Source = c.Column<string>(nullable: false),
            UpdatedUtc = c.Column<DateTime>(nullable: false),
            UpdatedBy = c.Column<string>(nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_LiquidTemplates", x => x.Name)),
    ];
}
