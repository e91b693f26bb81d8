using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Cms.Media;

/// <summary>
/// An uploaded file (scan, photo, signature, attachment), kept in the tenant's own database so it
/// never crosses tenants and is backed up with the records that point to it. There is no generic
/// download route: the module that owns the record referring to a file checks access and serves it.
/// </summary>
public sealed class MediaFile
{
    public string Id { get; set; } = RowIds.New();

    /// <summary>The name the user gave, cleaned of any path.</summary>
    public required string FileName { get; set; }

    /// <summary>The type found from the content's signature, never the browser's claim.</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required string Sha256 { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public required byte[] Content { get; set; }

    public string? CreatedBy { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>How a file is referred to from JSON data (form submissions, content items).</summary>
public sealed record MediaReference(string Id, string Name, string Type, long Size);

public sealed class MediaModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect) =>
        modelBuilder.Entity<MediaFile>(e =>
        {
            e.ToTable("MediaFiles");
            e.HasKey(m => m.Id);
        });
}

public sealed class MediaMigration : IDataMigration
{
    public string Module => "Verification.Cms.Media";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m => m.CreateTable("MediaFiles", c => new
        {
            Id = c.Column<string>(nullable: false),
            FileName = c.Column<string>(maxLength: 255, nullable: false),
            ContentType = c.Column<string>(maxLength: 100, nullable: false),
            Size = c.Column<long>(nullable: false),
            Sha256 = c.Column<string>(maxLength: 64, nullable: false),
            Width = c.Column<int>(nullable: true),
            Height = c.Column<int>(nullable: true),
            Content = c.Column<byte[]>(nullable: false),
            CreatedBy = c.Column<string>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_MediaFiles", x => x.Id)),
    ];
}
