using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.OrgUnits.Models;

/// <summary>
/// A unit of the centre's organisation (G 5.1, H 5.3): city centre, district centre, street
/// (镇街) station. <see cref="Path"/> ("/440100/440106/440106001/") makes "this unit and all
/// below it" a prefix query.
/// </summary>
public sealed class OrgUnit
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? ParentCode { get; set; }

    public required string Path { get; set; }

    /// <summary>province / city / district / county / street.</summary>
    public string? Level { get; set; }

    /// <summary>GB/T 2260 code (9 digits for streets).</summary>
    public string? DivisionCode { get; set; }

    public int SortOrder { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

public sealed class OrgUnitModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect) => modelBuilder.Entity<OrgUnit>(e =>
    {
        e.ToTable("OrgUnits");
        e.HasKey(u => u.Code);
        e.HasIndex(u => u.Path);
        e.HasIndex(u => u.ParentCode);
        e.Property(u => u.ConcurrencyStamp).IsConcurrencyToken();
    });
}

public sealed class OrgUnitMigration : IDataMigration
{
    public string Module => "Verification.OrgUnits";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m =>
        {
            m.CreateTable("OrgUnits", c => new
            {
                Code = c.Column<string>(maxLength: 20, nullable: false),
                Name = c.Column<string>(maxLength: 200, nullable: false),
                ParentCode = c.Column<string>(maxLength: 20, nullable: true),
                Path = c.Column<string>(maxLength: 400, nullable: false),
                SortOrder = c.Column<int>(nullable: false),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_OrgUnits", x => x.Code));
            m.CreateIndex("IX_OrgUnits_Path", "OrgUnits", "Path");
            m.CreateIndex("IX_OrgUnits_ParentCode", "OrgUnits", "ParentCode");
        },
        // Version 2: units carry their level and GB/T 2260 division code; older rows keep theirs null until edited.
        m =>
        {
            m.AddColumn<string>("Level", "OrgUnits", maxLength: 20, nullable: true);
            m.AddColumn<string>("DivisionCode", "OrgUnits", maxLength: 12, nullable: true);
        },
    ];
}
