using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Verification.Cms.Data;

namespace Verification.Workflows.Models;

public sealed class WorkflowsModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<WorkflowDefinition>(e =>
        {
            e.ToTable("WorkflowDefinitions");
            e.HasKey(x => x.Name);
            e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
        });
        modelBuilder.Entity<WorkflowVersion>(e =>
        {
            e.ToTable("WorkflowVersions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.DefinitionName, x.Version }).IsUnique();
        });
        modelBuilder.Entity<WorkflowInstance>(e =>
        {
            e.ToTable("WorkflowInstances");
            e.HasKey(x => x.Id);
            e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => new { x.Status, x.LeaseUntilUtc });
            e.HasIndex(x => x.DefinitionName);
        });
        modelBuilder.Entity<WorkflowBookmark>(e =>
        {
            e.ToTable("WorkflowBookmarks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Kind, x.DueUtc });
            e.HasIndex(x => new { x.CorrelationId, x.EventName });
            e.HasIndex(x => x.InstanceId);
        });
        modelBuilder.Entity<WorkflowStep>(e => { e.ToTable("WorkflowSteps"); e.HasKey(x => x.Id); e.HasIndex(x => x.InstanceId); });
        modelBuilder.Entity<WorkflowIncident>(e => { e.ToTable("WorkflowIncidents"); e.HasKey(x => x.Id); e.HasIndex(x => x.InstanceId); });
        modelBuilder.Entity<WorkflowTask>(e =>
        {
            e.ToTable("WorkflowTasks");
            e.HasKey(x => x.Id);
            e.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
            e.HasIndex(x => new { x.Status, x.DueOn });
            e.HasIndex(x => x.CaseId);
        });
        modelBuilder.Entity<PendingWorkflowEvent>(e => { e.ToTable("PendingWorkflowEvents"); e.HasKey(x => x.Id); });
        modelBuilder.Entity<Notification>(e => { e.ToTable("Notifications"); e.HasKey(x => x.Id); e.HasIndex(x => new { x.UserName, x.ReadUtc }); });
    }
}

