using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Contents.Models;

/// <summary>A content type's current definition and its version number.</summary>
public sealed class ContentTypeRecord
{
    public required string Name { get; set; }

    public required string DisplayName { get; set; }

    public int Version { get; set; }

    public required string Json { get; set; }

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A type version: never changed once written.</summary>
public sealed class ContentTypeVersionRecord
{
    public required string Name { get; set; }

    public int Version { get; set; }

    public required string Json { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public string? CreatedBy { get; set; }
}

/// <summary>A content item: which of its versions is the latest, and which (if any) is published.</summary>
public sealed class ContentItemRecord
{
    public string Id { get; set; } = RowIds.New();

    public required string ContentType { get; set; }

    public required string DisplayText { get; set; }

    public string? Owner { get; set; }

    public int LatestVersion { get; set; }

    public int? PublishedVersion { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime ModifiedUtc { get; set; } = DateTime.UtcNow;

    public DateTime? PublishedUtc { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    public bool HasDraft => PublishedVersion != LatestVersion;
}

/// <summary>One version of an item's data, with the type version it was made with.</summary>
public sealed class ContentItemVersionRecord
{
    public required string ItemId { get; set; }

    public int Version { get; set; }

    public int TypeVersion { get; set; }

    public required string DataJson { get; set; }

    public string? Author { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime ModifiedUtc { get; set; } = DateTime.UtcNow;
}

public sealed class ContentsModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<ContentTypeRecord>(e =>
        {
            e.ToTable("ContentTypes");
            e.HasKey(t => t.Name);
            e.Property(t => t.ConcurrencyStamp).IsConcurrencyToken();
        });
        modelBuilder.Entity<ContentTypeVersionRecord>(e =>
        {
            e.ToTable("ContentTypeVersions");
            e.HasKey(t => new { t.Name, t.Version });
        });
        modelBuilder.Entity<ContentItemRecord>(e =>
        {
            e.ToTable("ContentItems");
            e.HasKey(i => i.Id);
            e.Ignore(i => i.HasDraft);
            e.Property(i => i.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(i => new { i.ContentType, i.ModifiedUtc });
        });
        modelBuilder.Entity<ContentItemVersionRecord>(e =>
        {
            e.ToTable("ContentItemVersions");
            e.HasKey(v => new { v.ItemId, v.Version });
        });
    }
}

public sealed class ContentsMigration : IDataMigration
{
    public string Module => "Verification.Contents";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m =>
        {
            m.CreateTable("ContentTypes", c => new
            {
                Name = c.Column<string>(nullable: false),
                DisplayName = c.Column<string>(nullable: false),
                Version = c.Column<int>(nullable: false),
                Json = c.Column<string>(nullable: false),
                UpdatedUtc = c.Column<DateTime>(nullable: false),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_ContentTypes", x => x.Name));
            m.CreateTable("ContentTypeVersions", c => new
            {
                Name = c.Column<string>(nullable: false),
                Version = c.Column<int>(nullable: false),
                Json = c.Column<string>(nullable: false),
                CreatedUtc = c.Column<DateTime>(nullable: false),
                CreatedBy = c.Column<string>(nullable: true),
            }, constraints: t => t.PrimaryKey("PK_ContentTypeVersions", x => new { x.Name, x.Version }));
            m.CreateTable("ContentItems", c => new
            {
                Id = c.Column<string>(nullable: false),
                ContentType = c.Column<string>(nullable: false),
                DisplayText = c.Column<string>(nullable: false),
                Owner = c.Column<string>(nullable: true),
                LatestVersion = c.Column<int>(nullable: false),
                PublishedVersion = c.Column<int>(nullable: true),
                CreatedUtc = c.Column<DateTime>(nullable: false),
                ModifiedUtc = c.Column<DateTime>(nullable: false),
                PublishedUtc = c.Column<DateTime>(nullable: true),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_ContentItems", x => x.Id));
            m.CreateIndex("IX_ContentItems_ContentType_ModifiedUtc", "ContentItems", ["ContentType", "ModifiedUtc"]);
            m.CreateTable("ContentItemVersions", c => new
            {
                ItemId = c.Column<string>(nullable: false),
                Version = c.Column<int>(nullable: false),
                TypeVersion = c.Column<int>(nullable: false),
                DataJson = c.Column<string>(nullable: false),
                Author = c.Column<string>(nullable: true),
                CreatedUtc = c.Column<DateTime>(nullable: false),
                ModifiedUtc = c.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_ContentItemVersions", x => new { x.ItemId, x.Version }));
        },
    ];
}
