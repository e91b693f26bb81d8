using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Cases.Models;

public sealed class CasesModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<Entrustment>(e => { e.ToTable("Entrustments"); e.HasKey(x => x.Id); });
        modelBuilder.Entity<VerificationCase>(e =>
        {
            e.ToTable("Cases");
            e.HasKey(x => x.Id);
            e.Property(x => x.State).HasConversion<string>();
            e.Property(x => x.SuspendedFrom).HasConversion<string>();
            e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(x => new { x.State, x.DueOn });
        });
        modelBuilder.Entity<CaseMember>(e => { e.ToTable("CaseMembers"); e.HasKey(x => x.Id); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<MemberAuthorization>(e =>
        {
            e.ToTable("MemberAuthorizations");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.CaseId, x.MemberId });
        });
        modelBuilder.Entity<CaseEvent>(e =>
        {
            e.ToTable("CaseEvents");
            e.HasKey(x => x.Id);
            e.Property(x => x.From).HasConversion<string>();
            e.Property(x => x.To).HasConversion<string>();
            e.Property(x => x.Trigger).HasConversion<string>();
            e.HasIndex(x => x.CaseId);
        });
    }
}

public sealed class CasesMigration : IDataMigration
{
    public string Module => "Verification.Cases";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } = [Create];

    private static void Create(MigrationBuilder m)
    {
        m.CreateTable("Entrustments", c => new
        {
            Id = c.Column<string>(nullable: false),
            Department = c.Column<string>(nullable: false),
            ServiceItem = c.Column<string>(nullable: false),
            Channel = c.Column<string>(nullable: false),
            ReceivedUtc = c.Column<DateTime>(nullable: false),
            AcceptingOrgUnit = c.Column<string>(nullable: true),
            ReceivedBy = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Entrustments", x => x.Id));
        m.CreateTable("Cases", c => new
        {
            Id = c.Column<string>(nullable: false),
            EntrustmentId = c.Column<string>(nullable: false),
            ServiceItem = c.Column<string>(nullable: false),
            State = c.Column<string>(nullable: false),
            SuspendedFrom = c.Column<string>(nullable: true),
            ReceivedOn = c.Column<DateOnly>(nullable: false),
            DueOn = c.Column<DateOnly>(nullable: false),
            ExtensionDays = c.Column<int>(nullable: false),
            AcceptedBy = c.Column<string>(nullable: true),
            ConfirmedBy = c.Column<string>(nullable: true),
            ReviewedBy = c.Column<string>(nullable: true),
            ApprovedBy = c.Column<string>(nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Cases", x => x.Id));
        m.CreateIndex("IX_Cases_State_DueOn", "Cases", ["State", "DueOn"]);
        m.CreateTable("CaseMembers", c => new
        {
            Id = c.Column<string>(nullable: false),
            CaseId = c.Column<string>(nullable: false),
            Name = c.Column<string>(nullable: false),
            IdNumber = c.Column<string>(nullable: false),
            Relation = c.Column<string>(nullable: false),
            CoResident = c.Column<bool>(nullable: false),
            MaintenanceObligor = c.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CaseMembers", x => x.Id));
        m.CreateIndex("IX_CaseMembers_CaseId", "CaseMembers", "CaseId");
        m.CreateTable("MemberAuthorizations", c => new
        {
            Id = c.Column<string>(nullable: false),
            CaseId = c.Column<string>(nullable: false),
            MemberId = c.Column<string>(nullable: false),
            Number = c.Column<string>(nullable: false),
            SignedBy = c.Column<string>(nullable: false),
            SignerName = c.Column<string>(nullable: true),
            Kind = c.Column<string>(nullable: false),
            ScanMediaId = c.Column<string>(nullable: true),
            SignedOn = c.Column<DateOnly>(nullable: false),
            ValidUntil = c.Column<DateOnly>(nullable: true),
            RevokedUtc = c.Column<DateTime>(nullable: true),
            RecordedBy = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MemberAuthorizations", x => x.Id));
        m.CreateIndex("IX_MemberAuthorizations_Number", "MemberAuthorizations", "Number", unique: true);
        m.CreateIndex("IX_MemberAuthorizations_CaseId_MemberId", "MemberAuthorizations", ["CaseId", "MemberId"]);
        m.CreateTable("CaseEvents", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            CaseId = c.Column<string>(nullable: false),
            AtUtc = c.Column<DateTime>(nullable: false),
            Actor = c.Column<string>(nullable: true),
            From = c.Column<string>(nullable: false),
            To = c.Column<string>(nullable: false),
            Trigger = c.Column<string>(nullable: false),
            Note = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_CaseEvents", x => x.Id));
        m.CreateIndex("IX_CaseEvents_CaseId", "CaseEvents", "CaseId");
    }
}
