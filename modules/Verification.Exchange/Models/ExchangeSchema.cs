using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Exchange.Models;

public sealed class ExchangeModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<ExchangeProviderRecord>(e => { e.ToTable("ExchangeProviders"); e.HasKey(p => p.Code); });
        modelBuilder.Entity<ExchangeKeyRecord>(e => { e.ToTable("ExchangeKeys"); e.HasKey(k => k.Id); e.Property(k => k.Id).ValueGeneratedNever(); });
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("ExchangeOutbox");
            e.HasKey(m => m.MessageId);
            e.HasIndex(m => new { m.State, m.NextAttemptUtc });
        });
        modelBuilder.Entity<ProviderQuery>(e =>
        {
            e.ToTable("ProviderQueries");
            e.HasKey(q => q.Id);
            // Every state change is conditional on the state it was read in: of two results answering
            // a query at once, one wins and the other's update affects nothing (batched by EF).
            e.Property(q => q.State).IsConcurrencyToken();
            e.HasIndex(q => new { q.State, q.Provider, q.CreatedUtc });
            e.HasIndex(q => q.MessageId);
            e.HasIndex(q => q.CaseReference);
        });
        modelBuilder.Entity<ReceivedMessage>(e => { e.ToTable("ExchangeReceived"); e.HasKey(m => m.MessageId); });
        modelBuilder.Entity<ProviderCall>(e =>
        {
            e.ToTable("ProviderCalls");
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.Provider, c.StartedUtc });
        });
    }
}

public sealed class ExchangeMigration : IDataMigration
{
    public string Module => "Verification.Exchange";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        Create,
        m => m.AddColumn<string>("OfflineKeyProtected", "ExchangeProviders", nullable: true),
        // Pending queries are taken oldest first per provider: the index serves the order too.
        m =>
        {
            m.CreateIndex("IX_ProviderQueries_State_Provider_CreatedUtc", "ProviderQueries", ["State", "Provider", "CreatedUtc"]);
            m.DropIndex("IX_ProviderQueries_State_Provider", "ProviderQueries");
        },
    ];

    private static void Create(MigrationBuilder m)
    {
        m.CreateTable("ExchangeProviders", c => new
        {
            Code = c.Column<string>(nullable: false),
            Name = c.Column<string>(nullable: false),
            Mode = c.Column<string>(nullable: false),
            BaseUrl = c.Column<string>(nullable: true),
            PublicKeyPem = c.Column<string>(nullable: true),
            Enabled = c.Column<bool>(nullable: false),
            RequestTimeoutSeconds = c.Column<int>(nullable: false),
            AnswerTimeoutSeconds = c.Column<int>(nullable: false),
            MaxBatch = c.Column<int>(nullable: false),
            ConnectedUtc = c.Column<DateTime>(nullable: true),
            ConnectedBy = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ExchangeProviders", x => x.Code));
        m.CreateTable("ExchangeKeys", c => new
        {
            Id = c.Column<int>(nullable: false),
            ProtectedPrivateKey = c.Column<string>(nullable: false),
            PublicKeyPem = c.Column<string>(nullable: false),
            CreatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ExchangeKeys", x => x.Id));
        m.CreateTable("ExchangeOutbox", c => new
        {
            MessageId = c.Column<string>(nullable: false),
            Provider = c.Column<string>(nullable: false),
            RequestJson = c.Column<string>(nullable: false),
            State = c.Column<string>(nullable: false),
            Attempts = c.Column<int>(nullable: false),
            NextAttemptUtc = c.Column<DateTime>(nullable: false),
            SentUtc = c.Column<DateTime>(nullable: true),
            DeadlineUtc = c.Column<DateTime>(nullable: true),
            LastError = c.Column<string>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ExchangeOutbox", x => x.MessageId));
        m.CreateIndex("IX_ExchangeOutbox_State_NextAttemptUtc", "ExchangeOutbox", ["State", "NextAttemptUtc"]);
        m.CreateTable("ProviderQueries", c => new
        {
            Id = c.Column<string>(nullable: false),
            CaseReference = c.Column<string>(nullable: false),
            Provider = c.Column<string>(nullable: false),
            SubjectIdNumber = c.Column<string>(nullable: false),
            SubjectName = c.Column<string>(nullable: false),
            DataItemsJson = c.Column<string>(nullable: false),
            AuthorizationNumber = c.Column<string>(nullable: false),
            Purpose = c.Column<string>(nullable: false),
            State = c.Column<string>(nullable: false),
            MessageId = c.Column<string>(nullable: true),
            ReasonCode = c.Column<string>(nullable: true),
            RecordsJson = c.Column<string>(nullable: true),
            CreatedUtc = c.Column<DateTime>(nullable: false),
            AnsweredUtc = c.Column<DateTime>(nullable: true),
            Late = c.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ProviderQueries", x => x.Id));
        m.CreateIndex("IX_ProviderQueries_State_Provider", "ProviderQueries", ["State", "Provider"]);
        m.CreateIndex("IX_ProviderQueries_MessageId", "ProviderQueries", "MessageId");
        m.CreateIndex("IX_ProviderQueries_CaseReference", "ProviderQueries", "CaseReference");
        m.CreateTable("ExchangeReceived", c => new
        {
            MessageId = c.Column<string>(nullable: false),
            Provider = c.Column<string>(nullable: false),
            ReceivedUtc = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ExchangeReceived", x => x.MessageId));
        m.CreateTable("ProviderCalls", c => new
        {
            Id = c.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true).Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            Provider = c.Column<string>(nullable: false),
            StartedUtc = c.Column<DateTime>(nullable: false),
            DurationMs = c.Column<int>(nullable: false),
            Succeeded = c.Column<bool>(nullable: false),
            Error = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_ProviderCalls", x => x.Id));
        m.CreateIndex("IX_ProviderCalls_Provider_StartedUtc", "ProviderCalls", ["Provider", "StartedUtc"]);
    }
}
