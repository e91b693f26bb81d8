using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Verification.Cms.Data;

/// <summary>Schema of the platform core: identity, settings, features, audit trail, recipe runs.</summary>
public sealed class CoreMigration : IDataMigration
{
    public string Module => "Verification.Cms.Core";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } = [CreateIdentity, CreatePlatformTables, AddAuditRequestPath];

    private static void CreateIdentity(MigrationBuilder m)
    {
        m.CreateTable("AspNetRoles", c => new
        {
            Id = c.Column<string>(nullable: false),
            Name = c.Column<string>(maxLength: 256, nullable: true),
            NormalizedName = c.Column<string>(maxLength: 256, nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: true),
            Description = c.Column<string>(maxLength: 500, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AspNetRoles", x => x.Id));
        m.CreateIndex("RoleNameIndex", "AspNetRoles", "NormalizedName", unique: true);

        m.CreateTable("AspNetUsers", c => new
        {
            Id = c.Column<string>(nullable: false),
            DisplayName = c.Column<string>(maxLength: 100, nullable: false),
            OrgUnitCode = c.Column<string>(maxLength: 20, nullable: true),
            IsDisabled = c.Column<bool>(nullable: false),
            IsDemo = c.Column<bool>(nullable: false),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            UserName = c.Column<string>(maxLength: 256, nullable: true),
            NormalizedUserName = c.Column<string>(maxLength: 256, nullable: true),
            Email = c.Column<string>(maxLength: 256, nullable: true),
            NormalizedEmail = c.Column<string>(maxLength: 256, nullable: true),
            EmailConfirmed = c.Column<bool>(nullable: false),
            PasswordHash = c.Column<string>(nullable: true),
            SecurityStamp = c.Column<string>(nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: true),
            PhoneNumber = c.Column<string>(nullable: true),
            PhoneNumberConfirmed = c.Column<bool>(nullable: false),
            TwoFactorEnabled = c.Column<bool>(nullable: false),
            LockoutEnd = c.Column<DateTimeOffset>(nullable: true),
            LockoutEnabled = c.Column<bool>(nullable: false),
            AccessFailedCount = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AspNetUsers", x => x.Id));
        m.CreateIndex("UserNameIndex", "AspNetUsers", "NormalizedUserName", unique: true);
        m.CreateIndex("EmailIndex", "AspNetUsers", "NormalizedEmail");

        m.CreateTable("AspNetRoleClaims", c => new
        {
            Id = IdentityColumn(c),
            RoleId = c.Column<string>(nullable: false),
            ClaimType = c.Column<string>(nullable: true),
            ClaimValue = c.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
            t.ForeignKey("FK_AspNetRoleClaims_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_AspNetRoleClaims_RoleId", "AspNetRoleClaims", "RoleId");

        m.CreateTable("AspNetUserClaims", c => new
        {
            Id = IdentityColumn(c),
            UserId = c.Column<string>(nullable: false),
            ClaimType = c.Column<string>(nullable: true),
            ClaimValue = c.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
            t.ForeignKey("FK_AspNetUserClaims_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_AspNetUserClaims_UserId", "AspNetUserClaims", "UserId");

        m.CreateTable("AspNetUserLogins", c => new
        {
            LoginProvider = c.Column<string>(nullable: false),
            ProviderKey = c.Column<string>(nullable: false),
            ProviderDisplayName = c.Column<string>(nullable: true),
            UserId = c.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
            t.ForeignKey("FK_AspNetUserLogins_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserRoles", c => new
        {
            UserId = c.Column<string>(nullable: false),
            RoleId = c.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
            t.ForeignKey("FK_AspNetUserRoles_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_AspNetUserRoles_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_AspNetUserRoles_RoleId", "AspNetUserRoles", "RoleId");

        m.CreateTable("AspNetUserTokens", c => new
        {
            UserId = c.Column<string>(nullable: false),
            LoginProvider = c.Column<string>(nullable: false),
            Name = c.Column<string>(nullable: false),
            Value = c.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
            t.ForeignKey("FK_AspNetUserTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
    }

    private static void CreatePlatformTables(MigrationBuilder m)
    {
        m.CreateTable("SiteSettings", c => new
        {
            Id = c.Column<int>(nullable: false),
            DisplayName = c.Column<string>(nullable: false),
            DivisionCode = c.Column<string>(nullable: true),
            Level = c.Column<string>(nullable: false),
            TimeZone = c.Column<string>(nullable: false),
            DefaultLocale = c.Column<string>(nullable: false),
            ConcurrencyStamp = c.Column<string>(nullable: false),
            UpdatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_SiteSettings", x => x.Id));

        m.CreateTable("ShellFeatures", c => new
        {
            FeatureId = c.Column<string>(nullable: false),
            EnabledUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ShellFeatures", x => x.FeatureId));

        m.CreateTable("AuditEvents", c => new
        {
            Sequence = c.Column<long>(nullable: false),
            TimestampUtc = c.Column<DateTime>(nullable: false),
            Category = c.Column<string>(nullable: false),
            Action = c.Column<string>(nullable: false),
            Actor = c.Column<string>(nullable: true),
            SubjectType = c.Column<string>(nullable: true),
            SubjectId = c.Column<string>(nullable: true),
            Details = c.Column<string>(nullable: true),
            IpAddress = c.Column<string>(nullable: true),
            UserAgent = c.Column<string>(nullable: true),
            PreviousHash = c.Column<string>(nullable: false),
            Hash = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AuditEvents", x => x.Sequence));
        m.CreateIndex("IX_AuditEvents_TimestampUtc", "AuditEvents", "TimestampUtc");
        m.CreateIndex("IX_AuditEvents_Category", "AuditEvents", "Category");

        m.CreateTable("RecipeRuns", c => new
        {
            Id = c.Column<string>(nullable: false),
            RecipeName = c.Column<string>(nullable: false),
            StartedUtc = c.Column<DateTime>(nullable: false),
            CompletedUtc = c.Column<DateTime>(nullable: true),
            Error = c.Column<string>(nullable: true),
            RunBy = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_RecipeRuns", x => x.Id));
    }

    /// <summary>Version 3: audit events also record the request path ("where", R-18.1).</summary>
    private static void AddAuditRequestPath(MigrationBuilder m) =>
        m.AddColumn<string>("RequestPath", "AuditEvents", nullable: true);

    private static OperationBuilder<AddColumnOperation> IdentityColumn(ColumnsBuilder c) =>
        c.Column<int>(nullable: false)
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
