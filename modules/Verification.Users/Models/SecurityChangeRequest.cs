using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Users.Models;

public enum SecurityChangeKind
{
    CreateUser,
    ChangeUserRoles,
    ChangeRolePermissions,
    DisableUser,
    EnableUser,
    ChangeUserOrgUnit,
}

public enum SecurityChangeStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A requested change of who may do what (J 5.2.2.1.2, H 5.4, R-2.4, R-18.1): it takes effect
/// only when a second administrator — never the requester — approves it.
/// </summary>
public sealed class SecurityChangeRequest
{
    public string Id { get; set; } = RowIds.New();

    public SecurityChangeKind Kind { get; set; }

    /// <summary>User name or role name the change is about.</summary>
    public required string Subject { get; set; }

    /// <summary>JSON of the requested values (never a password).</summary>
    public required string Payload { get; set; }

    public required string RequestedBy { get; set; }

    public DateTime RequestedUtc { get; set; } = DateTime.UtcNow;

    public string? Reason { get; set; }

    public SecurityChangeStatus Status { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedUtc { get; set; }

    public string? DecisionNote { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

public sealed class SecurityChangeModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect) => modelBuilder.Entity<SecurityChangeRequest>(e =>
    {
        e.ToTable("SecurityChangeRequests");
        e.HasKey(r => r.Id);
        e.Property(r => r.Kind).HasConversion<string>();
        e.Property(r => r.Status).HasConversion<string>();
        e.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        e.HasIndex(r => r.Status);
    });
}

public sealed class UsersMigration : IDataMigration
{
    public string Module => "Verification.Users";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m =>
        {
            m.CreateTable("SecurityChangeRequests", c => new
            {
                Id = c.Column<string>(nullable: false),
                Kind = c.Column<string>(nullable: false),
                Subject = c.Column<string>(nullable: false),
                Payload = c.Column<string>(nullable: false),
                RequestedBy = c.Column<string>(nullable: false),
                RequestedUtc = c.Column<DateTime>(nullable: false),
                Reason = c.Column<string>(nullable: true),
                Status = c.Column<string>(nullable: false),
                DecidedBy = c.Column<string>(nullable: true),
                DecidedUtc = c.Column<DateTime>(nullable: true),
                DecisionNote = c.Column<string>(nullable: true),
                ConcurrencyStamp = c.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_SecurityChangeRequests", x => x.Id));
            m.CreateIndex("IX_SecurityChangeRequests_Status", "SecurityChangeRequests", "Status");
        },
    ];
}
