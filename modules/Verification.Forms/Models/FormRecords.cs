using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Forms.Models;

/// <summary>A form of the tenant: its working draft and the number of its latest published version.</summary>
public sealed class FormDefinitionRecord
{
    public required string Name { get; set; }

    public required string Title { get; set; }

    public required string DraftJson { get; set; }

    public int PublishedVersion { get; set; }

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A published version: never changed after publishing.</summary>
public sealed class FormVersionRecord
{
    public required string FormName { get; set; }

    public int Version { get; set; }

    public required string Json { get; set; }

    public DateTime PublishedUtc { get; set; } = DateTime.UtcNow;

    public string? PublishedBy { get; set; }
}

public enum SubmissionStatus
{
    Draft,
    Submitted,
}

/// <summary>Data entered in a form; always read and rendered with the version it was made with.</summary>
public sealed class FormSubmissionRecord
{
    public string Id { get; set; } = RowIds.New();

    public required string FormName { get; set; }

    public int Version { get; set; }

    public required string DataJson { get; set; }

    public SubmissionStatus Status { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>The org unit of the person who filled it in: who else may read it follows from it .</summary>
    public string? OrgUnitCode { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime? SubmittedUtc { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

public sealed class FormsModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<FormDefinitionRecord>(e =>
        {
            e.ToTable("FormDefinitions");
            e.HasKey(f => f.Name);
            e.Property(f => f.ConcurrencyStamp).IsConcurrencyToken();
        });
        modelBuilder.Entity<FormVersionRecord>(e =>
        {
            e.ToTable("FormVersions");
            e.HasKey(v => new { v.FormName, v.Version });
        });
        modelBuilder.Entity<FormSubmissionRecord>(e =>
        {
            e.ToTable("FormSubmissions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Status).HasConversion<string>();
            e.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(s => new { s.FormName, s.Version });
        });
    }
}

public sealed class FormsMigration : IDataMigration
{
    public string Module => "Verification.Forms";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m =>
        {
            m.CreateTable("FormDefinitions", c => new
            {
                Name = c.Column<string>(nullable: false),
                Title = c.Column<string>(nullable: false),
                DraftJson = c.Column<string>(nullable: false),
                PublishedVersion = c.Column<int>(nullable: false),
                UpdatedUtc = c.Column<DateTime>(nullable: false),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_FormDefinitions", x => x.Name));
            m.CreateTable("FormVersions", c => new
            {
                FormName = c.Column<string>(nullable: false),
                Version = c.Column<int>(nullable: false),
                Json = c.Column<string>(nullable: false),
                PublishedUtc = c.Column<DateTime>(nullable: false),
                PublishedBy = c.Column<string>(nullable: true),
            }, constraints: t => t.PrimaryKey("PK_FormVersions", x => new { x.FormName, x.Version }));
            m.CreateTable("FormSubmissions", c => new
            {
                Id = c.Column<string>(nullable: false),
                FormName = c.Column<string>(nullable: false),
                Version = c.Column<int>(nullable: false),
                DataJson = c.Column<string>(nullable: false),
                Status = c.Column<string>(nullable: false),
                CreatedBy = c.Column<string>(nullable: true),
                CreatedUtc = c.Column<DateTime>(nullable: false),
                UpdatedUtc = c.Column<DateTime>(nullable: false),
                SubmittedUtc = c.Column<DateTime>(nullable: true),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_FormSubmissions", x => x.Id));
            m.CreateIndex("IX_FormSubmissions_FormName_Version", "FormSubmissions", ["FormName", "Version"]);
        },
        m =>
        {
            // Submissions carry their author's org unit, so reading them is scoped like cases; existing ones take it from their author.
            m.AddColumn<string>("OrgUnitCode", "FormSubmissions", nullable: true);
            m.CreateIndex("IX_FormSubmissions_OrgUnitCode", "FormSubmissions", "OrgUnitCode");
            m.Sql("""UPDATE "FormSubmissions" SET "OrgUnitCode" = (SELECT u."OrgUnitCode" FROM "AspNetUsers" u WHERE u."UserName" = "FormSubmissions"."CreatedBy")""");
        },
    ];
}