public sealed class WorkflowsMigration : IDataMigration
{
    public string Module => "Verification.Workflows";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } = [Create];

    private static OperationBuilder<AddColumnOperation> Identity(ColumnsBuilder c) =>
        c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

    private static void Create(MigrationBuilder m)
    {
        m.CreateTable("WorkflowDefinitions", c => new
        {
            Name = c.Column<string>(nullable: false),
            Title = c.Column<string>(nullable: false),
            Description = c.Column<string>(nullable: true),
            DraftJson = c.Column<string>(nullable: false),
            PublishedVersion = c.Column<int>(nullable: true),
            Enabled = c.Column<bool>(nullable: false),
            UpdatedUtc = c.Column<DateTime>(nullable: false),
            UpdatedBy = c.Column<string>(nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_WorkflowDefinitions", x => x.Name));
        m.CreateTable("WorkflowVersions", c => new
        {
            Id = c.Column<string>(nullable: false),
            DefinitionName = c.Column<string>(nullable: false),
            Version = c.Column<int>(nullable: false),
            GraphJson = c.Column<string>(nullable: false),
            PublishedUtc = c.Column<DateTime>(nullable: false),
            PublishedBy = c.Column<string>(nullable: true),
            Note = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_WorkflowVersions", x => x.Id));
        m.CreateIndex("IX_WorkflowVersions_DefinitionName_Version", "WorkflowVersions", ["DefinitionName", "Version"], unique: true);
        m.CreateTable("WorkflowInstances", c => new
        {
            Id = c.Column<string>(nullable: false),
            DefinitionName = c.Column<string>(nullable: false),
            VersionId = c.Column<string>(nullable: false),
            Version = c.Column<int>(nullable: false),
            CorrelationId = c.Column<string>(nullable: true),
            Status = c.Column<string>(nullable: false),
            VariablesJson = c.Column<string>(nullable: false),
            ReadyJson = c.Column<string>(nullable: false),
            JoinsJson = c.Column<string>(nullable: false),
            LeaseOwner = c.Column<string>(nullable: true),
            LeaseUntilUtc = c.Column<DateTime>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            UpdatedUtc = c.Column<DateTime>(nullable: false),
            FinishedUtc = c.Column<DateTime>(nullable: true),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_WorkflowInstances", x => x.Id));
        m.CreateIndex("IX_WorkflowInstances_CorrelationId", "WorkflowInstances", "CorrelationId");
        m.CreateIndex("IX_WorkflowInstances_Status_LeaseUntilUtc", "WorkflowInstances", ["Status", "LeaseUntilUtc"]);
        m.CreateIndex("IX_WorkflowInstances_DefinitionName", "WorkflowInstances", "DefinitionName");
        m.CreateTable("WorkflowBookmarks", c => new
        {
            Id = c.Column<string>(nullable: false),
            InstanceId = c.Column<string>(nullable: true),
            DefinitionName = c.Column<string>(nullable: false),
            VersionId = c.Column<string>(nullable: false),
            ActivityId = c.Column<string>(nullable: false),
            Kind = c.Column<string>(nullable: false),
            EventName = c.Column<string>(nullable: true),
            CorrelationId = c.Column<string>(nullable: true),
            DueUtc = c.Column<DateTime>(nullable: true),
            DateField = c.Column<string>(nullable: true),
            OffsetWorkingDays = c.Column<int>(nullable: true),
            Outcome = c.Column<string>(nullable: false),
            LeaseOwner = c.Column<string>(nullable: true),
            LeaseUntilUtc = c.Column<DateTime>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_WorkflowBookmarks", x => x.Id));
        m.CreateIndex("IX_WorkflowBookmarks_Kind_DueUtc", "WorkflowBookmarks", ["Kind", "DueUtc"]);
        m.CreateIndex("IX_WorkflowBookmarks_CorrelationId_EventName", "WorkflowBookmarks", ["CorrelationId", "EventName"]);
        m.CreateIndex("IX_WorkflowBookmarks_InstanceId", "WorkflowBookmarks", "InstanceId");
        m.CreateTable("WorkflowSteps", c => new
        {
            Id = Identity(c),
            InstanceId = c.Column<string>(nullable: false),
            ActivityId = c.Column<string>(nullable: false),
            ActivityType = c.Column<string>(nullable: false),
            Outcome = c.Column<string>(nullable: true),
            InputJson = c.Column<string>(nullable: true),
            OutputJson = c.Column<string>(nullable: true),
            Error = c.Column<string>(nullable: true),
            StartedUtc = c.Column<DateTime>(nullable: false),
            FinishedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_WorkflowSteps", x => x.Id));
        m.CreateIndex("IX_WorkflowSteps_InstanceId", "WorkflowSteps", "InstanceId");
        m.CreateTable("WorkflowIncidents", c => new
        {
            Id = Identity(c),
            InstanceId = c.Column<string>(nullable: false),
            ActivityId = c.Column<string>(nullable: false),
            Message = c.Column<string>(nullable: false),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            ResolvedUtc = c.Column<DateTime>(nullable: true),
            ResolvedBy = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_WorkflowIncidents", x => x.Id));
        m.CreateIndex("IX_WorkflowIncidents_InstanceId", "WorkflowIncidents", "InstanceId");
        m.CreateTable("WorkflowTasks", c => new
        {
            Id = c.Column<string>(nullable: false),
            InstanceId = c.Column<string>(nullable: false),
            ActivityId = c.Column<string>(nullable: false),
            BookmarkId = c.Column<string>(nullable: false),
            CaseId = c.Column<string>(nullable: true),
            Title = c.Column<string>(nullable: false),
            Instructions = c.Column<string>(nullable: true),
            AssignedUser = c.Column<string>(nullable: true),
            AssignedRole = c.Column<string>(nullable: true),
            OrgUnit = c.Column<string>(nullable: true),
            Outcomes = c.Column<string>(nullable: false),
            FormName = c.Column<string>(nullable: true),
            DueOn = c.Column<DateOnly>(nullable: true),
            RemindOn = c.Column<DateOnly>(nullable: true),
            Reminded = c.Column<bool>(nullable: false),
            EscalateToRole = c.Column<string>(nullable: true),
            Escalated = c.Column<bool>(nullable: false),
            ClaimedBy = c.Column<string>(nullable: true),
            Status = c.Column<string>(nullable: false),
            Outcome = c.Column<string>(nullable: true),
            Comment = c.Column<string>(nullable: true),
            CompletedBy = c.Column<string>(nullable: true),
            CompletedUtc = c.Column<DateTime>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            ConcurrencyStamp = c.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_WorkflowTasks", x => x.Id));
        m.CreateIndex("IX_WorkflowTasks_Status_DueOn", "WorkflowTasks", ["Status", "DueOn"]);
        m.CreateIndex("IX_WorkflowTasks_CaseId", "WorkflowTasks", "CaseId");
        m.CreateTable("Notifications", c => new
        {
            Id = Identity(c),
            UserName = c.Column<string>(nullable: true),
            Role = c.Column<string>(nullable: true),
            OrgUnit = c.Column<string>(nullable: true),
            Title = c.Column<string>(nullable: false),
            Body = c.Column<string>(nullable: true),
            Link = c.Column<string>(nullable: true),
            InstanceId = c.Column<string>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            ReadUtc = c.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Notifications", x => x.Id));
        m.CreateIndex("IX_Notifications_UserName_ReadUtc", "Notifications", ["UserName", "ReadUtc"]);
        m.CreateTable("PendingWorkflowEvents", c => new
        {
            Id = Identity(c),
            Name = c.Column<string>(nullable: false),
            CorrelationId = c.Column<string>(nullable: true),
            DataJson = c.Column<string>(nullable: false),
            CreatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_PendingWorkflowEvents", x => x.Id));
    }
}
