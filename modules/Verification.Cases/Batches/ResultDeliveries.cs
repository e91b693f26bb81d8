using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Services;

namespace Verification.Cases.Batches;

/// <summary>
/// Delivers issued results to the departments' callback addresses: the structured result,
/// signed with the centre's exchange key (ECDSA P-256 over the body, header <c>X-Signature</c>), retried
/// with growing pauses; departments can always fetch the same result from the API instead.
/// </summary>
public sealed class ResultDeliveries(TenantDbContext db, IHttpClientFactory http, ExchangeKeys keys, TimeProvider time, IAuditTrail audit, ILogger<ResultDeliveries> logger)
{
    public const int MaxAttempts = 8;

    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Set<ResultDelivery>().Where(d => d.State == "pending" && d.NextAttemptUtc <= now).OrderBy(d => d.Id).Take(50).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        using var key = await keys.SigningKeyAsync(cancellationToken);
        var delivered = 0;
        foreach (var delivery in due)
        {
            var report = await db.Set<VerificationReport>().AsNoTracking().FirstAsync(r => r.Number == delivery.ReportNumber, cancellationToken);
            var url = await db.Set<Department>().AsNoTracking().Where(d => d.Code == delivery.DepartmentCode).Select(d => d.CallbackUrl).FirstOrDefaultAsync(cancellationToken);
            delivery.Attempts++;
            try
            {
                var body = Encoding.UTF8.GetBytes(report.ResultJson);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add("X-Report-Number", Uri.EscapeDataString(report.Number));
                request.Headers.Add("X-Signature", Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256)));
                using var client = http.CreateClient("results");
                client.Timeout = TimeSpan.FromSeconds(15);
                using var response = await client.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                delivery.State = "delivered";
                delivered++;
                await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "report.delivered", "report", report.Number, new Dictionary<string, string?> { ["department"] = delivery.DepartmentCode }), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
            {
                logger.LogWarning("Delivering {Report} to {Department} failed: {Error}", report.Number, delivery.DepartmentCode, ex.Message);
                delivery.LastError = ex.Message;
                delivery.State = delivery.Attempts >= MaxAttempts ? "failed" : "pending";
                delivery.NextAttemptUtc = now.AddSeconds(Math.Min(3600, 5 * Math.Pow(3, delivery.Attempts)));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return delivered;
    }
}
