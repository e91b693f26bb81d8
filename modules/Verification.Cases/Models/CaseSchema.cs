using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Cases.Models;

public sealed class CasesModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<Entrustment>(e =>
        {
            e.ToTable("Entrustments");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Department, x.IdempotencyKey }).IsUnique();
        });
        modelBuilder.Entity<VerificationCase>(e =>
        {
            e.ToTable("Cases");
            e.HasKey(x => x.Id);
            e.Property(x => x.State).HasConversion<string>();
            e.Property(x => x.SuspendedFrom).HasConversion<string>();
            e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(x => new { x.State, x.DueOn });
            e.HasIndex(x => x.EntrustmentId);
            e.HasIndex(x => x.Number).IsUnique();
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
        modelBuilder.Entity<Department>(e => { e.ToTable("Departments"); e.HasKey(x => x.Code); });
        modelBuilder.Entity<Finding>(e => { e.ToTable("Findings"); e.HasKey(x => x.Id); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<CaseOpinion>(e => { e.ToTable("CaseOpinions"); e.HasKey(x => x.Id); e.Property(x => x.Stage).HasConversion<string>(); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<VerificationReport>(e => { e.ToTable("VerificationReports"); e.HasKey(x => x.Number); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<CaseNotice>(e => { e.ToTable("CaseNotices"); e.HasKey(x => x.Id); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<CaseDocument>(e => { e.ToTable("CaseDocuments"); e.HasKey(x => x.Id); e.HasIndex(x => x.CaseId); });
        modelBuilder.Entity<BatchJob>(e => { e.ToTable("BatchJobs"); e.HasKey(x => x.Id); e.Property(x => x.Trigger).HasConversion<string>(); e.HasIndex(x => x.State); });
        modelBuilder.Entity<ResultDelivery>(e => { e.ToTable("ResultDeliveries"); e.HasKey(x => x.Id); e.HasIndex(x => new { x.State, x.NextAttemptUtc }); });
        modelBuilder.Entity<SavedCaseView>(e => { e.ToTable("SavedCaseViews"); e.HasKey(x => x.Id); e.HasIndex(x => new { x.UserName, x.Name }).IsUnique(); });
        modelBuilder.Entity<PipelineProfileRecord>(e => { e.ToTable("PipelineProfile"); e.HasKey(x => x.Id); e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken(); });
    }
}

public sealed class CasesMigration : IDataMigration
{
    public string Module => "Verification.Cases";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } = [Create, Pipeline, Coverage];

    /// <summary>Step 3: how many of a case's sources answered, and why a batch step included cases most of whose sources did not.</summary>
    private static void Coverage(MigrationBuilder m)
    {
        m.AddColumn<int>("SourcesAsked", "Cases", nullable: false, defaultValue: 0);
        m.AddColumn<int>("SourcesUnanswered", "Cases", nullable: false, defaultValue: 0);
        m.AddColumn<string>("OverrideReason", "BatchJobs", nullable: true);
    }

    /// <summary>Step 2: intake channels, households, findings, opinions, reports, notices, documents, batches, deliveries, the tenant's pipeline profile.</summary>
    private static void Pipeline(MigrationBuilder m)
    {
        m.AddColumn<string>("Purpose", "Entrustments", nullable: true);
        m.AddColumn<string>("ExternalReference", "Entrustments", nullable: true);
        m.AddColumn<string>("IdempotencyKey", "Entrustments", nullable: true);
        m.AddColumn<string>("RequestHash", "Entrustments", nullable: true);
        m.AddColumn<int>("HouseholdCount", "Entrustments", nullable: false, defaultValue: 0);
        m.CreateIndex("IX_Entrustments_Department_IdempotencyKey", "Entrustments", ["Department", "IdempotencyKey"], unique: true);
        m.AddColumn<string>("Number", "Cases", nullable: false, defaultValue: string.Empty);
        m.AddColumn<string>("OrgUnit", "Cases", nullable: true);
        m.AddColumn<string>("HeadName", "Cases", nullable: false, defaultValue: string.Empty);
        m.AddColumn<string>("HeadIdNumber", "Cases", nullable: false, defaultValue: string.Empty);
        m.AddColumn<string>("City", "Cases", nullable: true);
        m.AddColumn<string>("County", "Cases", nullable: true);
        m.AddColumn<string>("Street", "Cases", nullable: true);
        m.AddColumn<string>("DeclaredJson", "Cases", nullable: false, defaultValue: "{}");
        m.AddColumn<DateOnly>("SupplementDueOn", "Cases", nullable: true);
        m.CreateIndex("IX_Cases_EntrustmentId", "Cases", "EntrustmentId");
        m.CreateIndex("IX_Cases_Number", "Cases", "Number", unique: true);
        m.CreateTable("Departments", c => new
        {
            Code = c.Column<string>(nullable: false),
            Name = c.Column<string>(nullable: false),
            KeyHash = c.Column<string>(nullable: true),
            KeyHint = c.Column<string>(nullable: true),
            CallbackUrl = c.Column<string>(nullable: true),
            Enabled = c.Column<bool>(nullable: false),
            OrgUnit = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Departments", x => x.Code));
        m.CreateTable("Findings", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            CaseId = c.Column<string>(nullable: false),
            MemberId = c.Column<string>(nullable: true),
            Kind = c.Column<string>(nullable: false),
            Group = c.Column<string>(nullable: false),
            Category = c.Column<string>(nullable: false),
            Department = c.Column<string>(nullable: false),
            Item = c.Column<string>(nullable: false),
            Result = c.Column<string>(nullable: false),
            Amount = c.Column<decimal>(nullable: true),
            Declared = c.Column<decimal>(nullable: true),
            QueryId = c.Column<string>(nullable: true),
            Annotation = c.Column<string>(nullable: true),
            Overridden = c.Column<bool>(nullable: false),
            OverrideReason = c.Column<string>(nullable: true),
            AnnotatedBy = c.Column<string>(nullable: true),
            AnnotatedUtc = c.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Findings", x => x.Id));
        m.CreateIndex("IX_Findings_CaseId", "Findings", "CaseId");
        m.CreateTable("CaseOpinions", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            CaseId = c.Column<string>(nullable: false),
            Stage = c.Column<string>(nullable: false),
            Text = c.Column<string>(nullable: false),
            By = c.Column<string>(nullable: true),
            AtUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CaseOpinions", x => x.Id));
        m.CreateIndex("IX_CaseOpinions_CaseId", "CaseOpinions", "CaseId");
        m.CreateTable("VerificationReports", c => new
        {
            Number = c.Column<string>(nullable: false),
            CaseId = c.Column<string>(nullable: false),
            ServiceItem = c.Column<string>(nullable: false),
            Year = c.Column<int>(nullable: false),
            Month = c.Column<int>(nullable: false),
            Serial = c.Column<int>(nullable: false),
            Nature = c.Column<string>(nullable: false),
            Copy = c.Column<int>(nullable: false),
            IssuedUtc = c.Column<DateTime>(nullable: false),
            IssuedBy = c.Column<string>(nullable: true),
            Html = c.Column<string>(nullable: false),
            ContentHash = c.Column<string>(nullable: false),
            ResultJson = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_VerificationReports", x => x.Number));
        m.CreateIndex("IX_VerificationReports_CaseId", "VerificationReports", "CaseId");
        m.CreateTable("CaseNotices", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            CaseId = c.Column<string>(nullable: false),
            Kind = c.Column<string>(nullable: false),
            Reason = c.Column<string>(nullable: false),
            DueOn = c.Column<DateOnly>(nullable: true),
            IssuedUtc = c.Column<DateTime>(nullable: false),
            IssuedBy = c.Column<string>(nullable: true),
            Html = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CaseNotices", x => x.Id));
        m.CreateIndex("IX_CaseNotices_CaseId", "CaseNotices", "CaseId");
        m.CreateTable("CaseDocuments", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            CaseId = c.Column<string>(nullable: false),
            Kind = c.Column<string>(nullable: false),
            MediaId = c.Column<string>(nullable: false),
            FileName = c.Column<string>(nullable: false),
            UploadedBy = c.Column<string>(nullable: true),
            UploadedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_CaseDocuments", x => x.Id));
        m.CreateIndex("IX_CaseDocuments_CaseId", "CaseDocuments", "CaseId");
        m.CreateTable("BatchJobs", c => new
        {
            Id = c.Column<string>(nullable: false),
            EntrustmentId = c.Column<string>(nullable: false),
            Trigger = c.Column<string>(nullable: false),
            RequestedBy = c.Column<string>(nullable: true),
            State = c.Column<string>(nullable: false),
            Total = c.Column<int>(nullable: false),
            Done = c.Column<int>(nullable: false),
            Failed = c.Column<int>(nullable: false),
            LastError = c.Column<string>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            FinishedUtc = c.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_BatchJobs", x => x.Id));
        m.CreateIndex("IX_BatchJobs_State", "BatchJobs", "State");
        m.CreateTable("ResultDeliveries", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            DepartmentCode = c.Column<string>(nullable: false),
            ReportNumber = c.Column<string>(nullable: false),
            State = c.Column<string>(nullable: false),
            Attempts = c.Column<int>(nullable: false),
            NextAttemptUtc = c.Column<DateTime>(nullable: false),
            LastError = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ResultDeliveries", x => x.Id));
        m.CreateIndex("IX_ResultDeliveries_State_NextAttemptUtc", "ResultDeliveries", ["State", "NextAttemptUtc"]);
        m.CreateTable("SavedCaseViews", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            UserName = c.Column<string>(nullable: false),
            Name = c.Column<string>(nullable: false),
            Query = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_SavedCaseViews", x => x.Id));
        m.CreateIndex("IX_SavedCaseViews_UserName_Name", "SavedCaseViews", ["UserName", "Name"], unique: true);
        m.CreateTable("PipelineProfile", c => new
        {
            Id = c.Column<int>(nullable: false),
            Json = c.Column<string>(nullable: false),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_PipelineProfile", x => x.Id));
    }

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
